package com.fetchsms.dashboard.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the JSON answers of Prometheus' HTTP query API ({@code /api/v1/query}, {@code /api/v1/query_range}):
 * {@code {"status": "success", "data": {"resultType": "vector"|"matrix"|"scalar", "result": …}}}, or
 * {@code {"status": "error", "errorType": …, "error": …}}. Values come as strings ({@code "1.5"}, {@code "NaN"},
 * {@code "+Inf"}, {@code "-Inf"}).
 */
public final class PromQlAnswer {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One sample: seconds since the epoch, and the value. */
    public record Sample(double time, double value) {
    }

    /** One series: its labels and its samples (one for a vector or a scalar, many for a matrix). */
    public record Series(Map<String, String> labels, List<Sample> samples) {

        /** The label's value, or the empty string. */
        public String label(String name) {
            return labels.getOrDefault(name, "");
        }

        /** The last sample's value (the only one of a vector), NaN without any. */
        public double value() {
            return samples.isEmpty() ? Double.NaN : samples.get(samples.size() - 1).value();
        }
    }

    /** Prometheus answered an error, or something that is not its API's answer. */
    public static final class Refused extends RuntimeException {

        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    private PromQlAnswer() {
    }

    /**
     * The series of an answer (a scalar is one series without labels), in Prometheus' order.
     *
     * @throws Refused for {@code status: error} or an answer that is not the API's JSON
     */
    public static List<Series> parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Refused("Prometheus answered something that is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new Refused("Prometheus answered something that is not JSON");
        }
        String status = root.path("status").asText("");
        if (status.equals("error")) {
            String type = root.path("errorType").asText("");
            String error = root.path("error").asText("");
            throw new Refused("Prometheus answered an error: " + (type.isEmpty() ? "" : type + ": ") + error);
        }
        if (!status.equals("success")) {
            throw new Refused("Prometheus answered without a status");
        }
        JsonNode data = root.path("data");
        String type = data.path("resultType").asText("");
        JsonNode result = data.path("result");
        List<Series> series = new ArrayList<>();
        switch (type) {
            case "vector" -> {
                for (JsonNode s : result) {
                    series.add(new Series(labels(s.path("metric")), List.of(sample(s.path("value")))));
                }
            }
            case "matrix" -> {
                for (JsonNode s : result) {
                    List<Sample> samples = new ArrayList<>();
                    for (JsonNode pair : s.path("values")) {
                        samples.add(sample(pair));
                    }
                    series.add(new Series(labels(s.path("metric")), samples));
                }
            }
            case "scalar" -> series.add(new Series(Map.of(), List.of(sample(result))));
            default -> throw new Refused("Prometheus answered a result of type '" + type + "'");
        }
        return series;
    }

    private static Map<String, String> labels(JsonNode metric) {
        Map<String, String> labels = new LinkedHashMap<>();
        metric.fields().forEachRemaining(label -> labels.put(label.getKey(), label.getValue().asText()));
        return labels;
    }

    private static Sample sample(JsonNode pair) {
        if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isNumber()) {
            throw new Refused("Prometheus answered a sample that is not [time, \"value\"]");
        }
        return new Sample(pair.get(0).asDouble(), number(pair.get(1).asText()));
    }

    /** A value as Prometheus writes it: a decimal, {@code NaN}, {@code +Inf} or {@code -Inf}. */
    static double number(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new Refused("Prometheus answered a value that is not a number: '" + text + "'");
                }
            }
        };
    }
}
