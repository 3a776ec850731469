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

    private static String pushed(String channel, String service, double... cumulative) {
        String[] bounds = {"0.002", "0.005", "0.01", "0.02", "0.05", "0.1", "+Inf"};
        StringBuilder text = new StringBuilder("# TYPE fetchsms_push_delay_seconds histogram\n");
        for (int i = 0; i < bounds.length; i++) {
            text.append(
                    String.format("fetchsms_push_delay_seconds_bucket{channel=\"%s\",service=\"%s\",le=\"%s\"} %.1f%n",
                            channel, service, bounds[i], cumulative[i]));
        }
        text.append("fetchsms_push_delay_seconds_count{channel=\"").append(channel).append("\",service=\"")
                .append(service).append("\"} 1.0\n");
        return text.toString();
    }

    @Test
    void eachChannelsPushDelayIsReadPerServiceAndSelectedByItsName() {
        String idle = pushed("long_poll", "verification-service", 0, 0, 0, 0, 0, 0, 0)
                + pushed("long_poll", "rental-service", 0, 0, 0, 0, 0, 0, 0)
                + pushed("event_stream", "webhook-service", 2, 2, 2, 2, 2, 2, 2)
                + exposition("wallet-service", "wallet-service.refunds", 1, 2, 3, 4, 4, 4, 4);
        String after = pushed("long_poll", "verification-service", 10, 60, 90, 99, 100, 100, 100)
                + pushed("long_poll", "rental-service", 0, 0, 0, 0, 0, 0, 0)
                + pushed("event_stream", "webhook-service", 2, 2, 2, 3, 4, 4, 4)
                + pushed("carrier_pigeon", "webhook-service", 0, 0, 0, 0, 0, 0, 1)
                + exposition("wallet-service", "wallet-service.refunds", 1, 2, 3, 4, 4, 4, 5);

        Map<String, Hops.Histogram> hops = Hops.since(Hops.parse(idle), Hops.parse(after));

        assertEquals(java.util.Set.of("(commit → long poll) @ verification-service",
                "(commit → event stream) @ webhook-service", "wallet-service.refunds"), hops.keySet());
        Map<String, Hops.Histogram> longPolls = Hops.named(hops, Hops.LONG_POLL);
        assertEquals(java.util.Set.of("(commit → long poll) @ verification-service"), longPolls.keySet());
        Hops.Histogram longPoll = longPolls.get("(commit → long poll) @ verification-service");
        assertEquals(100, longPoll.count());
        assertEquals(99, longPoll.atMost(0.02));
        assertEquals(0.005, longPoll.percentileBound(0.5));
        assertEquals(0.02, longPoll.percentileBound(0.99));
        String line = Hops.describe(longPolls).get(0);
        assertTrue(line.contains("within 20 ms  99.0 %") && line.contains("p99 ≤ 20 ms"), line);

        Map<String, Hops.Histogram> streams = Hops.named(hops, Hops.EVENT_STREAM);
        assertEquals(java.util.Set.of("(commit → event stream) @ webhook-service"), streams.keySet());
        assertEquals(2, streams.get("(commit → event stream) @ webhook-service").count());
        assertEquals(0.05, streams.get("(commit → event stream) @ webhook-service").percentileBound(0.99));
    }
}
