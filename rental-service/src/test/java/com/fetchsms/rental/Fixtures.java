package com.fetchsms.rental;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import com.fetchsms.testkit.PurchaseCustomer;
import com.fetchsms.testkit.ServiceCredentials;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** A customer with a session, money in the stub wallet, and helpers that go through the real API. */
final class Fixtures extends PurchaseCustomer<Fixtures> {

    Fixtures() {
        super("rental", Fixtures::new);
    }

    private Fixtures(UUID account, String token) {
        super("rental", account, token, Fixtures::new);
    }

    Response rent(Object service, Object days) {
        return rent(service, days, null, null);
    }

    Response rent(Object service, Object days, String areaCode, String idempotencyKey) {
        return purchase("/v1/rentals", areaCode, idempotencyKey, "service", service, "days", days);
    }

    /** A 7-day rental (600 cents at the stub catalog) with a price cap. */
    @Override
    public Response buyCapped(Object maxPriceCents, String idempotencyKey) {
        return purchase("/v1/rentals", null, idempotencyKey, "service", 1, "days", 7, "max_price_cents",
                maxPriceCents);
    }

    JsonPath rental(String id) {
        return as().get("/v1/rentals/" + id).then().statusCode(200).extract().jsonPath();
    }

    List<Map<String, Object>> messages(String id) {
        return as().get("/v1/rentals/" + id + "/messages").then().statusCode(200).extract().jsonPath()
                .getList("$");
    }

    /** Waits until the rental's status is {@code status}. */
    void awaitStatus(String id, String status, Duration timeout) {
        await("status of rental " + id + " to be " + status).atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> rental(id).getString("status"), status::equals);
    }

    /** Waits until the rental's messages satisfy {@code done}; answers them. */
    List<Map<String, Object>> awaitMessages(String id, Predicate<List<Map<String, Object>>> done,
            Duration timeout) {
        return await("messages of rental " + id).atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> messages(id), done::test);
    }

    /** What catalog-service does when it consumes a rental's end: the number goes back to the pool. */
    static void releaseAtCatalog(String rentalId) {
        ServiceCredentials.internal().post(stub() + "/internal/reservations/" + rentalId + "/release").then()
                .statusCode(200);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
