package com.fetchsms.webhook;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fetchsms.common.events.ApiKeyChanged;
import com.fetchsms.common.events.KeyMode;
import com.fetchsms.common.security.ApiKeys;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * A caller of the webhook routes — a customer with a dashboard session, or a sandbox twin with a test key — and helpers
 * that go through the real API or the database.
 */
final class Fixtures {

    final UUID account;
    final String token;

    /** A customer with a dashboard session (its live account). */
    Fixtures() {
        this.account = UUID.randomUUID();
        this.token = TestTokens.user(account);
    }

    private Fixtures(UUID account, String token) {
        this.account = account;
        this.token = token;
    }

    /**
     * A customer's sandbox twin acting with a test key ({@code fsk_test_…}), announced on {@code api-key.changed} as
     * wallet-service does: the key's account is the twin's, another account than the customer's.
     */
    static Fixtures sandboxTwin() {
        UUID twin = UUID.randomUUID();
        return new Fixtures(twin, apiKey(twin, KeyMode.TEST));
    }

    /** An API key of {@code account}, announced on {@code api-key.changed}; answers it once the service knows it. */
    static String apiKey(UUID account, KeyMode mode) {
        String key = ApiKeys.generate(mode);
        KafkaEvents.send(new ApiKeyChanged(ApiKeys.hash(key), UUID.randomUUID(), account, ApiKeys.shownPrefix(key),
                ApiKeyChanged.ACTIVE, Instant.now(), mode));
        org.awaitility.Awaitility.await("the key is known").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> given().auth().oauth2(key).get("/v1/webhooks").statusCode() != 401);
        return key;
    }

    RequestSpecification as() {
        return given().auth().oauth2(token);
    }

    /** Registers an endpoint; answers the 201 body (with the secret). */
    JsonPath endpoint(String url, String... events) {
        Map<String, Object> body = events.length == 0 ? Map.of("url", url) : Map.of("url", url, "events", events);
        return as().contentType(ContentType.JSON).body(body).post("/v1/webhooks").then().statusCode(201).extract()
                .jsonPath();
    }

    List<Map<String, Object>> deliveries(String endpointId) {
        return as().get("/v1/webhooks/" + endpointId + "/deliveries").then().statusCode(200).extract().jsonPath()
                .getList("$");
    }

    /** Waits until the endpoint's deliveries satisfy {@code condition}; answers them. */
    List<Map<String, Object>> awaitDeliveries(String endpointId, Predicate<List<Map<String, Object>>> condition,
            Duration timeout) {
        return org.awaitility.Awaitility.await("deliveries of " + endpointId).atMost(timeout)
                .pollInterval(Duration.ofMillis(100)).until(() -> deliveries(endpointId), condition::test);
    }

    Map<String, Object> endpointView(String endpointId) {
        List<Map<String, Object>> all = as().get("/v1/webhooks").then().statusCode(200).extract().jsonPath()
                .getList("$");
        return all.stream().filter(e -> endpointId.equals(e.get("id"))).findFirst().orElseThrow();
    }

    /** The README's Node snippet, in Java: HMAC-SHA256 hex of the raw body keyed by the secret, constant-time compare. */
    static boolean verify(byte[] rawBody, String signature, String endpointSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(endpointSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = HexFormat.of().formatHex(mac.doFinal(rawBody));
            return signature != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                    signature.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Standard Webhooks check: {@code v1,} + base64 HMAC of {@code id.timestamp.body} keyed by the secret's bytes. */
    static String standardSignature(String secret, String id, String timestamp, byte[] rawBody) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(java.util.Base64.getDecoder().decode(secret.substring("whsec_".length())),
                    "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + java.util.Base64.getEncoder().encodeToString(mac.doFinal(rawBody));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one statement on the service's database (rows left behind by a crash, URLs changed behind the API). */
    static int sql(String statement, Object... args) {
        try (Connection connection = ServiceTestResource.database().connect();
                PreparedStatement ps = connection.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T query(String statement, Object arg, Class<T> type) {
        try (Connection connection = ServiceTestResource.database().connect();
                PreparedStatement ps = connection.prepareStatement(statement)) {
            ps.setObject(1, arg);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, type);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static UUID uuid(String id) {
        return UUID.fromString(id);
    }
}
