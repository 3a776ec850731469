package com.fetchsms.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * A service whose connections are all busy and whose waiting line is full is overloaded: the gateway answers a further
 * request at once with 503 and {@code Retry-After} instead of letting it queue until the connect timeout.
 */
@QuarkusTest
@TestProfile(BusyUpstreamTest.OneConnection.class)
@QuarkusTestResource(UpstreamServers.class)
class BusyUpstreamTest {

    public static class OneConnection implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fetchsms.gateway.max-connections-per-service", "1",
                    "fetchsms.gateway.max-waiting-per-service", "1",
                    "fetchsms.gateway.services.catalog.request-timeout", "30s");
        }
    }

    private static CompletableFuture<Response> slowQuote() {
        return CompletableFuture.supplyAsync(() -> given().header("X-Reply-Delay-Ms", "1500")
                .when().get("/v1/services/quote").andReturn());
    }

    @Test
    void aRequestBeyondTheBusyConnectionsAndTheWaitingLineIsAnswered503AtOnce() {
        CompletableFuture<Response> served = slowQuote();
        await().atMost(Duration.ofSeconds(5)).until(() -> UpstreamServers.delayedInProgress("catalog") == 1);
        CompletableFuture<Response> waiting = slowQuote();

        // The one connection is busy and one request waits for it: the next is refused without waiting.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            long started = System.nanoTime();
            Response refused = given().when().get("/v1/services").andReturn();
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(503, refused.statusCode());
            assertEquals("1", refused.header("Retry-After"));
            assertEquals("The catalog service is busy: retry shortly", refused.jsonPath().getString("detail"));
            assertTrue(tookMillis < 1000, "answered at once, not after a wait: " + tookMillis + " ms");
        });

        assertEquals(List.of(200, 200), List.of(served.join().statusCode(), waiting.join().statusCode()),
                "the requests admitted are served");
        given().when().get("/v1/services").then().statusCode(200);
    }
}
