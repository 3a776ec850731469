package com.fetchsms.rental;

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
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fetchsms.common.events.SmsInbound;
import com.fetchsms.common.phone.PhoneNumbers;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceCredentials;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.SmsWatermarks;
import com.fetchsms.testkit.TestTokens;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
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

    private static int sessions;

    Fixtures() {
        this(UUID.randomUUID());
    }

    private Fixtures(UUID account) {
        this(account, TestTokens.user(account));
    }

    private Fixtures(UUID account, String token) {
        this.account = account;
        this.token = token;
    }

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
        return new Fixtures(account, TestTokens.token(account, Set.of("user"), 3600 + ++sessions));
    }

    Response rent(Object service, Object days) {
        return rent(service, days, null, null);
    }

    Response rent(Object service, Object days, String areaCode, String idempotencyKey) {
        Map<String, Object> body = new HashMap<>();
        body.put("service", service);
        body.put("days", days);
        if (areaCode != null) {
            body.put("area_code", areaCode);
        }
        RequestSpecification request = as().contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/v1/rentals");
    }

    JsonPath rental(String id) {
        return as().get("/v1/rentals/" + id).then().statusCode(200).extract().jsonPath();
    }

    List<Map<String, Object>> messages(String id) {
        return as().get("/v1/rentals/" + id + "/messages").then().statusCode(200).extract().jsonPath()
                .getList("$");
    }

    /** Waits until the rental's status is {@code status}. */
    void awaitStatus(String id, String status, Duration timeout) {
        await("status of rental " + id + " to be " + status).atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> rental(id).getString("status"), status::equals);
    }

    /** Waits until the rental's messages satisfy {@code done}; answers them. */
    List<Map<String, Object>> awaitMessages(String id, Predicate<List<Map<String, Object>>> done,
            Duration timeout) {
        return await("messages of rental " + id).atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> messages(id), done::test);
    }

    /**
     * Waits until this service's consumers have applied the event {@code eventId} (its {@code processed_event} row
     * commits with whatever applying it changed): what it did, or did not do, is visible from then on.
     */
    static void awaitApplied(String eventId, Duration timeout) {
        await("event " + eventId + " applied").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> count("SELECT count(*) FROM processed_event WHERE event_id = ?", eventId) > 0);
    }

    /**
     * Every record of {@code topic} with key {@code key}, once the outbox holds none of the key's rows: everything
     * committed for the key so far has been published and is counted, without waiting for a quiet period.
     */
    static List<KafkaEvents.Received> publishedOfKey(String topic, String key, Duration timeout) {
        await("outbox rows of " + key + " published").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> count("SELECT count(*) FROM outbox_event WHERE message_key = ? AND parked_at IS NULL",
                        key) == 0);
        return KafkaEvents.upToNow(topic, r -> key.equals(r.key()));
    }

    static long count(String sql, String arg) {
        try (Connection connection = ServiceTestResource.database().connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, arg);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String stub() {
        return ConfigProvider.getConfig().getValue("fetchsms.services.wallet-url", String.class);
    }

    static String stubText(String path) {
        return given().get(stub() + path).asString();
    }

    static long heldNumbers() {
        return Long.parseLong(stubText("/stub/active-reservations"));
    }

    /** What catalog-service does when it consumes a rental's end: the number goes back to the pool. */
    static void releaseAtCatalog(String rentalId) {
        ServiceCredentials.internal().post(stub() + "/internal/reservations/" + rentalId + "/release").then()
                .statusCode(200);
    }

    /** An SMS as sms-ingest would publish it, to the number shown as {@code display}; answers its message id. */
    static UUID sms(String display, String sender, String body, String detectedService, String code,
            Instant receivedAt) {
        UUID messageId = UUID.randomUUID();
        KafkaEvents.send(inbound(messageId, display, sender, body, detectedService, code, receivedAt));
        return messageId;
    }

    /** As {@link #sms}, answering the event id instead (to wait until it was applied, see {@link #awaitApplied}). */
    static String smsEvent(String display, String sender, String body, String detectedService, String code,
            Instant receivedAt) {
        return KafkaEvents.send(inbound(UUID.randomUUID(), display, sender, body, detectedService, code, receivedAt));
    }

    private static SmsInbound inbound(UUID messageId, String display, String sender, String body,
            String detectedService, String code, Instant receivedAt) {
        return new SmsInbound(messageId, PhoneNumbers.toE164(display).orElseThrow(), sender, body,
                detectedService, detectedService == null
                        ? null
                        : detectedService.substring(0, 1).toUpperCase()
                                + detectedService.substring(1),
                code, UUID.randomUUID(), receivedAt);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
