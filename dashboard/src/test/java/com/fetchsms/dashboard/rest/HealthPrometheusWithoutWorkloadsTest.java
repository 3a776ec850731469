package com.fetchsms.dashboard.rest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** A real Prometheus that scrapes none of the workloads the selector names: the page says so instead of empty rows. */
@QuarkusTest
@TestProfile(HealthPrometheusWithoutWorkloadsTest.NoneSelected.class)
@WithTestResource(FakeApi.class)
class HealthPrometheusWithoutWorkloadsTest {

    /** A selector no series of that Prometheus carries. */
    public static class NoneSelected extends WithPrometheus {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fetchsms.dashboard.health.prometheus-selector", "app_kubernetes_io_part_of=\"elsewhere\"");
        }
    }

    @BeforeEach
    void signedInOperator() {
        FakeApi.reset();
    }

    @Test
    void thePageSaysPrometheusScrapesNoWorkload() {
        SignedIn.browserWithSession().request().get("/app/admin/health").then().statusCode(200)
                .body(containsString("id=\"health-no-workloads\">Prometheus scrapes no FetchSMS workload"))
                .body(not(containsString("<th scope=\"row\">")))
                .body(not(containsString("id=\"health-problem\"")));
    }
}
