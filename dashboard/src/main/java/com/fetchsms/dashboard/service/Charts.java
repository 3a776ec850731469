package com.fetchsms.dashboard.service;

import java.util.List;
import java.util.Locale;

import io.quarkus.qute.TemplateExtension;

/**
 * Line charts drawn on the server as SVG points, so the health page needs no chart script:
 * {@code <polyline points="{values.chartPoints}">} in a {@code viewBox="0 0 300 100"}.
 */
public final class Charts {

    public static final int WIDTH = 300;
    public static final int HEIGHT = 100;

    private Charts() {
    }

    /** The values as SVG points, scaled to the box, the highest at the top (0 at the bottom). */
    @TemplateExtension
    public static String chartPoints(List<Double> values) {
        if (values.isEmpty()) {
            return "";
        }
        double max = Math.max(1e-9, values.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        StringBuilder points = new StringBuilder();
        int n = values.size();
        for (int i = 0; i < n; i++) {
            double x = n == 1 ? WIDTH : (double) i * WIDTH / (n - 1);
            double y = HEIGHT - values.get(i) / max * (HEIGHT - 4);
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        return points.toString().trim();
    }

    /** The highest value, rounded for the chart's label. */
    @TemplateExtension
    public static String chartMax(List<Double> values) {
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return String.format(Locale.ROOT, max >= 10 ? "%.0f" : "%.1f", max);
    }

    /** A number with one decimal ({@code 12.5}). */
    @TemplateExtension(matchName = "oneDecimal")
    public static String oneDecimal(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** Seconds as people read them ({@code 850 ms}, {@code 2.4 s}); a dash for none. */
    @TemplateExtension(matchName = "seconds")
    public static String seconds(Double value) {
        if (value == null) {
            return "–";
        }
        return value < 1
                ? String.format(Locale.ROOT, "%.0f ms", value * 1000)
                : String.format(Locale.ROOT, "%.1f s", value);
    }
}
