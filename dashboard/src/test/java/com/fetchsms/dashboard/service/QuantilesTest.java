package com.fetchsms.dashboard.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** Quantiles of a cumulative histogram, interpolated inside buckets as Prometheus does. */
class QuantilesTest {

    private static TreeMap<Double, Double> buckets(double... boundAndCount) {
        TreeMap<Double, Double> map = new TreeMap<>();
        for (int i = 0; i < boundAndCount.length; i += 2) {
            map.put(boundAndCount[i], boundAndCount[i + 1]);
        }
        return map;
    }

    @Test
    void theMedianFallsInsideItsBucketByLinearInterpolation() {
        // 10 observations up to 0.5 s, 10 more up to 1 s: the median is the 0.5 s bound, p75 half-way into the second.
        TreeMap<Double, Double> h = buckets(0.5, 10, 1.0, 20, Double.POSITIVE_INFINITY, 20);
        assertEquals(0.5, Quantiles.of(h, 0.5), 1e-9);
        assertEquals(0.75, Quantiles.of(h, 0.75), 1e-9);
    }

    @Test
    void aQuantileBeyondTheLastFiniteBucketIsThatBucketsBound() {
        TreeMap<Double, Double> h = buckets(0.5, 1, 1.0, 2, Double.POSITIVE_INFINITY, 10);
        assertEquals(1.0, Quantiles.of(h, 0.99), 1e-9);
    }

    @Test
    void noObservationsNoQuantile() {
        assertNull(Quantiles.of(new TreeMap<>(), 0.5));
        assertNull(Quantiles.of(buckets(0.5, 0, Double.POSITIVE_INFINITY, 0), 0.5));
    }
}
