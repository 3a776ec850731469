package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceCredentials;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * NUL, other control characters and broken UTF-16 in client text are a 4xx naming the field, never a 500, and store
 * nothing. Bodies are written as raw JSON so that {@code \u0000} and lone surrogates reach the service as sent.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class HostileTextTest {

    private static final String NUL = "\\u0000";
    private static final String LONE_SURROGATE = "\\ud800";

    @Inject
    Pool pool;

    @Test
    void anEmailWithANulIsRefusedNamingTheFieldAndCreatesNoAccount() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        post("/v1/auth/signup", "{\"email\": \"nul" + NUL + tag + "@example.com\", \"password\": \"" +
                TestAccounts.PASSWORD + "\"}").then().statusCode(400)
                .body("detail", equalTo("'email' must not contain control characters"));
        post("/v1/auth/login", "{\"email\": \"nul" + NUL + tag + "@example.com\", \"password\": \"" +
                TestAccounts.PASSWORD + "\"}").then().statusCode(400)
                .body("detail", equalTo("'email' must not contain control characters"));
        post("/v1/auth/signup", "{\"email\": \"sur" + LONE_SURROGATE + tag + "@example.com\", \"password\": \"" +
                TestAccounts.PASSWORD + "\"}").then().statusCode(400)
                .body("detail", equalTo("'email' is not valid Unicode text (a lone UTF-16 surrogate)"));
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM account WHERE email LIKE '%' || $1 || '%'", tag));
    }

    @Test
    void anAdministratorsSearchWithANulIsRefusedNamingTheParameter() {
        given().auth().oauth2(TestTokens.admin()).urlEncodingEnabled(false).queryParam("email", "a%00b")
                .when().get("/v1/admin/accounts").then().statusCode(400)
                .body("detail", equalTo("'email' must not contain control characters"));
    }

    @Test
    void aPasswordWithANulOrALoneSurrogateIsRefusedNamingTheFieldAndCreatesNoAccount() {
        String email = TestAccounts.freshEmail();
        post("/v1/auth/signup", "{\"email\": \"" + email + "\", \"password\": \"horse" + NUL + "battery-staple\"}")
                .then().statusCode(400).body("detail", equalTo("'password' must not contain control characters"));
        post("/v1/auth/signup", "{\"email\": \"" + email + "\", \"password\": \"horse" + LONE_SURROGATE
                + "battery-staple\"}").then().statusCode(400)
                .body("detail", equalTo("'password' is not valid Unicode text (a lone UTF-16 surrogate)"));
        post("/v1/auth/login", "{\"email\": \"" + email + "\", \"password\": \"horse" + NUL + "battery-staple\"}")
                .then().statusCode(400).body("detail", equalTo("'password' must not contain control characters"));
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM account WHERE lower(email) = lower($1)", email));
    }

    @Test
    void anApiKeyNameWithANulOrALoneSurrogateIsRefusedNamingTheFieldAndIssuesNoKey() {
        TestAccounts.TestAccount account = TestAccounts.create();
        for (String name : new String[]{"prod" + NUL + "uction", "bell\\u0007", "c1\\u0085"}) {
            issue(account, "{\"name\": \"" + name + "\"}").then().statusCode(400)
                    .body("detail", equalTo("'name' must not contain control characters"));
        }
        issue(account, "{\"name\": \"prod" + LONE_SURROGATE + "\"}").then().statusCode(400)
                .body("detail", equalTo("'name' is not valid Unicode text (a lone UTF-16 surrogate)"));
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM api_key WHERE account_id = $1", account.id()));
        issue(account, "{\"name\": \"Production \\uD83D\\uDE80\"}").then().statusCode(201)
                .body("name", equalTo("Production \uD83D\uDE80"));
    }

    @Test
    void anAdjustmentReasonWithANulIsRefusedNamingTheFieldAndChangesNoBalance() {
        TestAccounts.TestAccount account = TestAccounts.create();
        for (String reason : new String[]{"good" + NUL + "will", "good" + LONE_SURROGATE + "will"}) {
            given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                    .body("{\"amount_cents\": 500, \"reason\": \"" + reason + "\"}")
                    .when().post("/v1/admin/accounts/" + account.id() + "/credits").then().statusCode(400)
                    .body("detail", is(reason.contains(NUL)
                            ? "'reason' must not contain control characters"
                            : "'reason' is not valid Unicode text (a lone UTF-16 surrogate)"));
        }
        assertEquals(0L, TestAccounts.balance(account));
        assertEquals(0L, Db.count(pool, """
                SELECT count(*) FROM ledger_entry e JOIN ledger_account w ON w.id = e.ledger_account_id
                WHERE w.account_id = $1""", account.id()));
        // a reason may span lines
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body("{\"amount_cents\": 500, \"reason\": \"goodwill\\nticket 42\"}")
                .when().post("/v1/admin/accounts/" + account.id() + "/credits").then().statusCode(201);
    }

    @Test
    void aDebitReferenceWithANulIsRefusedNamingTheField() {
        TestAccounts.TestAccount account = TestAccounts.funded(1000);
        UUID purchase = UUID.randomUUID();
        ServiceCredentials.internal().contentType(ContentType.JSON)
                .body("{\"purchase_id\": \"" + purchase + "\", \"account_id\": \""
                        + account.id() + "\", \"amount_cents\": 100, \"ref\": \"tele" + NUL + "gram\"}")
                .when().post("/internal/debits").then().statusCode(400)
                .body("detail", equalTo("'ref' must not contain control characters"));
        assertEquals(1000L, TestAccounts.balance(account));
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM debit WHERE purchase_id = $1", purchase));
    }

    private static Response post(String path, String json) {
        return given().contentType(ContentType.JSON).body(json).when().post(path);
    }

    private static Response issue(TestAccounts.TestAccount account, String json) {
        return given().auth().oauth2(account.token()).contentType(ContentType.JSON).body(json).when()
                .post("/v1/api-keys");
    }
}
