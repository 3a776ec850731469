package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class AdminAccountsTest {

    @Inject
    Pool pool;

    @Test
    void creditsAndCorrectionsAreAdjustmentsThatNeverTakeTheBalanceBelowZero() {
        TestAccounts.TestAccount account = TestAccounts.create();
        UUID admin = UUID.randomUUID();
        credit(admin, account.id().toString(), Map.of("amount_cents", 500, "reason", "  goodwill  ")).then()
                .statusCode(201)
                .body("id", notNullValue())
                .body("account_id", equalTo(account.id().toString()))
                .body("type", equalTo("adjustment"))
                .body("amount_cents", equalTo(500))
                .body("balance_after_cents", equalTo(500))
                .body("reason", equalTo("goodwill"))
                .body("created_at", notNullValue());
        credit(admin, account.id().toString(), Map.of("amount_cents", -200, "reason", "double credit")).then()
                .statusCode(201).body("balance_after_cents", equalTo(300));
        credit(admin, account.id().toString(), Map.of("amount_cents", -400, "reason", "too much")).then()
                .statusCode(409).body("detail",
                        equalTo("An adjustment of -400 cents would take the balance below zero (balance: 300 cents)"));
        assertEquals(300, TestAccounts.balance(account));
        assertEquals(admin, Db.rows(pool, """
                SELECT t.created_by FROM ledger_transaction t JOIN ledger_entry e ON e.transaction_id = t.id
                JOIN ledger_account w ON w.id = e.ledger_account_id WHERE w.account_id = $1 LIMIT 1""", account.id())
                .iterator().next().getUUID(0));

        credit(admin, account.id().toString(), Map.of("amount_cents", 0, "reason", "nothing")).then().statusCode(422);
        credit(admin, account.id().toString(), Map.of("amount_cents", 100)).then().statusCode(400)
                .body("detail", equalTo("'reason' is required"));
        credit(admin, account.id().toString(), Map.of("amount_cents", 1.5, "reason", "x")).then().statusCode(400);
        credit(admin, UUID.randomUUID().toString(), Map.of("amount_cents", 100, "reason", "x")).then()
                .statusCode(404);
        credit(admin, "not-an-id", Map.of("amount_cents", 100, "reason", "x")).then().statusCode(404);
        assertEquals(300, TestAccounts.balance(account));
        Db.assertLedgerConsistent(pool);
    }

    @Test
    void accountsAreFoundByAnyPartOfTheirEmailInAnyCaseWithBalancesAndPages() {
        String tag = "Tag" + UUID.randomUUID().toString().substring(0, 8);
        for (String name : List.of("a", "b", "c")) {
            String email = name + "-" + tag + "@Example.com";
            TestAccounts.signup(email, TestAccounts.PASSWORD).then().statusCode(201);
        }
        Response all = list(tag.toLowerCase(Locale.ROOT), null, null);
        all.then().statusCode(200)
                .body("email", equalTo(List.of("a-" + tag + "@Example.com", "b-" + tag + "@Example.com",
                        "c-" + tag + "@Example.com")))
                .body("balance_cents", equalTo(List.of(0, 0, 0)))
                .body("role", equalTo(List.of("user", "user", "user")));
        UUID first = UUID.fromString(all.path("[0].id"));
        TestAccounts.credit(first, 700);
        list(tag.toUpperCase(Locale.ROOT), null, null).then().body("[0].balance_cents", equalTo(700));

        Response page = list(tag, "2", null);
        page.then().statusCode(200).body("email.size()", equalTo(2));
        String link = page.header("Link");
        assertTrue(link != null && link.contains("after=" + page.path("[1].id")), link);
        String nextUri = link.substring(link.indexOf('<') + 1, link.indexOf('>'));
        Response last = given().auth().oauth2(TestTokens.admin()).when().get(nextUri);
        last.then().statusCode(200).body("email", equalTo(List.of("c-" + tag + "@Example.com")));
        assertNull(last.header("Link"));

        // LIKE wildcards are matched literally
        list("%", null, null).then().statusCode(200).body("size()", equalTo(0));
        list(tag, "0", null).then().statusCode(422);
        list(tag, null, "nope").then().statusCode(422);
    }

    private static Response credit(UUID admin, String accountId, Map<String, Object> body) {
        return given().auth().oauth2(TestTokens.admin(admin)).contentType(ContentType.JSON).body(body)
                .when().post("/v1/admin/accounts/" + accountId + "/credits");
    }

    private static Response list(String email, String limit, String after) {
        var request = given().auth().oauth2(TestTokens.admin()).queryParam("email", email);
        if (limit != null) {
            request = request.queryParam("limit", limit);
        }
        if (after != null) {
            request = request.queryParam("after", after);
        }
        return request.when().get("/v1/admin/accounts");
    }
}
