package com.fetchsms.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class HopsTest {

    private static String exposition(String service, String consumer, double... cumulative) {
        String[] bounds = {"0.002", "0.005", "0.01", "0.02", "0.05", "0.1", "+Inf"};
        StringBuilder text = new StringBuilder("# TYPE fetchsms_consumer_event_delay_seconds histogram\n");
        for (int i = 0; i < bounds.length; i++) {
            text.append(String.format("fetchsms_consumer_event_delay_seconds_bucket{consumer=\"%s\",service=\"%s\","
                    + "le=\"%s\"} %.1f%n", consumer, service, bounds[i], cumulative[i]));
        }
        text.append("fetchsms_consumer_event_delay_seconds_count{consumer=\"").append(consumer).append("\"} 1.0\n");
        return text.toString();
    }

    @Test
    void theHopsBetweenTwoScrapesAreTheDifferenceOfTheirBuckets() {
        Map<String, Hops.Histogram> before = Hops.parse(
                exposition("wallet-service", "wallet-service.refunds", 1, 2, 3, 4, 4, 4, 4));
        Map<String, Hops.Histogram> after = Hops.parse(
                exposition("wallet-service", "wallet-service.refunds", 1, 52, 90, 101, 103, 104, 104));

        Hops.Histogram hops = Hops.since(before, after).get("wallet-service.refunds");

        assertEquals(100, hops.count());
        assertEquals(97, hops.atMost(0.02));
        assertEquals(0.005, hops.percentileBound(0.5));
        assertEquals(0.05, hops.percentileBound(0.99));
    }

    @Test
    void theKeyViewOfEachServiceIsItsOwnConsumerAndIdleConsumersAreLeftOut() {
        Map<String, Hops.Histogram> before = Hops.parse(exposition("catalog-service", "api-key-view", 0, 0, 0, 0, 0,
                0, 0) + exposition("wallet-service", "wallet-service.refunds", 3, 3, 3, 3, 3, 3, 3));
        Map<String, Hops.Histogram> after = Hops.parse(exposition("catalog-service", "api-key-view", 0, 0, 0, 0, 0,
                1, 2) + exposition("wallet-service", "wallet-service.refunds", 3, 3, 3, 3, 3, 3, 3));

        Map<String, Hops.Histogram> hops = Hops.since(before, after);

        assertEquals(java.util.Set.of("api-key-view @ catalog-service"), hops.keySet());
        assertTrue(Double.isInfinite(hops.get("api-key-view @ catalog-service").percentileBound(0.99)));
        String line = Hops.describe(hops).get(0);
        assertTrue(line.contains("p50 ≤ 100 ms") && line.contains("p99 > 100 ms"), line);
    }

    @Test
    void eachWritersSideOfItsHopsIsReadBesideTheConsumers() {
        String published = "fetchsms_outbox_publish_delay_seconds_bucket{service=\"verification-service\",le=\"0.005\"} 3.0\n"
                + "fetchsms_outbox_publish_delay_seconds_bucket{service=\"verification-service\",le=\"0.01\"} 4.0\n"
                + "fetchsms_outbox_publish_delay_seconds_bucket{service=\"verification-service\",le=\"+Inf\"} 4.0\n";

        Map<String, Hops.Histogram> hops = Hops.parse(published
                + exposition("wallet-service", "wallet-service.refunds", 1, 2, 3, 4, 4, 4, 4));

        Hops.Histogram writer = hops.get("(outbox → broker) @ verification-service");
        assertEquals(4, writer.count());
        assertEquals(0.005, writer.percentileBound(0.5));
        assertEquals(0.01, writer.percentileBound(0.99));
        assertEquals(4, hops.get("wallet-service.refunds").count());
    }
}
