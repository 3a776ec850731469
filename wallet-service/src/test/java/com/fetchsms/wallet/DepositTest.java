package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class DepositTest {

    @Inject
    Pool pool;

    @Test
    void aSandboxDepositCompletesAtOnceAndCreditsTheWalletOnce() {
        TestAccounts.TestAccount account = TestAccounts.create();
        Response deposit = deposit(account, 2500, "card");
        deposit.then().statusCode(201)
                .body("amount_cents", equalTo(2500))
                .body("method", equalTo("card"))
                .body("status", equalTo("completed"))
                .body("created_at", notNullValue())
                .body("$", not(hasKey("account_id")));
        String id = deposit.path("id");
        assertEquals(2500, TestAccounts.balance(account));

        given().auth().oauth2(account.token()).when().get("/v1/wallet/ledger").then().statusCode(200)
                .body("[0].type", equalTo("deposit")).body("[0].amount_cents", equalTo(2500))
                .body("[0].balance_after_cents", equalTo(2500)).body("[0].ref", equalTo(id));
        given().auth().oauth2(account.token()).when().get("/v1/wallet/deposits/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("status", equalTo("completed"));
        given().auth().oauth2(TestAccounts.create().token()).when().get("/v1/wallet/deposits/" + id).then()
                .statusCode(404);

        // the provider's confirmation arriving anyway credits nothing more
        Webhooks.sendSigned(Webhooks.body("payment.succeeded", "sbx_" + id, 2500)).then().statusCode(200)
                .body("status", equalTo("completed"));
        deposit(account, 100, "crypto").then().statusCode(201).body("method", equalTo("crypto"));
        assertEquals(2600, TestAccounts.balance(account));
        Db.assertLedgerConsistent(pool);
    }

    @Test
    void depositsOutsideTheLimitsOrWithAnUnknownMethodAre4xxAndWriteNothing() {
        TestAccounts.TestAccount account = TestAccounts.create();
        deposit(account, 99, "card").then().statusCode(422)
                .body("detail", equalTo("'amount_cents' must be between 100 and 1000000"));
        deposit(account, 1_000_001, "card").then().statusCode(422);
        deposit(account, -500, "card").then().statusCode(422);
        deposit(account, 1000, "paypal").then().statusCode(422)
                .body("detail", equalTo("'method' must be one of card, crypto"));
        post(account, Map.of("amount_cents", 1000)).then().statusCode(400)
                .body("detail", equalTo("'method' is required"));
        post(account, Map.of("method", "card")).then().statusCode(400)
                .body("detail", equalTo("'amount_cents' is required"));
        post(account, Map.of("amount_cents", 10.5, "method", "card")).then().statusCode(400);
        post(account, Map.of("amount_cents", "1000", "method", "card")).then().statusCode(400)
                .body("detail", equalTo("Field 'amount_cents' must be an integer number of cents"));
        post(account, Map.of("amount_cents", 1000, "method", 7)).then().statusCode(400)
                .body("detail", equalTo("Field 'method' must be one of card, crypto"));
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM deposit WHERE account_id = $1", account.id()));
        assertEquals(0, TestAccounts.balance(account));
        given().auth().oauth2(account.token()).when().get("/v1/wallet/deposits/" + UUID.randomUUID()).then()
                .statusCode(404);
    }

    static Response deposit(TestAccounts.TestAccount account, long cents, String method) {
        return post(account, Map.of("amount_cents", cents, "method", method));
    }

    private static Response post(TestAccounts.TestAccount account, Map<String, Object> body) {
        return given().auth().oauth2(account.token()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/wallet/deposits");
    }
}
