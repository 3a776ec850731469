package com.fetchsms.testkit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fetchsms.common.events.ApiKeyChanged;
import com.fetchsms.common.events.EventPayload;
import com.fetchsms.common.events.KeyMode;
import com.fetchsms.common.events.SmsInbound;
import com.fetchsms.common.events.Topics;
import com.fetchsms.common.phone.PhoneNumbers;
import com.fetchsms.common.security.ApiKeys;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * A customer of a purchase service's tests (verification-service, rental-service): an account with a session, money
 * in the stub wallet of {@link PlatformStubs}, and what both products' tests do through the real API, including the
 * scenarios both products must pass alike (Idempotency-Key replays, races for money, recovery, API keys, the rate
 * limit), each asserting its outcome (statuses, bodies, rows, balance). Each service's {@code Fixtures} extends it
 * with its product's name and its own purchase request ({@code C} is that class, so chained calls keep it); a
 * scenario takes the product's request as a {@link Purchase}, and its test asserts what is the product's own.
 */
public abstract class PurchaseCustomer<C extends PurchaseCustomer<C>> {

    static {
        // an idle sms-ingest's arrival watermarks: without them no window or term would ever end (decision 0016)
        SmsWatermarks.keepUp();
    }

    /** The detail of a malformed Idempotency-Key (common.input.IdempotencyKeys). */
    private static final String MALFORMED_KEY = "Idempotency-Key must be 1 to 255 printable ASCII characters without spaces";

    private static int sessions;

    public final UUID account;
    public final String token;
    /** {@code verification} or {@code rental}: the table, and the routes under {@code /v1/<product>s}. */
    public final String product;
    private final BiFunction<UUID, String, C> session;

    /** One purchase of the product by {@code customer}, with {@code idempotencyKey} (null: none). */
    @FunctionalInterface
    public interface Purchase<C> {
        Response buy(C customer, String idempotencyKey);
    }

    /** An API key of the account, as wallet-service announces it ({@code api-key.changed}). */
    public record ApiKey(String secret, UUID id, UUID account) {

        public RequestSpecification as() {
            return given().auth().oauth2(secret);
        }
    }

    /** A new account with a session; {@code session} makes the same customer with another credential. */
    protected PurchaseCustomer(String product, BiFunction<UUID, String, C> session) {
        this(product, UUID.randomUUID(), null, session);
    }

    protected PurchaseCustomer(String product, UUID account, String token, BiFunction<UUID, String, C> session) {
        this.product = product;
        this.account = account;
        this.token = token == null ? TestTokens.user(account) : token;
        this.session = session;
    }

