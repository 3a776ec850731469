package com.fetchsms.verification;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Readiness is the database, Kafka (every channel) and the API-key view, each a named check; liveness is up. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class HealthTest {

    static final String DATABASE = "Reactive PostgreSQL connections health check";
    static final String KAFKA = "SmallRye Reactive Messaging - readiness check";

    @Test
    void readinessIsUpAndNamesTheDatabaseAndKafka() {
        JsonPath ready = awaitReady(Duration.ofSeconds(60));
        assertEquals("UP", ready.getString("status"));
        List<String> names = ready.getList("checks.name");
        assertTrue(names.containsAll(List.of(DATABASE, KAFKA, "api-key-view")), names.toString());
        assertEquals("UP", check(ready, DATABASE).get("status"));
        assertEquals("UP", check(ready, KAFKA).get("status"));
        @SuppressWarnings("unchecked")
        Map<String, Object> channels = (Map<String, Object>) check(ready, KAFKA).get("data");
        // the SMS channel runs one Kafka consumer per partition: sms-inbound$1, $2 and $3
        assertTrue(channels.keySet().containsAll(List.of("sms-inbound$1", "sms-inbound$2", "sms-inbound$3",
                "fetchsms-outbox")), channels.toString());
    }

    @Test
    void livenessIsUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("SmallRye Reactive Messaging - liveness check"));
    }

    private static Map<String, Object> check(JsonPath health, String name) {
        return health.getMap("checks.find { it.name == '" + name + "' }");
    }

    /** Readiness right after start may wait for the consumers' first connection: polled, not slept on. */
    private static JsonPath awaitReady(Duration timeout) {
        return await("readiness").atMost(timeout).pollInterval(Duration.ofMillis(250))
                .until(() -> given().get("/q/health/ready"), response -> response.statusCode() == 200).jsonPath();
    }
}
