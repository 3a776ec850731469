package com.fetchsms.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceCredentials;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class ServiceCatalogTest {

    @Test
    void listsTheSeededCatalogInDisplayOrderWithExactlyTheDocumentedFields() {
        List<Map<String, Object>> services = given().when().get("/v1/services").then()
                .statusCode(200).contentType(ContentType.JSON)
                .body("size()", greaterThanOrEqualTo(30))
                .body("[0].id", equalTo(1))
                .body("[0].slug", equalTo("unlimited-services"))
                .body("[0].name", equalTo("Unlimited Services"))
                .body("[0].price_cents", equalTo(300))
                .body("[0].long_prices", equalTo(Map.of("1", 300, "7", 600, "30", 1200, "90", 2500, "365", 9000)))
                .body("find { it.slug == 'whatsapp' }.id", equalTo(2))
                .body("find { it.slug == 'whatsapp' }.price_cents", equalTo(140))
                .body("find { it.slug == 'whatsapp' }.long_prices", anEmptyMap())
                .body("find { it.slug == 'telegram' }.id", equalTo(4))
                .body("find { it.slug == 'telegram' }.price_cents", equalTo(70))
                .body("find { it.slug == 'telegram' }.activate_code", equalTo("tg"))
                .body("find { it.slug == 'whatsapp' }.activate_code", equalTo("wa"))
                .body("activate_code", everyItem(matchesPattern("[a-z0-9]{1,10}")))
                .body("slug", hasItems("google", "facebook", "instagram", "tiktok", "discord", "microsoft", "apple",
                        "amazon", "uber", "lyft", "paypal", "venmo", "cashapp", "coinbase", "tinder", "bumble",
                        "hinge", "snapchat", "twitter", "signal", "viber", "wechat", "line", "netflix", "airbnb",
                        "doordash", "openai"))
                .body("short_available", everyItem(notNullValue()))
                .extract().jsonPath().getList("$");
        for (Map<String, Object> service : services) {
            assertEquals(List.of("id", "slug", "name", "activate_code", "price_cents", "long_prices", "short_available",
                    "long_available"), List.copyOf(service.keySet()), "fields of " + service.get("slug"));
        }
    }

    @Test
    void unknownRoutesAndMalformedBodiesAnswerWithADetail() {
        given().when().get("/v1/nothing-here").then().statusCode(404).body("detail", notNullValue());
        ServiceCredentials.internal().contentType(ContentType.JSON).body("{\"purchase_id\": ").when()
                .post("/internal/reservations")
                .then().statusCode(400).body("detail", equalTo("Malformed JSON body"));
    }
}
