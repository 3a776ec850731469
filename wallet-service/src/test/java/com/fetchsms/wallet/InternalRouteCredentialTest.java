package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.client.InternalClients;
import com.fetchsms.common.security.ApiKeys;
import com.fetchsms.common.security.InternalRouteGuard;
import com.fetchsms.testkit.ServiceCredentials;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** wallet-service's internal routes answer only the platform's own services, never a customer. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class InternalRouteCredentialTest {

    @Test
    void internalRoutesRefuseEveryCallerWithoutTheServiceCredentialAndChangeNothing() {
        TestAccounts.TestAccount customer = TestAccounts.funded(1000);
        String apiKey = given().auth().oauth2(customer.token()).contentType(ContentType.JSON)
                .body(Map.of("name", "mine")).when().post("/v1/api-keys").then().statusCode(201).extract()
                .path("key");
        Map<String, Object> debit = Map.of("purchase_id", UUID.randomUUID().toString(), "account_id",
                customer.id().toString(), "amount_cents", 500);
        Map<String, Object> introspect = Map.of("key_hash", ApiKeys.hash(apiKey));
        Map<String, Object> usage = Map.of("usages", List.of());

        List<RequestSpecification> callers = List.of(
                given(),
                given().auth().oauth2(customer.token()),
                given().auth().oauth2(apiKey),
                given().auth().oauth2(TestTokens.admin()),
                given().header(InternalClients.CREDENTIAL_HEADER, "wrong-" + ServiceCredentials.TEST),
                given().header(InternalClients.CREDENTIAL_HEADER, ""),
                given().header(InternalClients.CREDENTIAL_HEADER, customer.token()),
                given().header(InternalClients.CREDENTIAL_HEADER, apiKey));
        for (RequestSpecification caller : callers) {
            caller.contentType(ContentType.JSON).body(debit).when().post("/internal/debits").then().statusCode(401)
                    .body("detail", equalTo(InternalRouteGuard.DETAIL));
            caller.contentType(ContentType.JSON).body(introspect).when().post("/internal/api-keys/introspect").then()
                    .statusCode(401).body("detail", equalTo(InternalRouteGuard.DETAIL));
            caller.contentType(ContentType.JSON).body(usage).when().post("/internal/api-keys/usage").then()
                    .statusCode(401).body("detail", equalTo(InternalRouteGuard.DETAIL));
            caller.contentType(ContentType.JSON).body(Map.of("account_id", customer.id().toString()))
                    .when().post("/internal/sessions/introspect").then()
                    .statusCode(401).body("detail", equalTo(InternalRouteGuard.DETAIL));
            caller.when().get("/internal/wallets/" + customer.id()).then()
                    .statusCode(401).body("detail", equalTo(InternalRouteGuard.DETAIL));
        }
        assertEquals(1000, TestAccounts.balance(customer), "no debit happened");

        // the same credential the platform's own clients present opens them
        ServiceCredentials.internal().contentType(ContentType.JSON).body(introspect).when()
                .post("/internal/api-keys/introspect").then().statusCode(200).body("status", equalTo("active"));
    }

    @Test
    void theBalanceRouteAnswersAnAccountsBalanceAnd404ForAnUnknownOne() {
        TestAccounts.TestAccount customer = TestAccounts.funded(1234);
        ServiceCredentials.internal().when().get("/internal/wallets/" + customer.id()).then().statusCode(200)
                .body("account_id", equalTo(customer.id().toString())).body("balance_cents", equalTo(1234))
                .body("currency", equalTo("USD"));
        ServiceCredentials.internal().when().get("/internal/wallets/" + UUID.randomUUID()).then().statusCode(404)
                .body("detail", startsWith("Unknown account"));
        ServiceCredentials.internal().when().get("/internal/wallets/not-a-uuid").then().statusCode(404)
                .body("detail", startsWith("Unknown account"));
    }

    @Test
    void noSpellingOfAnInternalPathGetsPastTheCheck() {
        TestAccounts.TestAccount customer = TestAccounts.funded(1000);
        for (String path : List.of("/INTERNAL/debits", "/Internal/debits", "//internal/debits", "/internal//debits",
                "/./internal/debits", "/x/../internal/debits", "/internal;x=1/debits", "/internal/debits;x=1",
                "/%69nternal/debits", "/internal/%64ebits", "/internal/debits/", "/internal/debits?x=1")) {
            Map<String, Object> debit = Map.of("purchase_id", UUID.randomUUID().toString(), "account_id",
                    customer.id().toString(), "amount_cents", 100);
            given().urlEncodingEnabled(false).auth().oauth2(customer.token()).contentType(ContentType.JSON)
                    .body(debit).when().post(path).then().statusCode(anyOf(equalTo(401), equalTo(404)));
        }
        assertEquals(1000, TestAccounts.balance(customer), "no debit happened");
    }
}
