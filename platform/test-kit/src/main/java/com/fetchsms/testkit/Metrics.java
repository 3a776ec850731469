package com.fetchsms.testkit;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the running service's Prometheus endpoint ({@code /q/metrics}) the way a scraper does, so tests assert on the
 * metrics as published: names, tags and values.
 */
public final class Metrics {

    private static final Pattern SAMPLE = Pattern
            .compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)(\\s+\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private Metrics() {
    }

    /** The whole exposition text. */
    public static String scrape() {
        return given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /**
     * The sum of every sample of {@code name} whose labels include {@code labels} (name and value), e.g.
     * {@code value("fetchsms_purchases_total", "product", "verification", "outcome", "created")}; 0 when none.
     */
    public static double value(String name, String... labels) {
        return valueIn(scrape(), name, labels);
    }

    /** As {@link #value(String, String...)}, on a scrape already taken. */
    public static double valueIn(String exposition, String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line.trim());
            if (!sample.matches() || !sample.group(1).equals(name)) {
                continue;
            }
            Map<String, String> found = new LinkedHashMap<>();
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    found.put(label.group(1), label.group(2));
                }
            }
            if (found.entrySet().containsAll(wanted.entrySet())) {
                sum += Double.parseDouble(sample.group(4));
            }
        }
        return sum;
    }

    /** Whether the exposition has a sample of {@code name} whose labels include {@code labels} (at any value). */
    public static boolean present(String exposition, String name, String... labels) {
        for (String line : exposition.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i + 1 < labels.length; i += 2) {
                all &= line.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** Polls until the value satisfies {@code condition}; answers it, or fails after {@code timeout}. */
    public static double await(String name, DoublePredicate condition, Duration timeout, String... labels) {
        long deadline = System.nanoTime() + timeout.toNanos();
        double last;
        do {
            last = value(name, labels);
            if (condition.test(last)) {
                return last;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError(name + " " + String.join(",", labels) + " is " + last + " after " + timeout);
    }
}
