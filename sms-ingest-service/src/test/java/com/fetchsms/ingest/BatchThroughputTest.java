package com.fetchsms.ingest;

import static com.fetchsms.ingest.Fixtures.count;
import static com.fetchsms.ingest.Fixtures.sms;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The batch route's throughput, measured: full batches of 500 distinct SMS over a set of numbers, posted by a few
 * gateways' clients at once, every SMS accepted, stored and published. Prints SMS/s (a measurement on a shared machine,
 * not an assertion). Sizes: {@code -Dfetchsms.bench.batches} (default 8), {@code -Dfetchsms.bench.clients} (4),
 * {@code -Dfetchsms.bench.numbers} (100).
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class BatchThroughputTest {

    private static final int BATCH = 500;

    @Test
    void fullBatchesFromConcurrentClientsAreAllAcceptedAndTheRateIsReported() throws Exception {
        int batches = Integer.getInteger("fetchsms.bench.batches", 8);
        int clients = Integer.getInteger("fetchsms.bench.clients", 4);
        int numberCount = Integer.getInteger("fetchsms.bench.numbers", 100);
        Fixtures.Gw gateway = Fixtures.gateway();
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < numberCount; i++) {
            numbers.add(Fixtures.numberOf(gateway));
        }
        // one warm-up batch (JIT, prepared statements, connections), not counted
        post(gateway, batch(numbers, -1));

        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                List<Map<String, Object>> batch = batch(numbers, b);
                calls.add(() -> post(gateway, batch));
            }
            long start = System.nanoTime();
            int accepted = 0;
            for (Future<Integer> result : pool.invokeAll(calls)) {
                accepted += result.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("Batch ingest: %d SMS in %d batches of %d from %d clients over %d numbers: %.2f s,"
                    + " %.0f SMS/s%n", batches * BATCH, batches, BATCH, clients, numberCount, seconds,
                    batches * BATCH / seconds);
            assertEquals(batches * BATCH, accepted);
        } finally {
            pool.shutdownNow();
        }
        assertEquals((batches + 1L) * BATCH,
                count("SELECT count(*) FROM inbound_message WHERE gateway_id = ?", gateway.id()));
        assertEquals((batches + 1L) * BATCH, count(
                "SELECT count(*) FROM raw_message WHERE gateway_id = ? AND outcome = 'accepted'", gateway.id()));
    }

    private static List<Map<String, Object>> batch(List<String> numbers, int b) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int m = 0; m < BATCH; m++) {
            Map<String, Object> sms = sms(numbers.get(m % numbers.size()), "WhatsApp",
                    "Your WhatsApp code: " + (100 + b + 1) + "-" + (100 + m) + ". Don't share this code with others");
            sms.put("gateway_message_id", "bench-" + b + "-" + m);
            batch.add(sms);
        }
        return batch;
    }

    private static int post(Fixtures.Gw gateway, List<Map<String, Object>> batch) {
        return gateway.as().contentType(ContentType.JSON).body(batch).post("/v1/ingest/messages/batch").then()
                .statusCode(202).extract().path("accepted");
    }
}
