package com.fetchsms.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.client.InternalClients;
import com.fetchsms.common.security.InternalRouteGuard;
import com.fetchsms.testkit.ServiceCredentials;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** catalog-service's internal routes answer only the platform's own services, never a customer. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class InternalRouteCredentialTest {

    @Test
    void reservationsAndLookupsRefuseEveryCallerWithoutTheServiceCredentialAndChangeNothing() {
        String area = TestInventory.freshAreaCode();
        List<String> numbers = TestInventory.addNumbers(area, 1);
        UUID held = UUID.randomUUID();
        TestInventory.reserve(held, "telegram", "short", null, area).then().statusCode(201);
        UUID attempted = UUID.randomUUID();
        Map<String, Object> reserve = Map.of("purchase_id", attempted.toString(), "service", "whatsapp", "mode",
                "short", "area_code", area);

        UUID customer = UUID.randomUUID();
        List<RequestSpecification> callers = List.of(
                given(),
                given().auth().oauth2(TestTokens.user(customer)),
                given().auth().oauth2(TestTokens.admin()),
                given().auth().oauth2("fsk_live_0123456789abcdefghijklmnopqrstuv"),
                given().header(InternalClients.CREDENTIAL_HEADER, ServiceCredentials.TEST + "x"),
                given().header(InternalClients.CREDENTIAL_HEADER, TestTokens.admin()));
        for (RequestSpecification caller : callers) {
            caller.contentType(ContentType.JSON).body(reserve).when().post("/internal/reservations").then()
                    .statusCode(401).body("detail", equalTo(InternalRouteGuard.DETAIL));
            caller.when().get("/internal/reservations/" + held).then().statusCode(401)
                    .body("detail", equalTo(InternalRouteGuard.DETAIL));
            caller.when().post("/internal/reservations/" + held + "/release").then().statusCode(401)
                    .body("detail", equalTo(InternalRouteGuard.DETAIL));
            caller.when().post("/internal/reservations/" + held + "/complete").then().statusCode(401)
                    .body("detail", equalTo(InternalRouteGuard.DETAIL));
            caller.contentType(ContentType.JSON).body(Map.of("numbers", numbers)).when()
                    .post("/internal/numbers/lookup").then().statusCode(401)
                    .body("detail", equalTo(InternalRouteGuard.DETAIL));
            for (String path : List.of("/INTERNAL/reservations/" + held + "/release",
                    "//internal/reservations/" + held + "/release", "/x/../internal/reservations/" + held + "/release",
                    "/internal;a=b/reservations/" + held + "/release", "/%69nternal/reservations/" + held + "/release",
                    "/internal/reservations/" + held + "/release;a=b")) {
                caller.urlEncodingEnabled(false).when().post(path).then().statusCode(anyOf(equalTo(401), equalTo(404)));
            }
        }

        // nothing changed: the held reservation is still active and the attempted one was never made
        ServiceCredentials.internal().when().get("/internal/reservations/" + held).then().statusCode(200)
                .body("status", equalTo("active"));
        ServiceCredentials.internal().when().get("/internal/reservations/" + attempted).then().statusCode(404);
    }
}
