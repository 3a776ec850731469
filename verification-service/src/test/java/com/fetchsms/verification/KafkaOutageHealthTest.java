package com.fetchsms.verification;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.SmsInbound;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.Metrics;
import com.fetchsms.testkit.OwnBrokerTestResource;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.PostgresRelay;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Health with the real broker and the real database taken away (decision 0032). The application runs on a broker of
 * its own ({@link KafkaOutageHealthTest.Resource}): with the broker stopped it stays ready and live, a purchase and
 * its polls are answered (events wait in the outbox), and the Kafka gauge and wellness check say down; with its
 * database unreachable for over a minute it is unready but live, its SMS consumers holding the record they cannot
 * apply yet and keeping their partitions, and apply it once the database is back.
 */
@QuarkusTest
@WithTestResource(KafkaOutageHealthTest.Resource.class)
@WithTestResource(PlatformStubs.class)
class KafkaOutageHealthTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String CONSUMER = "verification-service.sms-inbound";
    /** Longer than the 60 s after which the connector's default gave up on a record a consumer held. */
    private static final Duration HELD = Duration.ofSeconds(65);

    /** The own broker, and the database through a relay the test can cut ({@link PostgresRelay}). */
    public static class Resource extends OwnBrokerTestResource {

        static volatile PostgresRelay database;

        @Override
        public Map<String, String> start() {
            Map<String, String> config = super.start();
            database = PostgresRelay.start();
            config.put("quarkus.datasource.jdbc.url", database.jdbcUrl(ServiceTestResource.database()));
            config.put("quarkus.datasource.reactive.url", database.reactiveUrl(ServiceTestResource.database()));
            // the connector looks at the records its consumers hold at every commit interval: every 500 ms here
            config.put("mp.messaging.incoming.sms-inbound.auto.commit.interval.ms", "500");
            return config;
        }

        @Override
        public void stop() {
            if (database != null) {
                database.close();
            }
            super.stop();
        }
    }

    @Test
    void whileTheBrokerIsAwayTheReplicaStaysReadyAndLivePurchasesAndPollsAnswerAndTheKafkaGaugeSaysDown() {
        HealthTest.awaitUp("/q/health/started");
        HealthTest.awaitUp("/q/health/ready");
        awaitKafkaConnected(1);
        Fixtures customer = new Fixtures().withBalance(1000);

        OwnBrokerTestResource.stopBroker();
        try {
            awaitKafkaConnected(0);
            JsonPath well = given().get("/q/health/well").then().statusCode(503).extract().jsonPath();
            assertEquals("DOWN", HealthTest.check(well, "kafka").get("status"));

            given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
            given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
            String id = customer.create(4).then().statusCode(201).body("status", equalTo("waiting"))
                    .extract().path("id");
            customer.get(id).statusCode(200).body("status", equalTo("waiting"));
            customer.as().get("/v1/verifications/" + id + "?wait=1").then().statusCode(200)
                    .body("status", equalTo("waiting"));
            customer.as().post("/v1/verifications/" + id + "/cancel").then().statusCode(200)
                    .body("status", equalTo("cancelled"));
            // the cancel's event (the refund's trigger) waits in the outbox for the broker
            await("the cancel's event waits in the outbox").atMost(PATIENCE)
                    .until(() -> Metrics.value("fetchsms_outbox_pending") >= 1);
            given().get("/q/health/ready").then().statusCode(200);
        } finally {
            OwnBrokerTestResource.restartBroker();
        }
        awaitKafkaConnected(1);
        given().get("/q/health/well").then().statusCode(200);
        await("the outbox drained once the broker is back").atMost(PATIENCE)
                .until(() -> Metrics.value("fetchsms_outbox_pending") == 0);
    }

    @Test
    void aDatabaseOutageLongerThanAMinuteLeavesTheReplicaUnreadyButLiveWithItsConsumersHoldingTheirRecord() {
        HealthTest.awaitUp("/q/health/ready");
        awaitKafkaConnected(1);
        double handled = handled();
        double retries = Metrics.value("fetchsms_consumer_retries_total", "consumer", CONSUMER);

        Resource.database.cut();
        try {
            JsonPath ready = await("readiness down").atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                    .until(() -> given().get("/q/health/ready"), r -> r.statusCode() == 503).jsonPath();
            assertEquals("DOWN", HealthTest.check(ready, HealthTest.DATABASE).get("status"));

            // an SMS the consumer cannot apply while the database is away: it holds the record and retries
            KafkaEvents.sendTo(OwnBrokerTestResource.brokerAddress(), new SmsInbound(UUID.randomUUID(),
                    "+13325550199", "Telegram", "Telegram code: 48291", "telegram", "Telegram", "48291",
                    UUID.randomUUID(), Instant.now()));
            await("the consumer retries the record").atMost(PATIENCE).until(
                    () -> Metrics.value("fetchsms_consumer_retries_total", "consumer", CONSUMER) > retries);
            // held past the minute after which the connector's default closed the consumer for good (and turned
            // liveness down): liveness stays up, every consumer stays connected with its partitions
            await("liveness up and every consumer connected all along").during(HELD).atMost(HELD.plusSeconds(15))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> given().get("/q/health/live").statusCode() == 200 && consumersConnected());
        } finally {
            Resource.database.restore();
        }
        HealthTest.awaitUp("/q/health/ready");
        await("the held record applied once the database is back").atMost(PATIENCE)
                .until(() -> handled() > handled);
        given().get("/q/health/live").then().statusCode(200);
    }

    /** Whether every SMS consumer has a broker connection ({@code kafka} wellness check). */
    private static boolean consumersConnected() {
        JsonPath well = given().get("/q/health/well").jsonPath();
        Map<String, Object> clients = HealthTest.data(well, "kafka");
        return clients.entrySet().stream().filter(c -> c.getKey().startsWith("sms-inbound"))
                .allMatch(c -> c.getValue().toString().endsWith("broker connections")) && clients.size() >= 3;
    }

    /** Events the SMS consumer has handled, whatever the outcome. */
    private static double handled() {
        return Metrics.value("fetchsms_consumer_events_total", "consumer", CONSUMER);
    }

    private static void awaitKafkaConnected(int value) {
        try {
            await("fetchsms_kafka_connected = " + value).atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                    .until(() -> Metrics.value("fetchsms_kafka_connected") == value);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("fetchsms_kafka_connected is not " + value + "; the clients: "
                    + given().get("/q/health/well").asString(), e);
        }
    }
}
