package com.fetchsms.dashboard.rest;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The dashboard's health page on a real Prometheus ({@link RealPrometheus}): its test resource sets
 * {@code fetchsms.dashboard.health.prometheus-url} to that Prometheus' address.
 */
public class WithPrometheus implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RealPrometheus.class));
    }
}
