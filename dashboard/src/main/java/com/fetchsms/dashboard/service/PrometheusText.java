package com.fetchsms.dashboard.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Prometheus text exposition format that every service answers on {@code /q/metrics}: one sample per line,
 * {@code name{label="value",…} number}; comments and malformed lines are skipped.
 */
public final class PrometheusText {

    /** One sample. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private PrometheusText() {
    }

    public static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            Sample sample = line(line.trim());
            if (sample != null) {
                samples.add(sample);
            }
        }
        return samples;
    }

    static Sample line(String line) {
        int brace = line.indexOf('{');
        int space;
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        if (brace >= 0 && brace < indexOfSpace(line)) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (i < line.length() && line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                    return null;
                }
                String key = line.substring(i, eq).trim();
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; j < line.length() && line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\' && j + 1 < line.length()) {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                if (j >= line.length()) {
                    return null;
                }
                labels.put(key, value.toString());
                i = j + 1;
                if (i < line.length() && line.charAt(i) == ',') {
                    i++;
                }
            }
            if (i >= line.length()) {
                return null;
            }
            space = i + 1;
        } else {
            space = indexOfSpace(line);
            if (space < 0) {
                return null;
            }
            name = line.substring(0, space);
        }
        String rest = line.substring(space).trim();
        int end = rest.indexOf(' ');
        String number = end < 0 ? rest : rest.substring(0, end);
        try {
            return new Sample(name, labels, switch (number) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(number);
            });
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int indexOfSpace(String line) {
        return line.indexOf(' ');
    }
}
