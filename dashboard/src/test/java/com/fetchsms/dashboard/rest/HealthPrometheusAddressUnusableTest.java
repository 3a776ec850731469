package com.fetchsms.dashboard.rest;

import static org.hamcrest.Matchers.containsString;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Prometheus' address is no URL at all: the health page says Prometheus cannot be reached, as a page (200). */
@QuarkusTest
@TestProfile(HealthPrometheusAddressUnusableTest.NotAUrl.class)
@WithTestResource(FakeApi.class)
class HealthPrometheusAddressUnusableTest {

    /** An address without a scheme. */
    public static class NotAUrl implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fetchsms.dashboard.health.prometheus-url", "prometheus-operated:9090");
        }
    }

    @BeforeEach
    void signedInOperator() {
        FakeApi.reset();
    }

    @Test
    void thePageSaysPrometheusCannotBeReached() {
        SignedIn.browserWithSession().request().get("/app/admin/health").then().statusCode(200)
                .contentType("text/html")
                .body(containsString("id=\"health-problem\">No figures just now: Prometheus cannot be reached at"
                        + " prometheus-operated:9090"));
    }
}
