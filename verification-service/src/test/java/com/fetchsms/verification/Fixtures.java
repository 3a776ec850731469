package com.fetchsms.verification;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fetchsms.common.events.SmsInbound;
import com.fetchsms.common.phone.PhoneNumbers;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.SmsWatermarks;
import com.fetchsms.testkit.TestTokens;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** A customer with a session, money in the stub wallet, and helpers that go through the real API. */
final class Fixtures {

    static {
        // an idle sms-ingest's arrival watermarks: without them no window or term would ever end (decision 0016)
        SmsWatermarks.keepUp();
    }

    final UUID account;
    final String token;

    Fixtures withBalance(long cents) {
        given().put(stub() + "/stub/balance/" + account + "/" + cents).then().statusCode(200);
        return this;
    }

    long balance() {
        return Long.parseLong(given().get(stub() + "/stub/balance/" + account).asString());
    }

    RequestSpecification as() {
        return given().auth().oauth2(token);
    }

    /** Another session of the same account (a credential with its own rate-limit bucket). */
    Fixtures anotherSession() {
        Fixtures other = new Fixtures(account, TestTokens.token(account, java.util.Set.of("user"), 3600 + sessions++));
        return other;
    }

    private static int sessions;

    private Fixtures(UUID account, String token) {
        this.account = account;
        this.token = token;
    }

    Fixtures() {
        this.account = UUID.randomUUID();
        this.token = TestTokens.user(account);
    }

    Response create(Object service) {
        return create(service, null, null);
    }

    Response create(Object service, String areaCode, String idempotencyKey) {
        Map<String, Object> body = new HashMap<>();
        body.put("service", service);
        if (areaCode != null) {
            body.put("area_code", areaCode);
        }
        RequestSpecification request = as().contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/v1/verifications");
    }

    static String stub() {
        return ConfigProvider.getConfig().getValue("fetchsms.services.wallet-url", String.class);
    }

    static String stubText(String path) {
        return given().get(stub() + path).asString();
    }

    /** An SMS as sms-ingest would publish it, to the number shown as {@code display}. */
    static void sms(String display, String detectedService, String code, Instant receivedAt) {
        KafkaEvents.send(new SmsInbound(UUID.randomUUID(), PhoneNumbers.toE164(display).orElseThrow(),
                detectedService == null ? "12345" : detectedService, "Your code is " + code, detectedService,
                detectedService == null
                        ? null
                        : detectedService.substring(0, 1).toUpperCase() + detectedService.substring(1),
                code,
                UUID.randomUUID(), receivedAt));
    }

    /**
     * Every record of {@code topic} with key {@code key}, once the outbox holds none of the key's rows: everything
     * committed for the key so far has been published and is counted, without waiting for a quiet period.
     */
    static List<KafkaEvents.Received> publishedOfKey(String topic, String key, Duration timeout) {
        await("outbox rows of " + key + " published").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> outboxRows(key) == 0);
        return KafkaEvents.upToNow(topic, r -> key.equals(r.key()));
    }

    private static long outboxRows(String key) {
        try (Connection connection = ServiceTestResource.database().connect();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(*) FROM outbox_event WHERE message_key = ? AND parked_at IS NULL")) {
            statement.setString(1, key);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
