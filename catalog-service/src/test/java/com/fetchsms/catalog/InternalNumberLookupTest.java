package com.fetchsms.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceCredentials;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class InternalNumberLookupTest {

    @Test
    void aNumberStockedAMomentAgoIsAnsweredWithItsGatewayAndStateAndUnknownNumbersAreAbsent() {
        Instant before = Instant.now().minusSeconds(2); // changed_at has whole seconds
        List<String> numbers = TestInventory.addNumbers(TestInventory.freshAreaCode(), 2);
        String unknown = "+1" + TestInventory.freshAreaCode() + "5559999";
        JsonPath answer = lookup(List.of(numbers.get(1), unknown, "(" + numbers.get(0).substring(2, 5) + ") "
                + numbers.get(0).substring(5, 8) + "-" + numbers.get(0).substring(8)))
                .then().statusCode(200).body("numbers", hasSize(2)).extract().jsonPath();
        assertEquals(numbers, answer.getList("numbers.number"));
        assertEquals(List.of(TestInventory.GATEWAY.toString(), TestInventory.GATEWAY.toString()),
                answer.getList("numbers.gateway_id"));
        assertEquals(List.of("available", "available"), answer.getList("numbers.state"));
        Instant changedAt = Instant.parse(answer.getString("numbers[0].changed_at"));
        assertTrue(changedAt.isAfter(before) && changedAt.isBefore(Instant.now().plusSeconds(1)), "" + changedAt);
    }

    @Test
    void aRetiredNumberIsAnsweredRetired() {
        String number = TestInventory.addNumbers(TestInventory.freshAreaCode(), 1).get(0);
        given().auth().oauth2(TestTokens.admin()).when().delete("/v1/admin/numbers/" + number).then().statusCode(204);
        lookup(List.of(number)).then().statusCode(200).body("numbers[0].state", equalTo("retired"))
                .body("numbers[0].gateway_id", equalTo(TestInventory.GATEWAY.toString()))
                .body("numbers[0].changed_at", notNullValue());
    }

    @Test
    void badLookupsAreClientErrorsNamingTheField() {
        lookup(List.of("12")).then().statusCode(422)
                .body("detail", equalTo("'numbers' must hold US numbers in E.164 (+1NXXNXXXXXX): 12"));
        lookup(List.of()).then().statusCode(422).body("detail", allOf(containsString("numbers"),
                containsString("must list at least one number")));
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(String.format("+1332555%04d", i));
        }
        lookup(tooMany).then().statusCode(422).body("detail", allOf(containsString("numbers"),
                containsString("lists more than 1000 numbers")));
        ServiceCredentials.internal().contentType(ContentType.JSON).body(Map.of("numbers", "+13325550100")).when()
                .post("/internal/numbers/lookup").then().statusCode(400).body("detail", notNullValue());
    }

    private static io.restassured.response.Response lookup(List<String> numbers) {
        return ServiceCredentials.internal().contentType(ContentType.JSON).body(Map.of("numbers", numbers)).when()
                .post("/internal/numbers/lookup");
    }
}