    /** The product's routes: {@code /v1/verifications}, {@code /v1/rentals}. */
    public String path() {
        return "/v1/" + product + "s";
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

    /** {@code POST} of a raw body to the product's path. */
    public Response post(String json) {
        return as().contentType(ContentType.JSON).body(json).post(path());
    }

    /** {@code GET} of one of the product's purchases. */
    public ValidatableResponse get(String id) {
        return as().get(path() + "/" + id).then();
    }

    /** Both tabs of the list are empty and the balance is still {@code balance}. */
    public void assertOwnsNothing(long balance) {
        as().queryParam("tab", "history").get(path()).then().statusCode(200).body("size()", equalTo(0));
        as().get(path()).then().statusCode(200).body("size()", equalTo(0));
        assertEquals(balance, balance());
    }

    /**
     * The purchase {@code id} (this customer's) without a credential and the list with an unknown API key are 401 with
     * their details; a path id that is no id is 404, an unknown tab 422.
     */
    public void assertCredentialsAndParametersChecked(String id) {
        given().get(path() + "/" + id).then().statusCode(401)
                .body("detail", equalTo("Missing, invalid, or revoked credential"));
        given().auth().oauth2("fsk_live_unknownunknownunknownunknown12").get(path()).then().statusCode(401)
                .body("detail", equalTo("Invalid or revoked API key"));
        as().get(path() + "/not-a-uuid").then().statusCode(404);
        as().queryParam("tab", "everything").get(path()).then().statusCode(422);
    }

    /** A service reference with a NUL or a lone UTF-16 surrogate is 400 naming the field, and buys nothing. */
    public void assertHostileServiceReferencesRefused(String withNul, String withLoneSurrogate) {
        long balance = balance();
        post(withNul).then().statusCode(400)
                .body("detail", equalTo("'service' must not contain control characters"));
        post(withLoneSurrogate).then().statusCode(400)
                .body("detail", equalTo("'service' is not valid Unicode text (a lone UTF-16 surrogate)"));
        assertOwnsNothing(balance);
    }

    /**
     * Every malformed Idempotency-Key (empty, blank, with a space, too long, not ASCII) is 400 with the documented
     * detail, and nothing is bought.
     */
    public void assertMalformedIdempotencyKeysBuyNothing(Purchase<C> purchase) {
        long balance = balance();
        for (String bad : List.of("", "   ", "has space", "x".repeat(256), "caf\u00e9")) {
            purchase.buy(self(), bad).then().statusCode(400).body("detail", equalTo(MALFORMED_KEY));
        }
        assertOwnsNothing(balance);
        assertEquals(0L, rows(""), "no row written");
    }

    /**
     * The same request twice with one new Idempotency-Key: both 201 with the same purchase, which the wallet debited
     * once; {@code other} (another request) with that key is 422. Answers the replayed answer.
     */
    public JsonPath assertRetryWithOneKeyBuysOnce(Purchase<C> purchase, Purchase<C> other) {
        String key = UUID.randomUUID().toString();
        String first = purchase.buy(self(), key).then().statusCode(201).extract().path("id");
        JsonPath replayed = purchase.buy(self(), key).then().statusCode(201).body("id", equalTo(first)).extract()
                .jsonPath();
        other.buy(self(), key).then().statusCode(422)
                .body("detail", equalTo("This Idempotency-Key was already used with a different request"));
        assertEquals("1", stubText("/stub/debits/" + first), "debited once");
        assertEquals(1L, rows(" AND idempotency_key = '" + key + "'"));
        return replayed;
    }

    /**
     * A refusal is kept for its Idempotency-Key: with no money the purchase is 402, and with money again the same key
     * still answers 402 (a replay answers what the first call answered) while a new key buys. This customer must start
     * with a balance of 0; {@code topUp} must pay for one purchase.
     */
    public void assertARefusalIsReplayedForItsKey(Purchase<C> purchase, long topUp) {
        purchase.buy(self(), "k-402").then().statusCode(402);
        withBalance(topUp);
        purchase.buy(self(), "k-402").then().statusCode(402);
        String bought = purchase.buy(self(), "k-new").then().statusCode(201).extract().path("id");
        assertEquals("0", stubText("/stub/debits/" + failedWith(402)), "the refusal debited nothing");
        assertEquals("1", stubText("/stub/debits/" + bought));
    }

    /**
     * {@code purchases} purchases at once from {@code sessions} sessions of this account, whose balance pays for
     * {@code affordable}: exactly those are 201 and the others 402, the balance ends at 0, only the paid ones hold a
     * number at the catalog, and the table holds as many paid rows and the others failed. A request refused by the
     * rate limit (429, which the account's sessions share) bought nothing and is sent again.
     */
    public void assertARaceForMoneyPaysExactlyWhatTheBalanceAllows(int purchases, int sessions, int affordable,
            Purchase<C> purchase) throws Exception {
        long heldBefore = heldNumbers();
        List<C> credentials = new ArrayList<>(List.of(self()));
        while (credentials.size() < sessions) {
            credentials.add(anotherSession());
        }
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < purchases; i++) {
            C credential = credentials.get(i % credentials.size());
            calls.add(() -> {
                int status;
                while ((status = purchase.buy(credential, null).statusCode()) == 429) {
                    Thread.sleep(50);
                }
                return status;
            });
        }
        ExecutorService executor = Executors.newFixedThreadPool(purchases);
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> f : executor.invokeAll(calls)) {
                statuses.add(f.get());
            }
        } finally {
            executor.shutdownNow();
        }
        assertEquals(affordable, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(purchases - affordable, statuses.stream().filter(s -> s == 402).count(), statuses.toString());
        assertEquals(0, balance());
        assertEquals(heldBefore + affordable, heldNumbers(), "only the paid purchases hold a number");
        // paid (a slow machine may already have expired some) and refused
        assertEquals(affordable, rows(" AND status <> 'failed'"));
        assertEquals(purchases - affordable, rows(" AND status = 'failed'"));
    }

    /**
     * The stub wallet hangs once it has debited this account: the purchase answers 503 naming the Idempotency-Key, the
     * wallet did debit ({@code balanceAfterDebit}), and the recovery job finishes the purchase: within {@code timeout}
     * the same request with the key answers it, waiting with a number, debited once and never again. Answers its id.
     */
    public String assertAPurchaseInterruptedAfterItsDebitIsFinishedByRecovery(Purchase<C> purchase,
            long balanceAfterDebit, Duration timeout) {
        given().put(stub() + "/stub/hang-after-debit/" + account).then().statusCode(200);
        purchase.buy(self(), "crash-1").then().statusCode(503).body("detail", containsString("Idempotency-Key"));
        assertEquals(balanceAfterDebit, balance(), "the wallet did debit");
        String id = only("SELECT id FROM " + product + " WHERE account_id = ?", account).toString();
        await().atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> purchase.buy(self(), "crash-1").statusCode() == 201);
        purchase.buy(self(), "crash-1").then().statusCode(201).body("id", equalTo(id))
                .body("status", equalTo("waiting")).body("number", notNullValue());
        assertEquals(balanceAfterDebit, balance(), "recovery found the debit instead of charging again");
        assertEquals("1", stubText("/stub/debits/" + id));
        return id;
    }

    /**
     * A purchase of service {@code serviceRef} left {@code pending} a minute ago before any call (a crash right after
     * its insert), with the product's own columns ({@code nameThenValue}), is finished by the recovery job within
     * {@code timeout}: {@code waiting}, paid ({@code balanceAfter}). Answers its GET.
     */
    public ValidatableResponse assertAPurchaseLeftPendingByACrashIsFinishedByRecovery(String ref, String serviceRef,
            long balanceAfter, Duration timeout, Object... nameThenValue) {
        UUID id = UUID.randomUUID();
        StringBuilder columns = new StringBuilder();
        StringBuilder values = new StringBuilder();
        List<Object> args = new ArrayList<>(List.of(id, ref, account, serviceRef));
        for (int i = 0; i < nameThenValue.length; i += 2) {
            columns.append(", ").append(nameThenValue[i]);
            values.append(", ?");
            args.add(nameThenValue[i + 1]);
        }
        update("INSERT INTO " + product + " (id, ref, account_id, service_ref, status, request_hash, created_at"
                + columns + ") VALUES (?, ?, ?, ?, 'pending', 'x', now() - interval '1 minute'" + values + ")",
                args.toArray());
        await("recovery of " + id).atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> only("SELECT status FROM " + product + " WHERE id = ?", id), "waiting"::equals);
        assertEquals(balanceAfter, balance());
        return get(id.toString()).statusCode(200).body("status", equalTo("waiting")).body("number", notNullValue());
    }

    /** The id of this account's purchase that the saga refused with {@code failureStatus}. */
    public String failedWith(int failureStatus) {
        return only("SELECT id FROM " + product + " WHERE account_id = ? AND failure_status = ?", account,
                failureStatus).toString();
    }

    /** How many of this account's purchase rows match {@code andWhere} (SQL after {@code AND}, or empty). */
    public long rows(String andWhere) {
        return ((Number) only("SELECT count(*) FROM " + product + " WHERE account_id = ?" + andWhere, account))
                .longValue();
    }

    /**
     * A new API key of this account, announced active as wallet-service does; answers it once the service accepts it
     * (within {@code timeout}).
     */
    public ApiKey activeApiKey(Duration timeout) {
        String secret = ApiKeys.generate();
        ApiKey key = new ApiKey(secret, UUID.randomUUID(), account);
        announce(key, ApiKeyChanged.ACTIVE);
        await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> key.as().get(path()).statusCode() == 200);
        return key;
    }

    /** Revokes {@code key} as wallet-service does; within {@code timeout} it is 401 on the purchase {@code id}. */
    public void assertRevokedKeyIsRefused(ApiKey key, String id, Duration timeout) {
        announce(key, ApiKeyChanged.REVOKED);
        await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> key.as().get(path() + "/" + id).statusCode() == 401);
    }

    private static void announce(ApiKey key, String status) {
        KafkaEvents.send(new ApiKeyChanged(ApiKeys.hash(key.secret()), key.id(), key.account(),
                ApiKeys.shownPrefix(key.secret()), status, Instant.now(),
                key.secret().startsWith(KeyMode.TEST.prefix()) ? KeyMode.TEST : KeyMode.LIVE));
    }

    // ---------------------------------------------------------------- the sandbox (test keys), the same for both

    /**
     * A new test key ({@code fsk_test_…}) of this customer's sandbox twin, announced active as wallet-service does:
     * {@code mode: test}, and the twin's own account id (a separate account, never this one). Answers it once the
     * service accepts it (within {@code timeout}).
     */
    public ApiKey testApiKey(Duration timeout) {
        ApiKey key = new ApiKey(ApiKeys.generate(KeyMode.TEST), UUID.randomUUID(), UUID.randomUUID());
        announce(key, ApiKeyChanged.ACTIVE);
        await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> key.as().get(path()).statusCode() == 200);
        return key;
    }

    /**
     * This customer's sandbox twin as a customer of its own: its account is the twin's, its credential a new test key
     * ({@link #testApiKey}); its balance is the twin's at the stub wallet (test money).
     */
    public C sandboxTwin(Duration timeout) {
        ApiKey key = testApiKey(timeout);
        return session.apply(key.account(), key.secret());
    }

    /** The {@code sandbox} flag of each reservation call made for purchase {@code id} ({@code true,true}; none). */
    public static String reservationCalls(String id) {
        return stubText("/stub/reservation-sandbox/" + id);
    }

    /**
     * A test key's purchase is a sandbox purchase: 201 and {@code GET} with {@code "sandbox": true}, its row flagged,
     * its reservation asked for with {@code sandbox: true} and held on a sandbox number (the stub's
     * {@code (201) 555-01XX}), paid from the twin's test money ({@code price}). This customer's own purchase (a
     * session) says {@code "sandbox": false}, asked for a live number; neither account sees the other's purchase.
     * Answers the sandbox purchase's id.
     */
    public String assertATestKeyBuysInTheSandbox(Purchase<C> purchase, long price) {
        C twin = sandboxTwin(Duration.ofSeconds(20)).withBalance(1000);
        String id = purchase.buy(twin, null).then().statusCode(201).body("sandbox", equalTo(true))
                .body("number", startsWith("(201) 555-01")).body("cost_cents", equalTo((int) price)).extract()
                .path("id");
        twin.get(id).statusCode(200).body("sandbox", equalTo(true));
        assertEquals("true", reservationCalls(id), "the reservation asked for a sandbox number");
        assertEquals("true", value("SELECT sandbox::text FROM " + product + " WHERE id = ?", UUID.fromString(id)));
        assertEquals(1000 - price, twin.balance(), "paid with the twin's test money");

        long before = balance();
        String live = purchase.buy(self(), null).then().statusCode(201).body("sandbox", equalTo(false))
                .body("number", not(startsWith("(201) 555-01"))).extract().path("id");
        get(live).statusCode(200).body("sandbox", equalTo(false));
        assertEquals("false", reservationCalls(live), "a live purchase asks for a live number");
        assertEquals("false", value("SELECT sandbox::text FROM " + product + " WHERE id = ?", UUID.fromString(live)));
        assertEquals(before - price, balance());
        assertEquals(1000 - price, twin.balance());

        get(id).statusCode(404);
        twin.get(live).statusCode(404);
        return id;
    }

    /**
     * The recovery job keeps a sandbox purchase in the sandbox: one left pending by a crash before any call is
     * finished with a reservation asked for with {@code sandbox: true} (its only call), on a sandbox number; one
     * interrupted after its debit is finished with every reservation call (the request's and recovery's)
     * {@code sandbox: true}. {@code ref} and {@code nameThenValue} are as for
     * {@link #assertAPurchaseLeftPendingByACrashIsFinishedByRecovery}; {@code price} what the stub charges for
     * {@code purchase} and for {@code serviceRef}'s purchase.
     */
    public void assertRecoveryKeepsASandboxPurchaseInTheSandbox(Purchase<C> purchase, String ref, String serviceRef,
            long price, Duration timeout, Object... nameThenValue) {
        C twin = sandboxTwin(Duration.ofSeconds(20)).withBalance(1000);
        Object[] columns = java.util.Arrays.copyOf(nameThenValue, nameThenValue.length + 2);
        columns[nameThenValue.length] = "sandbox";
        columns[nameThenValue.length + 1] = true;
        String crashed = twin.assertAPurchaseLeftPendingByACrashIsFinishedByRecovery(ref, serviceRef, 1000 - price,
                timeout, columns).body("sandbox", equalTo(true)).body("number", startsWith("(201) 555-01"))
                .extract().path("id");
        assertEquals("true", reservationCalls(crashed), "recovery asked for a sandbox number");

        // another twin: the scenario finds its purchase as the account's only one
        C other = sandboxTwin(Duration.ofSeconds(20)).withBalance(1000);
        String interrupted = other.assertAPurchaseInterruptedAfterItsDebitIsFinishedByRecovery(purchase,
                1000 - price, timeout);
        other.get(interrupted).statusCode(200).body("sandbox", equalTo(true))
                .body("number", startsWith("(201) 555-01"));
        String calls = reservationCalls(interrupted);
        assertTrue(calls.matches("true(,true)+"), "the request's call and recovery's, each sandbox: " + calls);
    }

    /**
     * A catalog that does not know the sandbox answers a sandbox purchase with a live number: the saga gives it back
     * before any debit and answers 409; nothing is charged, nothing is held.
     */
    public void assertASandboxPurchaseIsNeverPaidOnALiveNumber(Purchase<C> purchase) {
        C twin = sandboxTwin(Duration.ofSeconds(20)).withBalance(1000);
        given().put(stub() + "/stub/ignore-sandbox/true").then().statusCode(200);
        try {
            purchase.buy(twin, "sbx-live").then().statusCode(409)
                    .body("detail", equalTo("No sandbox number is available right now; nothing was charged"));
        } finally {
            given().put(stub() + "/stub/ignore-sandbox/false").then().statusCode(200);
        }
        String id = twin.failedWith(409);
        assertEquals("released", stubText("/stub/reservation/" + id), "the live number was given back");
        assertEquals("0", stubText("/stub/debits/" + id));
        assertEquals(1000, twin.balance());
        twin.assertOwnsNothing(1000);
    }

    /**
     * A burst above {@code limit} from this credential is refused with 429 ({@link RateLimitProbe}); another account
     * is not limited. The burst asks for an unknown id, which is 404 without touching the database, so it measures
     * the limiter.
     */
    public void assertABurstAboveTheLimitIsRefused(int limit) throws Exception {
        RateLimitProbe.burst(unknownPurchase(), token, 404, limit);
        session.apply(UUID.randomUUID(), null).as().get(path()).then().statusCode(200);
    }

    /** The URI of a purchase that cannot exist ({@code /v1/verifications/not-a-verification}). */
    public URI unknownPurchase() {
        return URI.create(RestAssured.baseURI + ":" + RestAssured.port + path() + "/not-a-" + product);
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
        update("INSERT INTO " + product + " (id, ref, account_id, service_ref, status, request_hash, created_at, "
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

    // ---------------------------------------------------------------- reports, the same for both products

    /** {@code POST <path>/<id>/report}, with {@code {"reason": reason}} as its body, or no body when null. */
    public Response report(String id, String reason) {
        RequestSpecification request = as();
        if (reason != null) {
            request.contentType(ContentType.JSON).body(Map.of("reason", reason));
        }
        return request.post(path() + "/" + id + "/report");
    }

    /**
     * A report of a waiting purchase (decision 0021) cancels it as {@code reported} with its text: 200 with
     * {@code status: cancelled}, {@code cancel_reason: reported} and {@code report_reason}; reporting again and
     * cancelling after it answer the same reported purchase; one cancelled event (on {@code cancelledTopic}) carries
     * {@code reason: reported}, so the wallet refunds it once. A report without a body stores no text, and an ordinary
     * cancel says {@code cancel_reason: customer} (its event {@code reason: customer}); a waiting purchase shows
     * {@code cancel_reason: null}. Each purchase was debited once.
     */
    public void assertAReportCancelsAsReportedAndRefundsOnce(Purchase<C> purchase, String cancelledTopic) {
        String id = purchase.buy(self(), null).then().statusCode(201).body("cancel_reason", nullValue())
                .body("$", not(hasKey("report_reason"))).extract().path("id");
        report(id, "No SMS ever came \u2014 number seems dead").then().statusCode(200).body("id", equalTo(id))
                .body("status", equalTo("cancelled")).body("cancel_reason", equalTo("reported"))
                .body("report_reason", equalTo("No SMS ever came \u2014 number seems dead"));
        report(id, "again").then().statusCode(200).body("status", equalTo("cancelled"))
                .body("cancel_reason", equalTo("reported"))
                .body("report_reason", equalTo("No SMS ever came \u2014 number seems dead"));
        as().post(path() + "/" + id + "/cancel").then().statusCode(200).body("cancel_reason", equalTo("reported"));
        get(id).statusCode(200).body("status", equalTo("cancelled")).body("cancel_reason", equalTo("reported"));
        assertEquals("reported", value("SELECT cancel_reason FROM " + product + " WHERE id = ?", UUID.fromString(id)));
        List<KafkaEvents.Received> events = publishedOfKey(cancelledTopic, id, Duration.ofSeconds(30));
        assertEquals(1, events.size(), "one cancelled event: refunded once");
        assertEquals("reported", events.get(0).data().get("reason").asText());
        assertEquals("1", stubText("/stub/debits/" + id), "debited once, at the purchase");

        String silent = purchase.buy(self(), null).then().statusCode(201).extract().path("id");
        report(silent, null).then().statusCode(200).body("cancel_reason", equalTo("reported"))
                .body("$", not(hasKey("report_reason")));
        assertEquals("reported", publishedOfKey(cancelledTopic, silent, Duration.ofSeconds(30)).get(0).data()
                .get("reason").asText());

        String cancelled = purchase.buy(self(), null).then().statusCode(201).extract().path("id");
        as().post(path() + "/" + cancelled + "/cancel").then().statusCode(200)
                .body("cancel_reason", equalTo("customer")).body("$", not(hasKey("report_reason")));
        List<KafkaEvents.Received> cancel = publishedOfKey(cancelledTopic, cancelled, Duration.ofSeconds(30));
        assertEquals(1, cancel.size());
        assertEquals("customer", cancel.get(0).data().get("reason").asText());
    }

    /**
     * A report's {@code reason} is checked before anything changes: longer than 200 characters is 422, a control
     * character or a value that is not text 400, each naming {@code reason}; another account's or an unknown purchase
     * is 404; the purchase {@code id} (this customer's, waiting) is still waiting afterwards.
     */
    public void assertAReportIsCheckedBeforeItCancels(String id) {
        report(id, "x".repeat(201)).then().statusCode(422)
                .body("detail", equalTo("'reason' must be at most 200 characters"));
        report(id, "bad\ttext").then().statusCode(400)
                .body("detail", equalTo("'reason' must not contain control characters"));
        as().contentType(ContentType.JSON).body("{\"reason\": 42}").post(path() + "/" + id + "/report").then()
                .statusCode(400).body("detail", containsString("'reason'"));
        session.apply(UUID.randomUUID(), null).report(id, null).then().statusCode(404);
        report(UUID.randomUUID().toString(), null).then().statusCode(404);
        report("not-an-id", null).then().statusCode(404);
        get(id).statusCode(200).body("status", equalTo("waiting")).body("cancel_reason", nullValue());
    }

    // ---------------------------------------------------------------- long polls, the same for both products

    /**
     * {@code GET <path>?wait=<seconds>} sent now, answered later: the request is waiting in the service (its
     * {@code fetchsms_purchase_waiters} gauge counts it) when this returns.
     */
    public CompletableFuture<Response> longPoll(String path, int seconds) {
        double before = Metrics.value("fetchsms_purchase_waiters");
        CompletableFuture<Response> answer = CompletableFuture
                .supplyAsync(() -> as().queryParam("wait", seconds).get(path));
        await("long poll of " + path + " waiting").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> answer.isDone() || Metrics.value("fetchsms_purchase_waiters") > before);
        return answer;
    }

    /** The long polls woken by a change so far: {@code fetchsms_push_delay_seconds_count{channel="long_poll"}}. */
    public static double longPollPushes() {
        return Metrics.value("fetchsms_push_delay_seconds_count", "channel", "long_poll");
    }

    /**
     * A long poll of purchase {@code id} is answered as soon as {@code change} happens, long before its wait of 30 s
     * ends, with what changed ({@code field} = {@code expected}); its push delay was recorded before the answer left.
     */
    public void assertALongPollIsAnsweredByTheChange(String id, Runnable change, String field, Object expected)
            throws Exception {
        double pushed = longPollPushes();
        CompletableFuture<Response> answer = longPoll(path() + "/" + id, 30);
        assertFalse(answer.isDone(), "a waiting purchase keeps the long poll waiting");
        change.run();
        answer.get(15, TimeUnit.SECONDS).then().statusCode(200).body(field, equalTo(expected));
        assertTrue(longPollPushes() >= pushed + 1, "the long poll woken by the change recorded its push delay");
    }

    /**
     * A long poll of a purchase that does not change answers it as it is when the wait ends; one of a purchase that
     * is no longer waiting answers at once; a wait that is not 0-60 whole seconds is 422 naming it.
     */
    public void assertALongPollEndsWithItsWait(String waitingId, String endedId) {
        double pushed = longPollPushes();
        long started = System.nanoTime();
        as().queryParam("wait", 1).get(path() + "/" + waitingId).then().statusCode(200)
                .body("status", equalTo("waiting"));
        assertTrue(System.nanoTime() - started >= 1_000_000_000L, "it waited its second");
        started = System.nanoTime();
        String status = as().queryParam("wait", 30).get(path() + "/" + endedId).then().statusCode(200)
                .extract().path("status");
        assertTrue(System.nanoTime() - started < 15_000_000_000L, "an ended purchase is answered at once");
        assertFalse("waiting".equals(status));
        // both answers have left: neither a wait that ended nor an answer at once pushed a change
        assertEquals(pushed, longPollPushes(), "no push delay without a change");
        for (String bad : List.of("61", "-1", "1.5", "soon")) {
            as().queryParam("wait", bad).get(path() + "/" + waitingId).then().statusCode(422)
                    .body("detail", equalTo("'wait' must be a whole number of seconds from 0 to 60"));
        }
        assertEquals(0.0, Metrics.value("fetchsms_purchase_waiters"), "no request is left waiting");

        // a client that goes away mid-wait leaves nothing waiting behind it, long before its wait would have ended
        CompletableFuture<Response> abandoned = CompletableFuture.supplyAsync(() -> as()
                .config(RestAssured.config().httpClient(io.restassured.config.HttpClientConfig.httpClientConfig()
                        .setParam("http.socket.timeout", 1000)))
                .queryParam("wait", 60).get(path() + "/" + waitingId));
        await("the abandoned long poll is let go").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> abandoned.isDone() && Metrics.value("fetchsms_purchase_waiters") == 0.0);
    }

    /**
     * A change committed by another replica reaches this replica's long polls through the product's event alone:
     * {@code commitElsewhere} changes the row as that replica would, {@code event} is what it publishes.
     */
    public void assertALongPollIsAnsweredByAnotherReplicasEvent(String id, Runnable commitElsewhere,
            EventPayload event, String status) throws Exception {
        double pushed = longPollPushes();
        CompletableFuture<Response> answer = longPoll(path() + "/" + id, 30);
        commitElsewhere.run();
        // the event again each second until answered: this replica's reader of the events may still be joining
        await("the long poll answered by the event").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofSeconds(1)).until(() -> {
                    if (!answer.isDone()) {
                        KafkaEvents.send(event);
                    }
                    return answer.isDone();
                });
        answer.get().then().statusCode(200).body("status", equalTo(status));
        assertTrue(longPollPushes() >= pushed + 1, "the long poll woken by the event recorded its push delay");
    }

    /** How many numbers the stub catalog holds for purchases. */
    public static long heldNumbers() {
        return Long.parseLong(stubText("/stub/active-reservations"));
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
     * Waits until this service's SMS consumer has handled every {@code sms.inbound} event acknowledged by the broker
     * before this call, whether it applied it or skipped it without a trace (an SMS on a number it holds for no
     * purchase, {@code IdempotentConsumer.BatchHandler.relevant}): once every partition's arrival watermark, which the
     * consumer records only after the SMS before it on that partition, is past this call's start. The watermarks come
     * from {@link SmsWatermarks#keepUp()} (a second behind now), so this takes a little over a second.
     */
    public static void awaitSmsHandled(Duration timeout) {
        String sent = Instant.now().toString();
        long partitions = KafkaEvents.partitions(Topics.SMS_INBOUND);
        await("every SMS sent before " + sent + " handled").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> count("SELECT count(*) FROM arrival_watermark WHERE accepted_before > ?::timestamptz",
                        sent) >= partitions);
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

    /** The one value of the one row {@code sql} answers in this test run's database, with {@code args}. */
    public static Object only(String sql, Object... args) {
        try (Connection connection = ServiceTestResource.database().connect();
                PreparedStatement statement = prepare(connection, sql, args);
                ResultSet rows = statement.executeQuery()) {
            if (!rows.next()) {
                throw new AssertionError("no row: " + sql);
            }
            return rows.getObject(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
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

    /** Runs {@code sql} with {@code args} in this test run's database. */
    public static void update(String sql, Object... args) {
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
