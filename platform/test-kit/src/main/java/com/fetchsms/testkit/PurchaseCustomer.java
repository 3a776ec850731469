package com.fetchsms.testkit;

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
import java.util.function.BiFunction;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fetchsms.common.events.SmsInbound;
import com.fetchsms.common.phone.PhoneNumbers;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A customer of a purchase service's tests (verification-service, rental-service): an account with a session, money
 * in the stub wallet of {@link PlatformStubs}, and what both products' tests do through the real API. Each service's
 * {@code Fixtures} extends it with its own purchase request ({@code C} is that class, so chained calls keep it).
 */
public abstract class PurchaseCustomer<C extends PurchaseCustomer<C>> {

    static {
        // an idle sms-ingest's arrival watermarks: without them no window or term would ever end (decision 0016)
        SmsWatermarks.keepUp();
    }

    private static int sessions;

    public final UUID account;
    public final String token;
    private final BiFunction<UUID, String, C> session;

    /** A new account with a session; {@code session} makes the same customer with another credential. */
    protected PurchaseCustomer(BiFunction<UUID, String, C> session) {
        this(UUID.randomUUID(), null, session);
    }

    protected PurchaseCustomer(UUID account, String token, BiFunction<UUID, String, C> session) {
        this.account = account;
        this.token = token == null ? TestTokens.user(account) : token;
        this.session = session;
    }

    @SuppressWarnings("unchecked")
    private C self() {
        return (C) this;
    }

    public C withBalance(long cents) {
        given().put(stub() + "/stub/balance/" + account + "/" + cents).then().statusCode(200);
        return self();
    }

    public long balance() {
        return Long.parseLong(given().get(stub() + "/stub/balance/" + account).asString());
    }

    public RequestSpecification as() {
        return given().auth().oauth2(token);
    }

    /** Another session of the same account (a credential with its own rate-limit bucket). */
    public C anotherSession() {
        synchronized (PurchaseCustomer.class) {
            return session.apply(account, TestTokens.token(account, Set.of("user"), 3600 + ++sessions));
        }
    }

    /**
     * {@code POST path} with the fields {@code nameThenValue} (a value may be null), plus {@code area_code} and the
     * {@code Idempotency-Key} header when given.
     */
    protected Response purchase(String path, String areaCode, String idempotencyKey, Object... nameThenValue) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < nameThenValue.length; i += 2) {
            body.put((String) nameThenValue[i], nameThenValue[i + 1]);
        }
        if (areaCode != null) {
            body.put("area_code", areaCode);
        }
        RequestSpecification request = as().contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post(path);
    }

    /** The base URL of {@link PlatformStubs} (the stub wallet and catalog). */
    public static String stub() {
        return ConfigProvider.getConfig().getValue("fetchsms.services.wallet-url", String.class);
    }

    public static String stubText(String path) {
        return given().get(stub() + path).asString();
    }

    /** An SMS as sms-ingest would publish it, to the number shown as {@code display}; answers its message id. */
    public static UUID sms(String display, String sender, String body, String detectedService, String code,
            Instant receivedAt) {
        UUID messageId = UUID.randomUUID();
        KafkaEvents.send(inbound(messageId, display, sender, body, detectedService, code, receivedAt));
        return messageId;
    }

    /** As {@link #sms}, answering the event id instead (to wait until it was applied, see {@link #awaitApplied}). */
    public static String smsEvent(String display, String sender, String body, String detectedService, String code,
            Instant receivedAt) {
        return KafkaEvents.send(inbound(UUID.randomUUID(), display, sender, body, detectedService, code, receivedAt));
    }

    private static SmsInbound inbound(UUID messageId, String display, String sender, String body,
            String detectedService, String code, Instant receivedAt) {
        return new SmsInbound(messageId, PhoneNumbers.toE164(display).orElseThrow(), sender, body, detectedService,
                detectedService == null
                        ? null
                        : detectedService.substring(0, 1).toUpperCase() + detectedService.substring(1),
                code, UUID.randomUUID(), receivedAt);
    }

    /**
     * Waits until this service's consumers have applied the event {@code eventId} (its {@code processed_event} row
     * commits with whatever applying it changed): what it did, or did not do, is visible from then on.
     */
    public static void awaitApplied(String eventId, Duration timeout) {
        await("event " + eventId + " applied").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> count("SELECT count(*) FROM processed_event WHERE event_id = ?", eventId) > 0);
    }

    /**
     * Every record of {@code topic} with key {@code key}, once the outbox holds none of the key's rows: everything
     * committed for the key so far has been published and is counted, without waiting for a quiet period.
     */
    public static List<KafkaEvents.Received> publishedOfKey(String topic, String key, Duration timeout) {
        await("outbox rows of " + key + " published").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> count("SELECT count(*) FROM outbox_event WHERE message_key = ? AND parked_at IS NULL",
                        key) == 0);
        return KafkaEvents.upToNow(topic, r -> key.equals(r.key()));
    }

    /** One number read from this test run's database: {@code sql} with one text parameter. */
    public static long count(String sql, String arg) {
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
}
