package com.fetchsms.dashboard.rest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Neither Prometheus nor any process configured: the health page says so and reads nothing. */
@QuarkusTest
@WithTestResource(FakeApi.class)
class HealthUnconfiguredTest {

    @BeforeEach
    void signedInOperator() {
        FakeApi.reset();
    }

    @Test
    void thePageSaysItReadsNoMetrics() {
        SignedIn.browserWithSession().request().get("/app/admin/health").then().statusCode(200)
                .body(containsString("id=\"health-unconfigured\""))
                .body(containsString("<code>fetchsms.dashboard.health.prometheus-url</code>"))
                .body(not(containsString("id=\"health-live\"")));
    }
}
