package com.fetchsms.ingest;

import static com.fetchsms.ingest.Fixtures.count;
import static com.fetchsms.ingest.Fixtures.events;
import static com.fetchsms.ingest.Fixtures.sms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** A batch is one transaction: the same per-item answers as one by one, no deadlock, no item lost to another. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class BatchTransactionTest {

    @Test
    void concurrentBatchesOverTheSameNumbersInOppositeOrdersAllComplete() throws Exception {
        Fixtures.Gw gateway = Fixtures.gateway();
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            numbers.add(Fixtures.numberOf(gateway));
        }
        List<String> reversed = new ArrayList<>(numbers);
        Collections.reverse(reversed);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int b = 0; b < 12; b++) {
                List<String> order = b % 2 == 0 ? numbers : reversed;
                List<Map<String, Object>> batch = new ArrayList<>();
                for (int m = 0; m < order.size(); m++) {
                    batch.add(sms(order.get(m), "Steam", "Steam Guard code: " + String.format("%02d%03d", b, m)));
                }
                calls.add(() -> gateway.as().contentType(ContentType.JSON).body(batch)
                        .post("/v1/ingest/messages/batch").then().statusCode(202).extract().path("accepted"));
            }
            int accepted = 0;
            for (Future<Integer> result : pool.invokeAll(calls)) {
                accepted += result.get();
            }
            assertEquals(12 * 20, accepted);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(240, count("SELECT count(*) FROM inbound_message WHERE gateway_id = ?", gateway.id()));
    }

    @Test
    void copiesInConcurrentBatchesArePublishedOnce() throws Exception {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        List<Map<String, Object>> batch = List.of(sms(number, "Discord", "Your Discord verification code is: 662015"),
                sms(number, "Discord", "Your Discord verification code is: 662016"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<JsonPath>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> gateway.as().contentType(ContentType.JSON).body(batch)
                        .post("/v1/ingest/messages/batch").then().statusCode(202).extract().jsonPath());
            }
            Set<String> ids = new java.util.HashSet<>();
            int accepted = 0;
            for (Future<JsonPath> result : pool.invokeAll(calls)) {
                accepted += result.get().getInt("accepted");
                ids.addAll(result.get().getList("results.id"));
            }
            assertEquals(2, accepted, "each text once, whichever batch came first");
            assertEquals(2, ids.size(), "every copy answers the id of the stored message");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, events(number).size());
        assertEquals(14, count("SELECT count(*) FROM raw_message WHERE to_number = ? AND outcome = 'duplicate'",
                number));
    }

    @Test
    void partsCopiesAndSinglesInOneBatchGetTheAnswersTheyWouldGetOneByOne() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        String[] parts = {"Your Microsoft account security code is 9044. If you didn't request ",
                "this code, you can ignore this message."};
        Map<String, Object> second = sms(number, "Microsoft", parts[1]);
        second.put("udh", "0500034302" + "02");
        Map<String, Object> first = sms(number, "Microsoft", parts[0]);
        first.put("udh", "0500034302" + "01");
        Map<String, Object> single = sms(number, "Lyft", "Your Lyft code is 4412");
        single.put("gateway_message_id", "lyft-1");
        Map<String, Object> sameId = sms(number, "Lyft", "Your Lyft code is 4412 (again)");
        sameId.put("gateway_message_id", "lyft-1");
        Map<String, Object> sameText = sms(number, "Lyft", "Your Lyft code is 4412");
        // the reassembled text sent again as a single SMS: a duplicate of the message the parts became
        Map<String, Object> reassembledAgain = sms(number, "Microsoft", parts[0] + parts[1]);

        JsonPath answer = gateway.as().contentType(ContentType.JSON)
                .body(List.of(second, single, first, sameId, sameText, reassembledAgain))
                .post("/v1/ingest/messages/batch").then().statusCode(202).extract().jsonPath();
        assertEquals(List.of("partial", "accepted", "accepted", "duplicate", "duplicate", "duplicate"),
                answer.getList("results.outcome"));
        assertEquals(answer.getString("results[1].id"), answer.getString("results[3].id"));
        assertEquals(answer.getString("results[1].id"), answer.getString("results[4].id"));
        assertEquals(answer.getString("results[2].id"), answer.getString("results[5].id"));
        assertEquals(2, answer.getInt("accepted"));
        assertEquals(3, answer.getInt("duplicates"));
        assertEquals(1, answer.getInt("partial"));

        List<KafkaEvents.Received> published = events(number);
        assertEquals(Set.of("9044", "4412"),
                published.stream().map(e -> e.data().get("code").asText()).collect(Collectors.toSet()));
        assertEquals(2, published.size());
        assertEquals(3, count("SELECT count(*) FROM raw_message WHERE to_number = ? AND outcome = 'accepted'",
                number), "the single SMS and both parts, which point at the message they became");
        assertEquals(1, count("SELECT count(*) FROM seen_gateway_message WHERE gateway_id = ?", gateway.id()));
    }

    @Test
    void anItemTheDatabaseRefusesCostsOnlyItself() throws SQLException {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        execute("""
                CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.sender = 'Poison' THEN RAISE EXCEPTION 'poisoned report'; END IF;
                    RETURN NEW;
                END $$""");
        execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON inbound_message FOR EACH ROW"
                + " EXECUTE FUNCTION refuse_poison()");
        try {
            JsonPath answer = gateway.as().contentType(ContentType.JSON)
                    .body(List.of(sms(number, "Venmo", "Venmo: Your code is 118824. Never share it."),
                            sms(number, "Poison", "code 000000"),
                            sms(number, "PayPal", "PayPal: Your security code is: 330012.")))
                    .post("/v1/ingest/messages/batch").then().statusCode(202).extract().jsonPath();
            assertEquals(List.of(202, 503, 202), answer.getList("results.status"));
            assertEquals("Temporarily unavailable: send it again", answer.getString("results[1].detail"));
            assertNull(answer.get("results[1].id"));
            assertEquals(2, answer.getInt("accepted"));
            assertEquals(1, answer.getInt("failed"));
        } finally {
            execute("DROP TRIGGER refuse_poison ON inbound_message");
            execute("DROP FUNCTION refuse_poison()");
        }
        assertEquals(Set.of("118824", "330012"),
                events(number).stream().map(e -> e.data().get("code").asText()).collect(Collectors.toSet()));
        assertEquals(2, count("SELECT count(*) FROM raw_message WHERE to_number = ?", number));
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = ServiceTestResource.database().connect(); Statement statement = c.createStatement()) {
            statement.execute(sql);
        }
    }
}
