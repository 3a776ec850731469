package com.fetchsms.dashboard.service;

import java.util.Map;
import java.util.TreeMap;

/**
 * A quantile of a cumulative histogram ({@code le} bound → count at or below it), interpolated linearly inside the
 * bucket it falls in, as Prometheus' {@code histogram_quantile} does.
 */
public final class Quantiles {

    private Quantiles() {
    }

    /** The {@code q} quantile in the buckets' unit, or {@code null} when they hold no observation. */
    public static Double of(TreeMap<Double, Double> cumulative, double q) {
        if (cumulative.isEmpty()) {
            return null;
        }
        double total = cumulative.lastEntry().getValue();
        if (total <= 0) {
            return null;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            double bound = bucket.getKey();
            double count = bucket.getValue();
            if (count >= rank) {
                if (Double.isInfinite(bound)) {
                    // Beyond the last finite bucket: the best that can be said is its bound.
                    return lowerBound;
                }
                double inBucket = count - lowerCount;
                return inBucket <= 0 ? bound : lowerBound + (bound - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = bound;
            lowerCount = count;
        }
        return lowerBound;
    }
}
