package com.fetchsms.dashboard.rest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** A real Prometheus refusing the page's queries: the page shows Prometheus' own error, as a page (200). */
@QuarkusTest
@TestProfile(HealthPrometheusErrorTest.RefusedQueries.class)
@WithTestResource(FakeApi.class)
class HealthPrometheusErrorTest {

    /** A selector Prometheus refuses (an unclosed regular expression). */
    public static class RefusedQueries extends WithPrometheus {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fetchsms.dashboard.health.prometheus-selector", "job=~\"(\"");
        }
    }

    @BeforeEach
    void signedInOperator() {
        FakeApi.reset();
    }

    @Test
    void thePageShowsPrometheusError() {
        SignedIn.browserWithSession().request().get("/app/admin/health").then().statusCode(200)
                .contentType("text/html")
                .body(containsString("id=\"health-problem\">No figures just now: Prometheus answered an error:"
                        + " bad_data:"))
                .body(containsString(RealPrometheus.url()))
                .body(not(containsString("id=\"service-health\"")));
    }
}
