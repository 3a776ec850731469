package com.fetchsms.dashboard.rest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Prometheus out of reach: the health page says so, as a page (200), never a server error. */
@QuarkusTest
@TestProfile(HealthPrometheusUnreachableTest.NothingListens.class)
@WithTestResource(FakeApi.class)
class HealthPrometheusUnreachableTest {

    /** Prometheus' address is the discard port of the loopback address, where nothing listens. */
    public static class NothingListens implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fetchsms.dashboard.health.prometheus-url", "http://127.0.0.1:9");
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
                .body(containsString("<p class=\"notice\" role=\"alert\" id=\"health-problem\">No figures just now:"
                        + " Prometheus cannot be reached at http://127.0.0.1:9"))
                .body(containsString("hx-trigger=\"every 30s\""))
                .body(not(containsString("id=\"service-health\"")))
                .body(not(containsString("id=\"health-unconfigured\"")));
    }
}
