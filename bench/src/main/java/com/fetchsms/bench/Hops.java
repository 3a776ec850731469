package com.fetchsms.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The platform's own measure of each hop between services: {@code fetchsms_consumer_event_delay_seconds{consumer}}
 * (from an event's writing to its consumer's commit), read from every service's {@code /q/metrics}. A histogram with
 * fixed buckets (2, 5, 10, 20, 50, 100, 250, 500 ms, 1, 5, 30 s): percentiles are given as the bucket they fall in.
 * Beside them, each writer's side of its hops, {@code fetchsms_outbox_publish_delay_seconds} (from the writing to the
 * broker's acknowledgement), named {@code (outbox → broker) @ <service>}. And the last hop, to the client:
 * {@code fetchsms_push_delay_seconds{channel}} (from a change's commit to the long poll's answer or the event stream's
 * line), named {@code (commit → long poll) @ <service>} and {@code (commit → event stream) @ <service>}.
 */
final class Hops {

    static final String METRIC = "fetchsms_consumer_event_delay_seconds_bucket{";
    /** The writer's side of a hop: from the event's writing to the broker's acknowledgement, per service. */
    static final String PUBLISHED = "fetchsms_outbox_publish_delay_seconds_bucket{";
    /** The last hop, to the client: from a change's commit to its push on a long poll or an event stream. */
    static final String PUSHED = "fetchsms_push_delay_seconds_bucket{";
    /** The name of a long poll's push delay ({@code channel="long_poll"}), followed by {@code @ <service>}. */
    static final String LONG_POLL = "(commit → long poll)";
    /** The name of an event stream's push delay ({@code channel="event_stream"}), followed by {@code @ <service>}. */
    static final String EVENT_STREAM = "(commit → event stream)";
    private static final Map<String, String> CHANNELS = Map.of("long_poll", LONG_POLL, "event_stream", EVENT_STREAM);
    private static final Pattern CHANNEL = Pattern.compile("channel=\"([^\"]+)\"");
    private static final Pattern CONSUMER = Pattern.compile("consumer=\"([^\"]+)\"");
    private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");
    private static final Pattern SERVICE = Pattern.compile("service=\"([^\"]+)\"");

    /** Cumulative bucket counts of one consumer: upper bound in seconds → events at or below it. */
    record Histogram(TreeMap<Double, Double> cumulative) {

        double count() {
            return cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
        }

        /** Events at or below {@code seconds} (a bucket bound). */
        double atMost(double seconds) {
            Map.Entry<Double, Double> entry = cumulative.floorEntry(seconds);
            return entry == null ? 0 : entry.getValue();
        }

        /** The smallest bucket bound holding at least {@code share} of the events (infinite: beyond the last). */
        double percentileBound(double share) {
            double wanted = share * count();
            for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
                if (bucket.getValue() >= wanted) {
                    return bucket.getKey();
                }
            }
            return Double.POSITIVE_INFINITY;
        }

        Histogram minus(Histogram before) {
            TreeMap<Double, Double> delta = new TreeMap<>();
            cumulative.forEach((le, n) -> delta.put(le, n - (before == null
                    ? 0
                    : before.cumulative.getOrDefault(le,
                            0.0))));
            return new Histogram(delta);
        }
    }

    private Hops() {
    }

    /** Every consumer's histogram, from each service's metrics (a service that does not answer is left out). */
    static Map<String, Histogram> scrape(List<Api> services) {
        Map<String, Histogram> found = new TreeMap<>();
        for (Api service : services) {
            String body;
            try {
                Api.Response metrics = service.get("/q/metrics", null).get(10, TimeUnit.SECONDS);
                if (metrics.status() != 200) {
                    continue;
                }
                body = metrics.body();
            } catch (Exception e) {
                continue;
            }
            parse(body).forEach(found::put);
        }
        return found;
    }

    /** The hop histograms in a Prometheus text exposition. */
    static Map<String, Histogram> parse(String exposition) {
        Map<String, Histogram> found = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            boolean published = line.startsWith(PUBLISHED);
            boolean pushed = line.startsWith(PUSHED);
            if (!line.startsWith(METRIC) && !published && !pushed) {
                continue;
            }
            Matcher consumer = CONSUMER.matcher(line);
            Matcher channel = CHANNEL.matcher(line);
            Matcher le = LE.matcher(line);
            Matcher service = SERVICE.matcher(line);
            if (!le.find() || (published || pushed ? !service.find() : !consumer.find())
                    || (pushed && (!channel.find() || !CHANNELS.containsKey(channel.group(1))))) {
                continue;
            }
            String name;
            if (published) {
                name = "(outbox → broker) @ " + service.group(1);
            } else if (pushed) {
                name = CHANNELS.get(channel.group(1)) + " @ " + service.group(1);
            } else {
                // the API-key view is one consumer name in every service: tell them apart by the service
                name = consumer.group(1);
                if (service.find() && !name.startsWith(service.group(1))) {
                    name = name + " @ " + service.group(1);
                }
            }
            double bound = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
            double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            found.computeIfAbsent(name, key -> new Histogram(new TreeMap<>())).cumulative().put(bound, value);
        }
        return found;
    }

    /** What happened between two scrapes, for the consumers that applied events meanwhile. */
    static Map<String, Histogram> since(Map<String, Histogram> before, Map<String, Histogram> after) {
        Map<String, Histogram> delta = new TreeMap<>();
        after.forEach((consumer, histogram) -> {
            Histogram d = histogram.minus(before.get(consumer));
            if (d.count() > 0) {
                delta.put(consumer, d);
            }
        });
        return delta;
    }

    /** The histograms named {@code prefix} (e.g. {@link #LONG_POLL}: every service's long polls), in name order. */
    static Map<String, Histogram> named(Map<String, Histogram> hops, String prefix) {
        Map<String, Histogram> found = new TreeMap<>();
        hops.forEach((name, histogram) -> {
            if (name.startsWith(prefix)) {
                found.put(name, histogram);
            }
        });
        return found;
    }

    /** One line per consumer: events, share within 20 ms, and the buckets of p50 and p99. */
    static List<String> describe(Map<String, Histogram> hops) {
        List<String> lines = new ArrayList<>();
        hops.forEach(
                (consumer, h) -> lines.add(String.format("%-36s n %,5.0f   within 20 ms %5.1f %%   p50 %s   p99 %s",
                        consumer, h.count(), 100 * h.atMost(0.02) / h.count(), bound(h, 0.5), bound(h, 0.99))));
        return lines;
    }

    /** "≤ 5 ms" (the bucket the percentile falls in), or "> 30 s" beyond the last finite bucket. */
    private static String bound(Histogram h, double share) {
        double seconds = h.percentileBound(share);
        if (Double.isInfinite(seconds)) {
            Double last = h.cumulative().lowerKey(Double.POSITIVE_INFINITY);
            return last == null ? "unknown" : "> " + time(last);
        }
        return "≤ " + time(seconds);
    }

    private static String time(double seconds) {
        return seconds < 1 ? String.format("%.0f ms", seconds * 1000) : String.format("%.0f s", seconds);
    }
}
