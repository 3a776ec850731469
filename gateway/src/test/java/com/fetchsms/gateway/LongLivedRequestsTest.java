package com.fetchsms.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Event streams and long polls hold their upstream connection for as long as they last, so they have a pool of their
 * own ({@code fetchsms.gateway.max-long-lived-connections-per-service}): with one pooled connection and a waiting line
 * of one for short requests, five streams and three long polls are all served at once, and a short request still gets
 * through beside them.
 */
@QuarkusTest
@TestProfile(LongLivedRequestsTest.OneShortConnection.class)
@QuarkusTestResource(UpstreamServers.class)
class LongLivedRequestsTest {

    public static class OneShortConnection implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fetchsms.gateway.max-connections-per-service", "1",
                    "fetchsms.gateway.max-waiting-per-service", "1",
                    "fetchsms.gateway.max-long-lived-connections-per-service", "20",
                    "fetchsms.gateway.services.catalog.request-timeout", "30s");
        }
    }

    @TestHTTPResource("/")
    URL gateway;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static CompletableFuture<Response> slow(String path) {
        return CompletableFuture.supplyAsync(() -> given().header("X-Reply-Delay-Ms", "1500").when().get(path)
                .andReturn());
    }

    /** Opens an endless event stream through the gateway and answers it once its first line arrived. */
    private HttpResponse<Stream<String>> stream() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "v1/services/stream"))
                .header("Accept", "text/event-stream").header("X-Reply-Events", "0")
                .header("X-Reply-Interval-Ms", "200").GET().build();
        HttpResponse<Stream<String>> response = http.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .get(10, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        Iterator<String> lines = response.body().iterator();
        assertEquals(": connected", lines.next());
        return response;
    }

    @Test
    void eventStreamsAndLongPollsTakeConnectionsOfTheirOwnAndShortRequestsStillGetThrough() throws Exception {
        List<HttpResponse<Stream<String>>> streams = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                streams.add(stream());
            }
            int before = UpstreamServers.delayedInProgress("catalog");
            List<CompletableFuture<Response>> polls = List.of(slow("/v1/services/quote?wait=25"),
                    slow("/v1/services/quote?wait=25"), slow("/v1/services/quote?wait=25"));
            // the three long polls reach the service together: with the short requests' one connection they would
            // have gone one at a time, and the third would have been refused
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> UpstreamServers.delayedInProgress("catalog") - before == 3);

            long started = System.nanoTime();
            given().when().get("/v1/services").then().statusCode(200);
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(tookMillis < 1000, "a short request beside them is served at once: " + tookMillis + " ms");

            for (CompletableFuture<Response> poll : polls) {
                assertEquals(200, poll.join().statusCode());
            }
        } finally {
            streams.forEach(response -> response.body().close());
        }
    }

    @Test
    void aMalformedQueryIsNeverAServerErrorOfTheGateway() throws Exception {
        // HTTP clients refuse to send such a query, so it is written by hand: the gateway reads wait= without decoding
        // the query, and a stray % is the service's to judge
        for (String query : List.of("x=%zz&wait=%", "wait=5%", "wait=%zz")) {
            String status = statusLine("/v1/services/quote?" + query);
            assertTrue(status.matches("HTTP/1\\.1 [1-4]\\d\\d .*"), query + " answered " + status);
        }
    }

    /** The status line the gateway answers to a GET of {@code target} written on a socket as is. */
    private String statusLine(String target) throws Exception {
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    @Test
    void aPollWithWaitZeroIsAShortRequest() {
        CompletableFuture<Response> served = slow("/v1/services/quote");
        await().atMost(Duration.ofSeconds(5)).until(() -> UpstreamServers.delayedInProgress("catalog") >= 1);
        CompletableFuture<Response> waiting = slow("/v1/services/quote");

        // the short requests' one connection is busy and its waiting line is full: wait=0 is refused with them, a
        // long poll is not
        await().atMost(Duration.ofSeconds(5)).untilAsserted(
                () -> assertEquals(503, given().when().get("/v1/services/quote?wait=0").andReturn().statusCode()));
        assertEquals(200, given().when().get("/v1/services/quote?wait=5").andReturn().statusCode());

        assertEquals(List.of(200, 200), List.of(served.join().statusCode(), waiting.join().statusCode()));
    }
}
