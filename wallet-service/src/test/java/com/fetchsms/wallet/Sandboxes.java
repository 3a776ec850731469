package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.fetchsms.testkit.ServiceCredentials;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

/** Test fixtures of the sandbox: test keys through the public API, the twin and the platform accounts' sums. */
final class Sandboxes {

    /** A test key and the account it acts on (the customer's sandbox twin). */
    record TestKey(String id, String key, UUID twin) {
    }

    private Sandboxes() {
    }

    static Response issue(TestAccounts.TestAccount account, String name, String mode) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        if (mode != null) {
            body.put("mode", mode);
        }
        return given().auth().oauth2(account.token()).contentType(ContentType.JSON).body(body).when()
                .post("/v1/api-keys");
    }

    /** A new test key of the customer (its twin is made with the first). */
    static TestKey testKey(Pool pool, TestAccounts.TestAccount account) {
        Response created = issue(account, "ci", "test");
        created.then().statusCode(201);
        return new TestKey(created.path("id"), created.path("key"), twinOf(pool, account.id()));
    }

    static UUID twinOf(Pool pool, UUID customer) {
        return Db.rows(pool, "SELECT id FROM account WHERE sandbox_of = $1", customer).iterator().next().getUUID(0);
    }

    static Response introspect(String keyHash) {
        return ServiceCredentials.internal().contentType(ContentType.JSON).body(Map.of("key_hash", keyHash)).when()
                .post("/internal/api-keys/introspect");
    }

    /** The sum of a platform account's entries (what it gained). */
    static long platformSum(Pool pool, String kind) {
        return Db.count(pool, """
                SELECT COALESCE(sum(e.amount_cents), 0) FROM ledger_entry e
                JOIN ledger_account p ON p.id = e.ledger_account_id WHERE p.kind = $1""", kind);
    }

    static Response sandboxWallet(String credential) {
        return given().auth().oauth2(credential).when().get("/v1/sandbox/wallet");
    }

    static Response topUp(String credential, Object amountCents) {
        Map<String, Object> body = new HashMap<>();
        body.put("amount_cents", amountCents);
        return given().auth().oauth2(credential).contentType(ContentType.JSON).body(body).when()
                .post("/v1/sandbox/wallet/top-up");
    }
}
