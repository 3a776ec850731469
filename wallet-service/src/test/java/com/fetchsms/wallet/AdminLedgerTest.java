package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;
import com.fetchsms.wallet.service.WalletService;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * {@code GET /v1/admin/accounts/{id}/ledger}: one account's ledger for an administrator, the customer's ledger entry
 * for entry and page for page, with the reason of each adjustment.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class AdminLedgerTest {

    @Inject
    Pool pool;
    @Inject
    WalletService wallets;

    @Test
    void anAccountsLedgerIsTheCustomersLedgerWithTheReasonOfEachAdjustmentOnly() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String deposit = DepositTest.deposit(account, 1000, "card").then().statusCode(201).extract().path("id");
        UUID purchase = UUID.randomUUID();
        TestAccounts.debit(purchase, account.id(), 140, "v_adminledger1").then().statusCode(201);
        // a refund's transaction keeps the refund's reason as its memo: no administrator's reason
        pool.withTransaction(tx -> wallets.refund(tx, purchase, "verification_cancelled")).await().indefinitely()
                .orElseThrow();
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("amount_cents", -50, "reason", "  duplicate deposit\nticket 4411  "))
                .when().post("/v1/admin/accounts/" + account.id() + "/credits").then().statusCode(201);

        Response customer = given().auth().oauth2(account.token()).when().get("/v1/wallet/ledger");
        customer.then().statusCode(200);
        Response admin = ledger(account.id().toString(), null, null);
        admin.then().statusCode(200)
                .body("type", equalTo(List.of("adjustment", "refund", "debit", "deposit")))
                .body("amount_cents", equalTo(List.of(-50, 140, -140, 1000)))
                .body("balance_after_cents", equalTo(List.of(950, 1000, 860, 1000)))
                .body("ref", equalTo(Arrays.asList(null, "v_adminledger1", "v_adminledger1", deposit)))
                .body("reason", equalTo(Arrays.asList("duplicate deposit\nticket 4411", null, null, null)));
        assertNull(admin.header("Link"), "one page");

        // the customer's entries, field for field, plus the reason
        List<Map<String, Object>> customerItems = customer.jsonPath().getList("$");
        List<Map<String, Object>> adminItems = admin.jsonPath().getList("$");
        assertEquals(customerItems.size(), adminItems.size());
        for (int i = 0; i < adminItems.size(); i++) {
            Map<String, Object> withoutReason = new HashMap<>(adminItems.get(i));
            assertTrue(withoutReason.containsKey("reason"), "reason is written out, null or not: " + adminItems);
            withoutReason.remove("reason");
            assertEquals(customerItems.get(i), withoutReason);
        }
        assertTrue(customerItems.stream().noneMatch(item -> item.containsKey("reason")),
                "the customer never sees the administrator's reason");

        // the reason is the adjustment's stored memo; the refund's and the deposit's memos are not reasons
        assertEquals("duplicate deposit\nticket 4411", Db.rows(pool,
                "SELECT memo FROM ledger_transaction WHERE id = $1", UUID.fromString(admin.path("[0].id")))
                .iterator().next().getString(0));
        assertEquals("verification_cancelled", Db.rows(pool,
                "SELECT memo FROM ledger_transaction WHERE id = $1", UUID.fromString(admin.path("[1].id")))
                .iterator().next().getString(0));
    }

    @Test
    void anAccountsLedgerIsPaginatedWithANextLinkLikeTheCustomersOwn() {
        TestAccounts.TestAccount account = TestAccounts.funded(10_000);
        for (int i = 1; i <= 4; i++) {
            TestAccounts.debit(UUID.randomUUID(), account.id(), i, "v_adminpage" + i).then().statusCode(201);
        }
        List<String> refs = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        List<String> links = new ArrayList<>();
        String next = "/v1/admin/accounts/" + account.id() + "/ledger?limit=2";
        while (next != null) {
            Response page = given().auth().oauth2(TestTokens.admin()).when().get(next);
            page.then().statusCode(200);
            refs.addAll(page.jsonPath().getList("ref"));
            reasons.addAll(page.jsonPath().getList("reason"));
            String link = page.header("Link");
            if (link != null) {
                links.add(link);
                assertEquals("</v1/admin/accounts/" + account.id() + "/ledger?limit=2&before="
                        + page.path("[1].id") + ">; rel=\"next\"", link);
            }
            next = link == null ? null : link.substring(link.indexOf('<') + 1, link.indexOf('>'));
        }
        assertEquals(2, links.size(), "two full pages link to the next one; the last does not: " + links);
        assertEquals(Arrays.asList("v_adminpage4", "v_adminpage3", "v_adminpage2", "v_adminpage1", null), refs);
        assertEquals(Arrays.asList(null, null, null, null, "test funds"), reasons);
    }

    @Test
    void aBadLimitOrCursorIsRefusedAsTheCustomersLedgerRefusesIt() {
        TestAccounts.TestAccount account = TestAccounts.funded(100);
        String id = account.id().toString();
        for (String limit : List.of("0", "201", "-1")) {
            ledger(id, limit, null).then().statusCode(422)
                    .body("detail", equalTo("Query parameter 'limit' must be between 1 and 200"));
        }
        ledger(id, "ten", null).then().statusCode(422)
                .body("detail", equalTo("Query parameter 'limit' must be an integer"));
        ledger(id, null, "nope").then().statusCode(422)
                .body("detail", equalTo("Query parameter 'before' must be an id from the previous page"));
        // another wallet's entry, or no entry at all, is not a cursor of this one
        TestAccounts.TestAccount other = TestAccounts.funded(100);
        String foreign = ledger(other.id().toString(), null, null).path("[0].id");
        ledger(id, null, foreign).then().statusCode(422)
                .body("detail", equalTo("'before' is not an entry of this wallet's ledger"));
        ledger(id, null, UUID.randomUUID().toString()).then().statusCode(422)
                .body("detail", containsString("'before'"));
        ledger(id, "200", null).then().statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void anUnknownAccountIsNotFound() {
        UUID unknown = UUID.randomUUID();
        ledger(unknown.toString(), null, null).then().statusCode(404)
                .body("detail", equalTo("Unknown account " + unknown));
        ledger("not-an-id", null, null).then().statusCode(404).body("detail", equalTo("No account not-an-id"));
        // the query is checked first, as on the customer's ledger
        ledger(unknown.toString(), "0", null).then().statusCode(422);
    }

    @Test
    void onlyAnAdministratorsSessionReadsAnAccountsLedger() {
        TestAccounts.TestAccount account = TestAccounts.funded(100);
        String path = "/v1/admin/accounts/" + account.id() + "/ledger";
        given().when().get(path).then().statusCode(401);
        given().auth().oauth2(TestTokens.expired(UUID.randomUUID())).when().get(path).then().statusCode(401);
        // not even the account's own customer
        given().auth().oauth2(account.token()).when().get(path).then().statusCode(403);
        given().auth().oauth2(TestTokens.user(account.id())).when().get(path).then().statusCode(403);
    }

    @Test
    void theOpenApiDocumentDescribesTheRouteAndItsEntriesWithTheirReason() {
        io.restassured.path.json.JsonPath openApi = given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().jsonPath();
        Map<String, Object> operation = openApi.getMap("paths.'/v1/admin/accounts/{id}/ledger'.get");
        assertTrue(operation != null, String.valueOf(openApi.getMap("paths").keySet()));
        assertEquals("#/components/schemas/AccountLedgerItem",
                openApi.getString("paths.'/v1/admin/accounts/{id}/ledger'.get.responses.'200'.content."
                        + "'application/json'.schema.items.'$ref'"),
                String.valueOf(operation));
        assertEquals(List.of("id", "type", "amount_cents", "balance_after_cents", "ref", "reason", "created_at"),
                new ArrayList<>(openApi.getMap("components.schemas.AccountLedgerItem.properties").keySet()));
    }

    private static Response ledger(String accountId, String limit, String before) {
        var request = given().auth().oauth2(TestTokens.admin());
        if (limit != null) {
            request = request.queryParam("limit", limit);
        }
        if (before != null) {
            request = request.queryParam("before", before);
        }
        return request.when().get("/v1/admin/accounts/" + accountId + "/ledger");
    }
}
