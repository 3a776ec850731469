package com.fetchsms.catalog;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.RentalExpired;
import com.fetchsms.common.events.Topics;
import com.fetchsms.common.events.VerificationExpired;
import com.fetchsms.common.events.VerificationReceived;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceCredentials;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class PurchaseOutcomeConsumerTest {

    @Inject
    Pool pool;

    @Test
    void anExpiredVerificationGivesItsNumberBackOnceEvenWhenTheEventIsRedelivered() {
        String area = TestInventory.freshAreaCode();
        List<String> numbers = TestInventory.addNumbers(area, 1);
        UUID verification = UUID.randomUUID();
        TestInventory.reserve(verification, 4, "short", null, area).then().statusCode(201);

        VerificationExpired expired = new VerificationExpired(verification, UUID.randomUUID(), "v_test01", 4,
                "telegram", numbers.get(0), 70, Instant.now());
        String eventId = KafkaEvents.send(expired);
        KafkaEvents.send(expired, eventId);
        awaitValue(() -> status(verification), "released");
        assertEquals(1L, count("SELECT count(*) FROM processed_event WHERE event_id = $1", eventId));
        TestInventory.reserve(UUID.randomUUID(), 4, "short", null, area).then().statusCode(201);
    }

    @Test
    void aReceivedCodeRecordsThatTheNumberServedTheService() {
        String area = TestInventory.freshAreaCode();
        List<String> numbers = TestInventory.addNumbers(area, 1);
        UUID verification = UUID.randomUUID();
        TestInventory.reserve(verification, 2, "short", null, area).then().statusCode(201);
        KafkaEvents.send(new VerificationReceived(verification, UUID.randomUUID(), "v_test02", 2, "whatsapp",
                "WhatsApp", numbers.get(0), "WhatsApp", "482910", Instant.now()));
        awaitValue(() -> status(verification), "completed");
        TestInventory.reserve(UUID.randomUUID(), 2, "short", null, area).then().statusCode(409);
    }

    @Test
    void manyDeliveredCodesAtOnceCompleteEachReservationOnceAndRecordEachPair() {
        String area = TestInventory.freshAreaCode();
        TestInventory.addNumbers(area, 3);
        List<UUID> purchases = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            UUID purchase = UUID.randomUUID();
            purchases.add(purchase);
            // services 2 and 4 on each of the three numbers (short reservations may share a number across services)
            TestInventory.reserve(purchase, i % 2 == 0 ? 2 : 4, "short", null, area).then().statusCode(201);
        }
        // one of them expired before its code's event is read: it stays released, and is not recorded as served
        UUID expired = purchases.get(5);
        String expiredNumber = reservedNumber(expired);
        KafkaEvents.send(new VerificationExpired(expired, UUID.randomUUID(), "v_test05", 4, "telegram",
                expiredNumber, 70, Instant.now()));
        awaitValue(() -> status(expired), "released");

        List<String> eventIds = new java.util.ArrayList<>();
        for (UUID purchase : purchases) {
            eventIds.add(KafkaEvents.send(new VerificationReceived(purchase, UUID.randomUUID(), "v_batch", 2,
                    "whatsapp", "WhatsApp", reservedNumber(purchase), "WhatsApp", "482910", Instant.now())));
        }
        KafkaEvents.send(new VerificationReceived(purchases.get(0), UUID.randomUUID(), "v_batch", 2, "whatsapp",
                "WhatsApp", reservedNumber(purchases.get(0)), "WhatsApp", "482910", Instant.now()),
                eventIds.get(0));

        for (UUID purchase : purchases.subList(0, 5)) {
            awaitValue(() -> status(purchase), "completed");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "SELECT count(*) FROM processed_event WHERE event_id = ANY($1::text[])",
                eventIds.toArray(String[]::new)) == 6L);
        assertEquals("released", status(expired), "an ended reservation is not completed by a late code");
        assertEquals(1L, count("SELECT count(*) FROM processed_event WHERE event_id = $1", eventIds.get(0)));
        for (UUID purchase : purchases.subList(0, 5)) {
            assertEquals(1L, count("""
                    SELECT count(*) FROM number_service_use u JOIN reservation r
                      ON r.number = u.number AND r.service_id = u.service_id WHERE r.purchase_id = $1""", purchase),
                    "the number is recorded as having served the purchase's service");
        }
        assertEquals(0L, count("""
                SELECT count(*) FROM number_service_use u JOIN reservation r
                  ON r.number = u.number AND r.service_id = u.service_id WHERE r.purchase_id = $1""", expired));
    }

    private String reservedNumber(UUID purchase) {
        return pool.preparedQuery("SELECT number FROM reservation WHERE purchase_id = $1").execute(Tuple.of(purchase))
                .await().indefinitely().iterator().next().getString(0);
    }

    @Test
    void anEndedRentalReturnsItsNumberUsedAndNeverForTheServicesItReceived() {
        String area = TestInventory.freshAreaCode();
        List<String> numbers = TestInventory.addNumbers(area, 1);
        UUID rental = UUID.randomUUID();
        TestInventory.reserve(rental, 1, "long", 1, area).then().statusCode(201);
        KafkaEvents.send(new RentalExpired(rental, UUID.randomUUID(), "r_test03", numbers.get(0), true,
                List.of("whatsapp", "telegram"), 300, Instant.now()));
        awaitValue(() -> status(rental), "released");

        ServiceCredentials.internal().get("/internal/reservations/" + rental).then().statusCode(200).body("status",
                equalTo("released"));
        TestInventory.reserve(UUID.randomUUID(), 2, "short", null, area).then().statusCode(409);
        TestInventory.reserve(UUID.randomUUID(), 4, "short", null, area).then().statusCode(409);
        TestInventory.reserve(UUID.randomUUID(), 5, "short", null, area).then().statusCode(201);
        TestInventory.reserve(UUID.randomUUID(), 1, "long", 1, area).then().statusCode(409);
        KafkaEvents.await(Topics.INVENTORY_NUMBERS, r -> numbers.get(0).equals(r.key())
                && "available".equals(r.data().get("state").asText())
                && !r.headers().get("ce_id").isEmpty(), Duration.ofSeconds(20));
        assertEquals(2L, TestInventory.publishedOfKey(pool, Topics.INVENTORY_NUMBERS, numbers.get(0)).stream()
                .filter(r -> !"rented".equals(r.data().get("state").asText())).count(), "added, then available again");
    }

    private String status(UUID purchase) {
        return pool.preparedQuery("SELECT status FROM reservation WHERE purchase_id = $1").execute(Tuple.of(purchase))
                .await().indefinitely().iterator().next().getString(0);
    }

    private long count(String sql, Object arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().indefinitely().iterator().next().getLong(0);
    }

    private static void awaitValue(Supplier<String> actual, String expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(actual::get,
                expected::equals);
    }
}
