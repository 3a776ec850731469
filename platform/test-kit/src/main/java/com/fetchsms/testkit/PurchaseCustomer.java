package com.fetchsms.testkit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

    /**
     * This product's usual purchase (the one its price-cap checks buy) with {@code max_price_cents} set to
     * {@code maxPriceCents} (any JSON value; null sends {@code "max_price_cents": null}, no cap) and the
     * {@code Idempotency-Key} header when given.
     */
    public abstract Response buyCapped(Object maxPriceCents, String idempotencyKey);

    // ---------------------------------------------------------------- the price cap, the same for both products

    /**
     * {@code max_price_cents} at or above the price buys (issue 15): 201, charged the price, the cap echoed by the
     * answer and by {@code GET}; without a cap the field is absent. {@code product} is {@code verification} or
     * {@code rental} (its table, and its route {@code /v1/<product>s}); {@code price} what the stub catalog charges for
     * {@link #buyCapped}'s purchase. Answers the purchase's id.
     */
    public String assertBuysWithinCap(String product, int price) {
        long before = balance();
        String id = buyCapped(price, null).then().statusCode(201).body("status", equalTo("waiting"))
                .body("cost_cents", equalTo(price)).body("max_price_cents", equalTo(price)).extract().path("id");
        assertEquals(before - price, balance(), "charged the price, which the cap allows");
        assertEquals("1", stubText("/stub/debits/" + id));
        assertEquals("active", stubText("/stub/reservation/" + id));
        as().get("/v1/" + product + "s/" + id).then().statusCode(200).body("max_price_cents", equalTo(price));
        assertEquals(String.valueOf(price), value("SELECT max_price_cents FROM " + product + " WHERE id = ?",
                UUID.fromString(id)));

        String uncapped = buyCapped(null, null).then().statusCode(201).body("cost_cents", equalTo(price))
                .body("$", not(hasKey("max_price_cents"))).extract().path("id");
        as().get("/v1/" + product + "s/" + uncapped).then().statusCode(200).body("$", not(hasKey("max_price_cents")));
        assertEquals(before - 2L * price, balance());
        return id;
    }

    /**
     * {@code max_price_cents} below the price is a 409 saying the price (and {@code price_cents}), answered again to a
     * replay of its Idempotency-Key; nothing is charged, the catalog reserved nothing, no purchase of the account is
     * waiting.
     */
    public void assertRefusedAboveCap(String product, int price) {
        long before = balance();
        String[] counted = {"product", product, "outcome", "price_above_cap", "via", "request"};
        double refusals = Metrics.value("fetchsms_purchases_total", counted);
        String key = "cap-" + UUID.randomUUID();
        String detail = "The current price is " + price + " cents, above 'max_price_cents' (" + (price - 1)
                + "); nothing was charged";
        buyCapped(price - 1, key).then().statusCode(409).body("detail", equalTo(detail))
                .body("price_cents", equalTo(price));
        assertEquals(refusals + 1, Metrics.value("fetchsms_purchases_total", counted),
                "counted as a purchase refused for its cap");
        String id = value("SELECT id FROM " + product + " WHERE account_id = ? AND idempotency_key = ?", account,
                key);
        assertEquals("failed", value("SELECT status FROM " + product + " WHERE id = ?", UUID.fromString(id)));
        assertEquals("none", stubText("/stub/reservation/" + id), "the catalog refused before reserving");
        assertEquals("0", stubText("/stub/debits/" + id));
        assertEquals(before, balance(), "nothing charged");
        assertEquals("0", value("SELECT count(*) FROM " + product + " WHERE account_id = ? AND status = 'waiting'",
                account));

        buyCapped(price - 1, key).then().statusCode(409).body("detail", equalTo(detail))
                .body("price_cents", equalTo(price));
        buyCapped(price, key).then().statusCode(422).body("detail", containsString("different request"));
        assertEquals(before, balance());
        assertEquals(refusals + 1, Metrics.value("fetchsms_purchases_total", counted), "a replay is no purchase");
    }

    /**
     * A catalog that reserves above the cap anyway (one that does not know it): the saga checks the price again before
     * the debit, gives the number back and answers the same 409; nothing is charged.
     */
    public void assertCapCheckedAgainBeforeTheDebit(String product, int price) {
        long before = balance();
        given().put(stub() + "/stub/ignore-price-cap/true").then().statusCode(200);
        try {
            String key = "cap-" + UUID.randomUUID();
            buyCapped(price - 1, key).then().statusCode(409).body("price_cents", equalTo(price))
                    .body("detail", containsString("The current price is " + price + " cents"));
            String id = value("SELECT id FROM " + product + " WHERE account_id = ? AND idempotency_key = ?", account,
                    key);
            assertEquals("released", stubText("/stub/reservation/" + id), "the reservation was given back");
            assertEquals("0", stubText("/stub/debits/" + id));
            assertEquals(String.valueOf(price),
                    value("SELECT failure_price_cents FROM " + product + " WHERE id = ?", UUID.fromString(id)));
            buyCapped(price - 1, key).then().statusCode(409).body("price_cents", equalTo(price));
        } finally {
            given().put(stub() + "/stub/ignore-price-cap/false").then().statusCode(200);
        }
        assertEquals(before, balance());
    }

    /**
     * A purchase left pending by a crash, with a cap below the price, is refused by the recovery job as its request
     * would have been: failed with the 409 and the price, nothing reserved or charged. {@code columns} and
     * {@code values} are the product's own required columns (a rental's {@code days}), as SQL.
     */
    public void assertRecoveryHeldToCap(String product, String serviceRef, int price, String columns,
            String values) {
        long before = balance();
        UUID id = UUID.randomUUID();
        execute("INSERT INTO " + product + " (id, ref, account_id, service_ref, status, request_hash, created_at, "
                + "max_price_cents" + columns + ") VALUES (?, ?, ?, ?, 'pending', 'x', now() - interval '1 minute', ?"
                + values + ")", id, product.charAt(0) + "_cap" + id.toString().substring(0, 8), account, serviceRef,
                price - 1);
        await("recovery of " + id).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> value("SELECT status FROM " + product + " WHERE id = ?", id), "failed"::equals);
        assertEquals("409", value("SELECT failure_status FROM " + product + " WHERE id = ?", id));
        assertEquals(String.valueOf(price), value("SELECT failure_price_cents FROM " + product + " WHERE id = ?", id));
        assertEquals("none", stubText("/stub/reservation/" + id));
        assertEquals("0", stubText("/stub/debits/" + id));
        assertEquals(before, balance());
    }

    /**
     * A cap that is not a whole number of cents above zero buys nothing: 422 naming {@code max_price_cents} for a
     * number the rule refuses, 400 naming it for a value of another JSON type (as every amount in cents).
     */
    public void assertInvalidCapRefused(String product) {
        long before = balance();
        for (Object cap : new Object[]{0, -1, -500}) {
            buyCapped(cap, null).then().statusCode(422)
                    .body("detail", equalTo("'max_price_cents' must be an integer number of cents greater than 0"));
        }
        buyCapped(99_999_999_999L, null).then().statusCode(422)
                .body("detail", equalTo("Field 'max_price_cents' is out of range"));
        for (Object cap : new Object[]{10.5, "100", true, List.of(100)}) {
            buyCapped(cap, null).then().statusCode(400).body("detail",
                    equalTo("Field 'max_price_cents' must be an integer number of cents greater than 0"));
        }
        assertEquals("0", value("SELECT count(*) FROM " + product + " WHERE account_id = ?", account));
        assertEquals(before, balance());
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

    /** The first column of the first row of {@code sql} with {@code args}, as text (null without a row). */
    public static String value(String sql, Object... args) {
        try (Connection connection = ServiceTestResource.database().connect();
                PreparedStatement statement = prepare(connection, sql, args);
                ResultSet rows = statement.executeQuery()) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code sql} with {@code args} on this test run's database. */
    public static void execute(String sql, Object... args) {
        try (Connection connection = ServiceTestResource.database().connect();
                PreparedStatement statement = prepare(connection, sql, args)) {
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... args) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
        return statement;
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
