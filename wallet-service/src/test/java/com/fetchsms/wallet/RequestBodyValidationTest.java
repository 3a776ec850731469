package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Every public request body of the wallet is a typed DTO: a missing field, a wrong JSON type, a value out of range and a
 * blank text are each a 4xx whose detail names the field as clients spell it, and none changes anything (no deposit, no
 * ledger entry, no account, no key, no new password).
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class RequestBodyValidationTest {

    private static final String CENTS = "must be an integer number of cents";

    @Inject
    Pool pool;

    @Test
    void aDepositWithAMissingWrongTypedOrOutOfRangeFieldIsRefusedNamingItAndWritesNothing() {
        TestAccounts.TestAccount account = TestAccounts.create();
        deposit(account, "{\"method\": \"card\"}").statusCode(400).body("detail",
                equalTo("'amount_cents' is required"));
        deposit(account, "{\"amount_cents\": null, \"method\": \"card\"}").statusCode(400)
                .body("detail", equalTo("'amount_cents' is required"));
        for (String amount : new String[]{"10.5", "1000.0", "\"1000\"", "true", "[1000]", "{}"}) {
            deposit(account, "{\"amount_cents\": " + amount + ", \"method\": \"card\"}").statusCode(400)
                    .body("detail", equalTo("Field 'amount_cents' " + CENTS));
        }
        deposit(account, "{\"amount_cents\": 99999999999999999999, \"method\": \"card\"}").statusCode(422)
                .body("detail", equalTo("Field 'amount_cents' is out of range"));
        deposit(account, "{\"amount_cents\": 1000, \"method\": \"\"}").statusCode(422)
                .body("detail", equalTo("'method' must be one of card, crypto"));
        deposit(account, "{\"amount_cents\": 1000, \"method\": \"CARD\"}").statusCode(422)
                .body("detail", equalTo("'method' must be one of card, crypto"));
        deposit(account, "{}").statusCode(400)
                .body("detail", equalTo("'amount_cents' is required; 'method' is required"));
        deposit(account, "").statusCode(400).body("detail", equalTo("A JSON body is required: {amount_cents, method}"));
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM deposit WHERE account_id = $1", account.id()));
        assertNoLedgerEntry(account.id());
    }

    @Test
    void aCreditWithAMissingWrongTypedOrOutOfRangeFieldIsRefusedNamingItAndMovesNoMoney() {
        TestAccounts.TestAccount account = TestAccounts.create();
        credit(account.id(), "{\"reason\": \"goodwill\"}").statusCode(400)
                .body("detail", equalTo("'amount_cents' is required"));
        credit(account.id(), "{\"amount_cents\": \"500\", \"reason\": \"goodwill\"}").statusCode(400)
                .body("detail", equalTo("Field 'amount_cents' " + CENTS));
        credit(account.id(), "{\"amount_cents\": 5.5, \"reason\": \"goodwill\"}").statusCode(400)
                .body("detail", equalTo("Field 'amount_cents' " + CENTS));
        credit(account.id(), "{\"amount_cents\": -99999999999999999999, \"reason\": \"goodwill\"}").statusCode(422)
                .body("detail", equalTo("Field 'amount_cents' is out of range"));
        credit(account.id(), "{\"amount_cents\": 500, \"reason\": \"  \"}").statusCode(400)
                .body("detail", equalTo("'reason' is required"));
        credit(account.id(), "{\"amount_cents\": 500, \"reason\": 7}").statusCode(400)
                .body("detail", equalTo("Field 'reason' has the wrong type"));
        assertEquals(0L, TestAccounts.balance(account));
        assertNoLedgerEntry(account.id());
    }

    @Test
    void aSignupOrLoginWithAMissingWrongTypedOrBlankFieldIsRefusedNamingItAndCreatesNoAccount() {
        String email = TestAccounts.freshEmail();
        auth("signup", "{\"email\": \"   \", \"password\": \"" + TestAccounts.PASSWORD + "\"}").statusCode(400)
                .body("detail", equalTo("'email' is required"));
        auth("signup", "{\"email\": 42, \"password\": \"" + TestAccounts.PASSWORD + "\"}").statusCode(400)
                .body("detail", equalTo("Field 'email' has the wrong type"));
        auth("signup", "{\"email\": \"" + email + "\", \"password\": 1234567890123}").statusCode(400)
                .body("detail", equalTo("Field 'password' has the wrong type"));
        auth("signup", "{\"email\": \"" + email + "\", \"password\": true}").statusCode(400)
                .body("detail", equalTo("Field 'password' has the wrong type"));
        auth("login", "{\"password\": \"" + TestAccounts.PASSWORD + "\"}").statusCode(400)
                .body("detail", equalTo("'email' is required"));
        auth("login", "{}").statusCode(400).body("detail", equalTo("'email' is required; 'password' is required"));
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM account WHERE lower(email) = lower($1)", email));
    }

    @Test
    void aPasswordChangeWithAMissingOrWrongTypedFieldIsRefusedNamingItAndKeepsThePassword() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String hash = Db.rows(pool, "SELECT password_hash FROM account WHERE id = $1", account.id()).iterator().next()
                .getString(0);
        password(account, "{\"new_password\": \"another-horse-battery\"}").statusCode(400)
                .body("detail", equalTo("'current_password' is required"));
        password(account, "{\"current_password\": \"" + TestAccounts.PASSWORD + "\", \"new_password\": 12345678901}")
                .statusCode(400).body("detail", equalTo("Field 'new_password' has the wrong type"));
        password(account, "{\"current_password\": [], \"new_password\": \"another-horse-battery\"}").statusCode(400)
                .body("detail", equalTo("Field 'current_password' has the wrong type"));
        TestAccounts.login(account.email(), TestAccounts.PASSWORD).then().statusCode(200);
        assertEquals(hash, Db.rows(pool, "SELECT password_hash FROM account WHERE id = $1", account.id()).iterator()
                .next().getString(0));
    }

    @Test
    void anApiKeyWithAMissingWrongTypedBlankOrLongNameIsRefusedNamingItAndIssuesNoKey() {
        TestAccounts.TestAccount account = TestAccounts.create();
        key(account, "{}").statusCode(400).body("detail", equalTo("'name' is required"));
        key(account, "{\"name\": 42}").statusCode(400).body("detail", equalTo("Field 'name' has the wrong type"));
        key(account, "{\"name\": \"\"}").statusCode(422).body("detail", equalTo("'name' must be 1 to 100 characters"));
        key(account, "{\"name\": \"" + "k".repeat(101) + "\"}").statusCode(422)
                .body("detail", equalTo("'name' must be 1 to 100 characters"));
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM api_key WHERE account_id = $1", account.id()));
    }

    private void assertNoLedgerEntry(UUID accountId) {
        assertEquals(0L, Db.count(pool, """
                SELECT count(*) FROM ledger_entry e JOIN ledger_account w ON w.id = e.ledger_account_id
                WHERE w.account_id = $1""", accountId));
    }

    private static ValidatableResponse deposit(TestAccounts.TestAccount account, String body) {
        return given().auth().oauth2(account.token()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/wallet/deposits").then();
    }

    private static ValidatableResponse credit(UUID accountId, String body) {
        return given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/admin/accounts/" + accountId + "/credits").then();
    }

    private static ValidatableResponse auth(String route, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/auth/" + route).then();
    }

    private static ValidatableResponse password(TestAccounts.TestAccount account, String body) {
        return given().auth().oauth2(account.token()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/account/password").then();
    }

    private static ValidatableResponse key(TestAccounts.TestAccount account, String body) {
        return given().auth().oauth2(account.token()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/api-keys").then();
    }
}
