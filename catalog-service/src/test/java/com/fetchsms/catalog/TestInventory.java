package com.fetchsms.catalog;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceCredentials;
import com.fetchsms.testkit.TestTokens;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Test fixtures that go through the real admin and internal APIs. Every call gets numbers of a fresh area code. */
final class TestInventory {

    private static final AtomicInteger AREA_CODES = new AtomicInteger(201);
    static final UUID GATEWAY = UUID.fromString("6a1f0c6e-8f0e-4c55-9d1e-2f4f6c1b0a01");

    private TestInventory() {
    }

    /** A new area code: never an N11 code (not an area code) nor one of the sandbox's area codes. */
    static String freshAreaCode() {
        List<String> sandbox = ConfigProvider.getConfig().getValues("fetchsms.catalog.sandbox.area-codes",
                String.class);
        int code = AREA_CODES.getAndIncrement();
        while (code % 100 == 11 || sandbox.contains(Integer.toString(code))) {
            code = AREA_CODES.getAndIncrement();
        }
        return Integer.toString(code);
    }

    /** Adds {@code count} numbers of a new area code; answers them in E.164. */
    static List<String> addNumbers(String areaCode, int count) {
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            numbers.add(String.format("+1%s555%04d", areaCode, i));
        }
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("gateway_id", GATEWAY.toString(), "numbers", numbers))
                .when().post("/v1/admin/numbers").then().statusCode(201);
        return numbers;
    }

    static Response reserve(UUID purchaseId, Object service, String mode, Integer days, String areaCode) {
        return reserve(purchaseId, service, mode, days, areaCode, null);
    }

    /** A reservation with the buyer's price cap ({@code max_price_cents}, any JSON value; null: none). */
    static Response reserve(UUID purchaseId, Object service, String mode, Integer days, String areaCode,
            Object maxPriceCents) {
        return reserve(purchaseId, service, mode, days, areaCode, maxPriceCents, false);
    }

    /** A sandbox reservation (a test key's purchase: {@code "sandbox": true}). */
    static Response reserveSandbox(UUID purchaseId, Object service, String mode, Integer days, String areaCode) {
        return reserve(purchaseId, service, mode, days, areaCode, null, true);
    }

    static Response reserve(UUID purchaseId, Object service, String mode, Integer days, String areaCode,
            Object maxPriceCents, boolean sandbox) {
        Map<String, Object> body = new java.util.HashMap<>();
        if (sandbox) {
            body.put("sandbox", true);
        }
        if (maxPriceCents != null) {
            body.put("max_price_cents", maxPriceCents);
        }
        body.put("purchase_id", purchaseId.toString());
        body.put("service", service);
        body.put("mode", mode);
        if (days != null) {
            body.put("days", days);
        }
        if (areaCode != null) {
            body.put("area_code", areaCode);
        }
        return ServiceCredentials.internal().contentType(ContentType.JSON).body(body).when()
                .post("/internal/reservations");
    }

    /**
     * Every record of {@code topic} with key {@code key}, once the outbox holds none of the key's rows: everything
     * committed for the key so far has been published and is counted, without waiting for a quiet period.
     */
    static List<KafkaEvents.Received> publishedOfKey(Pool pool, String topic, String key) {
        await("outbox rows of " + key + " published").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> pool.preparedQuery(
                        "SELECT count(*) FROM outbox_event WHERE message_key = $1 AND parked_at IS NULL")
                        .execute(Tuple.of(key)).await().indefinitely().iterator().next().getLong(0) == 0);
        return KafkaEvents.upToNow(topic, r -> key.equals(r.key()));
    }
}
