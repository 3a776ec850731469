package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.Topics;
import com.fetchsms.common.security.ApiKeys;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;
import com.fetchsms.wallet.domain.AccountSummary;
import com.fetchsms.wallet.service.AccountService;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Test keys (decision 0024): a customer's first test key makes its sandbox twin (one, whatever the races) with a
 * starting balance of test money; the key acts on the twin, its events and introspection say so; the customer lists
 * and revokes live and test keys together.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class SandboxKeysTest {

    @Inject
    Pool pool;

    @Inject
    AccountService accounts;

    @Test
    void theFirstTestKeyMakesTheTwinWithItsStartingBalanceAndIsPublishedWithItsMode() {
        TestAccounts.TestAccount account = TestAccounts.create();
        long fundingBefore = Sandboxes.platformSum(pool, "sandbox_funding");
        Response created = Sandboxes.issue(account, "ci", "test");
        created.then().statusCode(201)
                .body("mode", equalTo("test"))
                .body("key", matchesPattern("fsk_test_[0-9A-Za-z]{32}"))
                .body("name", equalTo("ci"));
        String key = created.path("key");
        assertEquals(key.substring(0, 13), created.path("prefix"));

        // the twin: an account of its own, no email, no password, pointing at the customer's
        Row twin = Db.rows(pool, "SELECT * FROM account WHERE sandbox_of = $1", account.id()).iterator().next();
        UUID twinId = twin.getUUID("id");
        assertNull(twin.getString("email"));
        assertNull(twin.getString("password_hash"));
        Row stored = Db.rows(pool, "SELECT account_id, mode FROM api_key WHERE id = $1",
                UUID.fromString(created.path("id"))).iterator().next();
        assertEquals(twinId, stored.getUUID("account_id"));
        assertEquals("test", stored.getString("mode"));

        // its wallet holds the starting balance, one top_up booked against sandbox_funding
        assertEquals(10_000L, Db.count(pool, "SELECT balance_cents FROM ledger_account WHERE account_id = $1",
                twinId));
        Row entry = Db.rows(pool, """
                SELECT t.type, t.ref, e.amount_cents, e.balance_after_cents,
                       (SELECT p.kind FROM ledger_entry o JOIN ledger_account p ON p.id = o.ledger_account_id
                        WHERE o.transaction_id = t.id AND o.ledger_account_id <> w.id) AS other_side
                FROM ledger_entry e JOIN ledger_account w ON w.id = e.ledger_account_id
                JOIN ledger_transaction t ON t.id = e.transaction_id WHERE w.account_id = $1""", twinId)
                .iterator().next();
        assertEquals("top_up", entry.getString("type"));
        assertEquals("starting_balance", entry.getString("ref"));
        assertEquals(10_000L, entry.getLong("amount_cents"));
        assertEquals(10_000L, entry.getLong("balance_after_cents"));
        assertEquals("sandbox_funding", entry.getString("other_side"));
        assertEquals(fundingBefore - 10_000, Sandboxes.platformSum(pool, "sandbox_funding"));

        // the event names the twin and the mode
        KafkaEvents.Received event = KafkaEvents.await(Topics.API_KEY_CHANGED,
                r -> ApiKeys.hash(key).equals(r.key()), Duration.ofSeconds(20));
        assertEquals("active", event.data().get("status").asText());
        assertEquals("test", event.data().get("mode").asText());
        assertEquals(twinId.toString(), event.data().get("account_id").asText());

        // a second test key acts on the same twin; no second starting balance
        Response second = Sandboxes.issue(account, "ci-2", "test");
        second.then().statusCode(201).body("mode", equalTo("test"));
        assertEquals(1L, Db.count(pool, "SELECT count(*) FROM account WHERE sandbox_of = $1", account.id()));
        assertEquals(twinId, Db.rows(pool, "SELECT account_id FROM api_key WHERE id = $1",
                UUID.fromString(second.path("id"))).iterator().next().getUUID(0));
        assertEquals(10_000L, Db.count(pool, "SELECT balance_cents FROM ledger_account WHERE account_id = $1",
                twinId));
        Db.assertLedgerConsistent(pool);
    }

    @Test
    void aKeyIsLiveByDefaultOrWhenAskedAndAnyOtherModeIs422() {
        TestAccounts.TestAccount account = TestAccounts.create();
        Response byDefault = Sandboxes.issue(account, "default", null);
        byDefault.then().statusCode(201).body("mode", equalTo("live"))
                .body("key", matchesPattern("fsk_live_[0-9A-Za-z]{32}"));
        Response live = Sandboxes.issue(account, "live", "live");
        live.then().statusCode(201).body("mode", equalTo("live"));
        String key = live.path("key");
        KafkaEvents.Received event = KafkaEvents.await(Topics.API_KEY_CHANGED,
                r -> ApiKeys.hash(key).equals(r.key()), Duration.ofSeconds(20));
        assertEquals("live", event.data().get("mode").asText());
        assertEquals(account.id().toString(), event.data().get("account_id").asText());

        for (String mode : List.of("TEST", "sandbox", "", " test", "production")) {
            Sandboxes.issue(account, "bad", mode).then().statusCode(422)
                    .body("detail", equalTo("'mode' must be \"live\" or \"test\""));
        }
        given().auth().oauth2(account.token()).contentType(ContentType.JSON)
                .body("{\"name\": \"bad\", \"mode\": \"te\\u0000st\"}").when().post("/v1/api-keys").then()
                .statusCode(400);
        // live keys never made a twin; refused modes wrote nothing
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM account WHERE sandbox_of = $1", account.id()));
        assertEquals(2L, Db.count(pool, "SELECT count(*) FROM api_key WHERE account_id = $1", account.id()));
    }

    @Test
    void racingFirstTestKeysMakeOneTwinWithOneStartingBalance() throws Exception {
        TestAccounts.TestAccount account = TestAccounts.create();
        int racers = 8;
        ExecutorService pool8 = Executors.newFixedThreadPool(racers);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < racers; i++) {
                String name = "racer-" + i;
                answers.add(pool8.submit((Callable<Response>) () -> Sandboxes.issue(account, name, "test")));
            }
            Set<String> keys = new HashSet<>();
            for (Future<Response> answer : answers) {
                Response response = answer.get();
                assertEquals(201, response.statusCode(), response.asString());
                keys.add(response.path("key"));
            }
            assertEquals(racers, keys.size());
        } finally {
            pool8.shutdownNow();
        }
        assertEquals(1L, Db.count(pool, "SELECT count(*) FROM account WHERE sandbox_of = $1", account.id()));
        UUID twin = Sandboxes.twinOf(pool, account.id());
        assertEquals((long) racers, Db.count(pool, "SELECT count(*) FROM api_key WHERE account_id = $1 AND mode = "
                + "'test'", twin));
        assertEquals(1L, Db.count(pool, """
                SELECT count(*) FROM ledger_entry e JOIN ledger_account w ON w.id = e.ledger_account_id
                WHERE w.account_id = $1""", twin));
        assertEquals(10_000L, Db.count(pool, "SELECT balance_cents FROM ledger_account WHERE account_id = $1",
                twin));
        Db.assertLedgerConsistent(pool);
    }

    @Test
    void theCustomerListsAndRevokesLiveAndTestKeysTogether() {
        TestAccounts.TestAccount account = TestAccounts.create();
        Response live = Sandboxes.issue(account, "live one", "live");
        Response test = Sandboxes.issue(account, "test one", "test");
        String liveId = live.path("id");
        String testId = test.path("id");
        String testKey = test.path("key");

        given().auth().oauth2(account.token()).when().get("/v1/api-keys").then().statusCode(200)
                .body("id", equalTo(List.of(testId, liveId)))
                .body("mode", equalTo(List.of("test", "live")))
                .body("prefix", equalTo(List.of(testKey.substring(0, 13), ((String) live.path("key")).substring(0,
                        13))));

        // another customer can neither see nor revoke them
        TestAccounts.TestAccount other = TestAccounts.create();
        given().auth().oauth2(other.token()).when().get("/v1/api-keys").then().statusCode(200)
                .body("id", equalTo(List.of()));
        given().auth().oauth2(other.token()).when().delete("/v1/api-keys/" + testId).then().statusCode(404);

        // the customer's session revokes the test key: revoked is published with its mode and the twin
        given().auth().oauth2(account.token()).when().delete("/v1/api-keys/" + testId).then().statusCode(204);
        given().auth().oauth2(account.token()).when().delete("/v1/api-keys/" + testId).then().statusCode(204);
        KafkaEvents.Received revoked = KafkaEvents.await(Topics.API_KEY_CHANGED,
                r -> ApiKeys.hash(testKey).equals(r.key()) && "revoked".equals(r.data().path("status").asText()),
                Duration.ofSeconds(20));
        assertEquals("test", revoked.data().get("mode").asText());
        assertEquals(Sandboxes.twinOf(pool, account.id()).toString(), revoked.data().get("account_id").asText());
        given().auth().oauth2(account.token()).when().delete("/v1/api-keys/" + liveId).then().statusCode(204);
        given().auth().oauth2(account.token()).when().get("/v1/api-keys").then().statusCode(200)
                .body("revoked_at", everyItem(notNullValue()));
        // a revoked test key no longer works
        Sandboxes.sandboxWallet(testKey).then().statusCode(401);
    }

    @Test
    void liveAndTestKeysShareTheCustomersCap() {
        TestAccounts.TestAccount account = TestAccounts.create();
        for (int i = 0; i < 24; i++) {
            Sandboxes.issue(account, "live-" + i, "live").then().statusCode(201);
        }
        Sandboxes.issue(account, "test-0", "test").then().statusCode(201);
        Sandboxes.issue(account, "test-1", "test").then().statusCode(422);
        Sandboxes.issue(account, "live-25", "live").then().statusCode(422);
    }

    @Test
    void introspectionCarriesTheModeAndTheTwin() {
        TestAccounts.TestAccount account = TestAccounts.create();
        Sandboxes.TestKey test = Sandboxes.testKey(pool, account);
        String live = Sandboxes.issue(account, "live", null).path("key");

        Sandboxes.introspect(ApiKeys.hash(test.key())).then().statusCode(200)
                .body("key_id", equalTo(test.id()))
                .body("account_id", equalTo(test.twin().toString()))
                .body("prefix", equalTo(test.key().substring(0, 13)))
                .body("status", equalTo("active"))
                .body("mode", equalTo("test"));
        Sandboxes.introspect(ApiKeys.hash(live)).then().statusCode(200)
                .body("account_id", equalTo(account.id().toString()))
                .body("mode", equalTo("live"));
        given().auth().oauth2(account.token()).when().delete("/v1/api-keys/" + test.id()).then().statusCode(204);
        Sandboxes.introspect(ApiKeys.hash(test.key())).then().statusCode(200)
                .body("status", equalTo("revoked")).body("mode", equalTo("test"));
    }

    @Test
    void aTwinIsNoCustomerItNeverSignsInIsNotListedAndIsNotAdjusted() {
        TestAccounts.TestAccount account = TestAccounts.create();
        Sandboxes.TestKey test = Sandboxes.testKey(pool, account);

        // the administrators' search lists the customer, never a twin
        List<UUID> ids = accounts.search(null, null, 1_000_000).await().atMost(Duration.ofSeconds(30)).items()
                .stream().map(AccountSummary::id).toList();
        assertTrue(ids.contains(account.id()));
        assertFalse(ids.contains(test.twin()));
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM account WHERE id = ANY($1::uuid[]) AND sandbox_of IS NOT "
                + "NULL", (Object) ids.toArray(new UUID[0])));
        given().auth().oauth2(TestTokens.admin()).queryParam("email", account.email()).when()
                .get("/v1/admin/accounts").then().statusCode(200).body("id", equalTo(List.of(account.id()
                        .toString())));
        assertEquals(0L, Db.count(pool, """
                SELECT count(*) FROM account WHERE sandbox_of IS NOT NULL AND (email IS NOT NULL
                                                                            OR password_hash IS NOT NULL)"""));

        // its test money is not an administrator's to adjust
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("amount_cents", 500, "reason", "test")).when()
                .post("/v1/admin/accounts/" + test.twin() + "/credits").then().statusCode(422)
                .body("detail", matchesPattern(".*sandbox account.*"));
        assertEquals(10_000L, Db.count(pool, "SELECT balance_cents FROM ledger_account WHERE account_id = $1",
                test.twin()));

        // a test key manages no keys and reads no live wallet
        given().auth().oauth2(test.key()).when().get("/v1/api-keys").then().statusCode(403);
        given().auth().oauth2(test.key()).contentType(ContentType.JSON).body(Map.of("name", "x", "mode", "test"))
                .when().post("/v1/api-keys").then().statusCode(403);
        given().auth().oauth2(test.key()).when().get("/v1/wallet").then().statusCode(403);
        given().auth().oauth2(test.key()).when().get("/v1/account").then().statusCode(403);
    }

    @Test
    void theDatabaseRefusesATwinWithCredentialsAndACustomerWithout() {
        TestAccounts.TestAccount account = TestAccounts.create();
        Sandboxes.testKey(pool, account);
        UUID twin = Sandboxes.twinOf(pool, account.id());
        assertRefused("UPDATE account SET email = 'twin@example.com', password_hash = 'x' WHERE id = $1", twin);
        assertRefused("UPDATE account SET password_hash = NULL WHERE id = $1", account.id());
        assertRefused("INSERT INTO account (id, role) SELECT gen_random_uuid(), 'user' FROM account WHERE id = $1",
                account.id());
        // one twin per customer
        assertRefused("INSERT INTO account (id, role, sandbox_of) VALUES (gen_random_uuid(), 'user', $1)",
                account.id());
    }

    private void assertRefused(String sql, UUID id) {
        try {
            Db.rows(pool, sql, id);
        } catch (RuntimeException e) {
            return;
        }
        throw new AssertionError("The database accepted: " + sql);
    }
}
