package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.fetchsms.testkit.ServiceCredentials;
import com.fetchsms.testkit.TestTokens;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Test fixtures that go through the real public and internal APIs. Every account gets a fresh address. */
final class TestAccounts {

    static final String PASSWORD = "correct-horse-battery";

    /** An account with a session token from a real login. */
    record TestAccount(UUID id, String email, String token) {
    }

    private TestAccounts() {
    }

    static String freshEmail() {
        return "user-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
    }

    static Response signup(String email, String password) {
        Map<String, Object> body = new HashMap<>();
        body.put("email", email);
        body.put("password", password);
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/auth/signup");
    }

    static Response login(String email, String password) {
        Map<String, Object> body = new HashMap<>();
        body.put("email", email);
        body.put("password", password);
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/auth/login");
    }

    /** A new customer account, logged in. */
    static TestAccount create() {
        String email = freshEmail();
        UUID id = UUID.fromString(signup(email, PASSWORD).then().statusCode(201).extract().path("id"));
        String token = login(email, PASSWORD).then().statusCode(200).extract().path("token");
        return new TestAccount(id, email, token);
    }

    /** A new customer account holding {@code cents} (an administrator's credit). */
    static TestAccount funded(long cents) {
        TestAccount account = create();
        credit(account.id(), cents);
        return account;
    }

    static void credit(UUID accountId, long cents) {
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("amount_cents", cents, "reason", "test funds"))
                .when().post("/v1/admin/accounts/" + accountId + "/credits").then().statusCode(201);
    }

    static Response debit(UUID purchaseId, UUID accountId, long cents) {
        return debit(purchaseId, accountId, cents, null);
    }

    static Response debit(UUID purchaseId, UUID accountId, long cents, String ref) {
        Map<String, Object> body = new HashMap<>();
        body.put("purchase_id", purchaseId.toString());
        body.put("account_id", accountId.toString());
        body.put("amount_cents", cents);
        if (ref != null) {
            body.put("ref", ref);
        }
        return ServiceCredentials.internal().contentType(ContentType.JSON).body(body).when().post("/internal/debits");
    }

    static long balance(TestAccount account) {
        return given().auth().oauth2(account.token()).when().get("/v1/wallet").then().statusCode(200).extract()
                .jsonPath().getLong("balance_cents");
    }
}
