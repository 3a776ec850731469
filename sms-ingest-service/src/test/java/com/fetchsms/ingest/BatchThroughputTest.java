package com.fetchsms.ingest;

import static com.fetchsms.ingest.Fixtures.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

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
    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\":(\\d+)");

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

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
                String batch = batch(numbers, b);
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

    /** A batch as a gateway sends it, serialised up front so that the client's own work stays out of the time. */
    private static String batch(List<String> numbers, int b) {
        StringBuilder json = new StringBuilder("[");
        for (int m = 0; m < BATCH; m++) {
            json.append(m == 0 ? "" : ",").append("{\"gateway_message_id\":\"bench-").append(b).append('-').append(m)
                    .append("\",\"to\":\"").append(numbers.get(m % numbers.size()))
                    .append("\",\"from\":\"WhatsApp\",\"text\":\"Your WhatsApp code: ").append(100 + b + 1)
                    .append('-').append(100 + m).append(". Don't share this code with others\"}");
        }
        return json.append(']').toString();
    }

    private int post(Fixtures.Gw gateway, String batch) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/v1/ingest/messages/batch"))
                .header("Authorization", "Bearer " + gateway.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), response.body());
        Matcher accepted = ACCEPTED.matcher(response.body());
        assertTrue(accepted.find(), response.body());
        return Integer.parseInt(accepted.group(1));
    }
}
