package com.fetchsms.verification;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.Metrics;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The health groups (decision 0032): readiness is the database alone, liveness depends on nothing outside the
 * process, startup waits for the consumers' partitions and the API-key view, and Kafka is a wellness check and a
 * gauge. {@code KafkaOutageHealthTest} takes the broker and the database away.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class HealthTest {

    static final String DATABASE = "Reactive PostgreSQL connections health check";
    static final String JDBC = "Database connections health check";

    @Test
    void readinessIsTheDatabaseAndNothingOfKafka() {
        JsonPath ready = awaitUp("/q/health/ready");
        assertEquals(new TreeSet<>(Set.of(DATABASE, JDBC)), names(ready), "readiness checks");
        assertEquals("UP", check(ready, DATABASE).get("status"));
    }

    @Test
    void livenessAsksNothingOutsideTheProcess() {
        JsonPath live = awaitUp("/q/health/live");
        assertEquals(Set.of(), names(live), "no liveness check may look at Kafka or the database");
    }

    @Test
    void startupWaitsForEveryConsumersPartitionsAndTheKeyView() {
        JsonPath started = awaitUp("/q/health/started");
        assertEquals(new TreeSet<>(Set.of("kafka-consumers", "api-key-view")), names(started));
        Map<String, Object> consumers = data(started, "kafka-consumers");
        assertEquals(true, consumers.get("joined"));
        // the SMS channel runs one Kafka consumer per partition (three) in the durable group, each given its own;
        // the long polls' listener has a group of its own per start, holding every partition of its three topics
        for (String copy : List.of("sms-inbound$1", "sms-inbound$2", "sms-inbound$3")) {
            assertEquals("1 partitions", consumers.get(copy), copy + ": " + consumers);
        }
        assertEquals("9 partitions", consumers.get("purchase-changes"), consumers.toString());
        assertEquals(true, data(started, "api-key-view").get("caught-up"));
    }

    @Test
    void kafkaIsAWellnessCheckAndAGaugeSayingEveryClientIsConnected() {
        JsonPath well = awaitUp("/q/health/well");
        assertEquals(Set.of("kafka"), names(well));
        Map<String, Object> clients = data(well, "kafka");
        assertTrue(clients.keySet().containsAll(List.of("sms-inbound$1", "sms-inbound$2", "sms-inbound$3",
                "purchase-changes", "fetchsms-outbox")), clients.toString());
        await("fetchsms_kafka_connected = 1").atMost(Duration.ofSeconds(30))
                .until(() -> Metrics.value("fetchsms_kafka_connected", "service", "verification-service") == 1);
    }

    static Set<String> names(JsonPath health) {
        return new TreeSet<>(health.getList("checks.name", String.class));
    }

    static Map<String, Object> check(JsonPath health, String name) {
        return health.getMap("checks.find { it.name == '" + name + "' }");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> data(JsonPath health, String name) {
        return (Map<String, Object>) check(health, name).get("data");
    }

    /** A health group right after start may wait for the consumers' first assignment: polled, not slept on. */
    static JsonPath awaitUp(String path) {
        return await(path + " up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> given().get(path), response -> response.statusCode() == 200).jsonPath();
    }
}
