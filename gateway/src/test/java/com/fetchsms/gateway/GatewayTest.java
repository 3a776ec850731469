package com.fetchsms.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
@QuarkusTestResource(UpstreamServers.class)
class GatewayTest {

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void forwardsMethodPathQueryHeadersAndBodyAndReturnsTheAnswerUnchanged() {
        String body = "{\"service\":4,\"area_code\":\"332\",\"note\":\"héllo\"}";
        Response response = given()
                .header("Authorization", "Bearer sk_live_abc.123")
                .header("X-Reply-Status", "201")
                .header("X-Client-Header", "one")
                .contentType("application/json")
                .body(body)
                .when().post("/v1/services/quote?service=4&mode=short")
                .then()
                .statusCode(201)
                .header("X-Upstream", "catalog")
                .header("X-Upstream-Custom", "kept; as-is")
                .contentType("application/json")
                .extract().response();

        assertEquals("catalog", response.path("upstream"));
        assertEquals("POST", response.path("method"));
        assertEquals("/v1/services/quote?service=4&mode=short", response.path("uri"));
        assertEquals("/v1/services/quote", response.path("path"));
        assertEquals("service=4&mode=short", response.path("query"));
        assertEquals("Bearer sk_live_abc.123", response.path("headers.authorization"));
        assertEquals("one", response.path("headers.x-client-header"));
        assertTrue(((String) response.path("headers.content-type")).startsWith("application/json"));
        assertEquals(body, response.path("body"));
        assertEquals(body.getBytes(StandardCharsets.UTF_8).length, (int) response.path("body_length"));
    }

    @Test
    void addsForwardedHeadersAndDoesNotBelieveTheClientsOwn() {
        given()
                .header("X-Forwarded-For", "6.6.6.6")
                .header("Forwarded", "for=6.6.6.6")
                .when().get("/v1/services")
                .then()
                .statusCode(200)
                .body("upstream", equalTo("catalog"))
                .body("headers.x-forwarded-for", equalTo("127.0.0.1"))
                .body("headers.x-forwarded-proto", equalTo("http"))
                .body("headers.x-forwarded-host", equalTo(gateway.getHost() + ":" + gateway.getPort()))
                .body("headers.forwarded", nullValue());
    }

    /** Without a client-address key nothing is vouched for or believed, and a voucher never reaches a service. */
    @Test
    void withoutAKeyNoClientAddressVoucherIsGivenBelievedOrForwarded() {
        String voucher = new ClientAddressVouchers("k".repeat(32), java.time.Duration.ofMinutes(2),
                java.time.Clock.systemUTC()).issue("203.0.113.9");
        for (String path : new String[]{"/v1/services", "/app/wallet"}) {
            given().header(ClientAddressVouchers.HEADER, voucher)
                    .when().get(path)
                    .then()
                    .statusCode(200)
                    .body("headers.x-forwarded-for", equalTo("127.0.0.1"))
                    .body("headers.x-fetchsms-client-address", nullValue());
        }
    }

    @Test
    void passesUpstreamErrorStatusesThrough() {
        given().header("X-Reply-Status", "402")
                .when().post("/v1/verifications")
                .then()
                .statusCode(402)
                .header("X-Upstream", "verification")
                .body("method", equalTo("POST"));
    }

    @ParameterizedTest
    @CsvSource({
            "/v1/services, catalog",
            "/v1/services/quote, catalog",
            "/v1/services/, catalog",
            "/v1/admin/services/7, catalog",
            "/v1/admin/numbers, catalog",
            "/v1/admin/numbers/%2B13325550184, catalog",
            "/v1/auth/login, wallet",
            "/v1/account, wallet",
            "/v1/api-keys/42, wallet",
            "/v1/wallet, wallet",
            "/v1/wallet/deposits, wallet",
            "/v1/wallet/ledgerX, wallet",
            "/v1/wallet/ledger, ledger",
            "/v1/wallet/ledger/page/2, ledger",
            "/v1/admin/accounts/1/credits, wallet",
            "/v1/support/tickets, wallet",
            "/v1/support/tickets/1/messages, wallet",
            "/v1/admin/support/tickets/1/close, wallet",
            "/v1/verifications/v_1/cancel, verification",
            "/v1/rentals, rental",
            "/v1/ingest/messages/batch, sms-ingest",
            "/v1/admin/gateways, sms-ingest",
            "/v1/sandbox/sms, sms-ingest",
            "/v1/sandbox/wallet, wallet",
            "/v1/sandbox/wallet/top-up, wallet",
            "/app, dashboard",
            "/app/, dashboard",
            "/app/verifications/v_1, dashboard",
            "/app/webjars/htmx.org/2.0.8/dist/htmx.min.js, dashboard",
    })
    void routesByLongestWholeSegmentPrefix(String path, String upstream) {
        given().urlEncodingEnabled(false)
                .when().get(path + "?x=1")
                .then()
                .statusCode(200)
                .header("X-Upstream", upstream)
                .body("upstream", equalTo(upstream))
                .body("path", equalTo(path))
                .body("query", equalTo("x=1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/internal/reservations", "/internal/debits", "/v1/unknown", "/v1/servicesX",
            "/v1/walletX/ledger", "/v1", "/v2/services", "/V1/services", "/q/metrics", "/q/openapi",
            "/v1/services-internal", "/v1/sandbox", "/v1/sandbox/other", "/v1/sandbox/smsX", "/v1/sandbox/walletX",
            "/v1/supportX", "/v1/admin/supportX",
            "/appX", "/application", "/App/", "/index.html"})
    void answersNotFoundForPathsWithoutARoute(String path) {
        given().header("X-Reply-Status", "200")
                .when().get(path)
                .then()
                .statusCode(404)
                .contentType("application/json")
                .header("X-Upstream", nullValue())
                .body("detail", equalTo("Not found"));
    }

    /**
     * {@code /} itself (after normalisation, whatever the query) sends a browser to the home page, the dashboard
     * ({@code fetchsms.gateway.home=/app/} in application.properties): 303 See Other, answered by the gateway.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/", "/?next=%2Fv1%2Fwallet&x=1", "/./", "/v1/..", "/%61pp/..", "/v1//..?x=1"})
    void theRootIsRedirectedToTheDashboard(String target) throws IOException {
        String answer = rawRequest("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 303 See Other\r\n"), target + ": " + answer);
        assertTrue(answer.toLowerCase().contains("\r\nlocation: /app/\r\n"), "no query carried over: " + answer);
        assertTrue(answer.endsWith("\r\n\r\n"), "no body: " + answer);
        assertFalse(answer.toLowerCase().contains("x-upstream"), answer);

        given().redirects().follow(false).when().head(target.equals("/") ? "/" : "/?x=1")
                .then().statusCode(303).header("Location", "/app/").header("X-Upstream", nullValue());
    }

    @Test
    void onlyGetAndHeadOfTheRootAreRedirected() {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
            given().redirects().follow(false).body("{}").when().request(method, "/")
                    .then().statusCode(404).contentType("application/json").header("Location", nullValue())
                    .body("detail", equalTo("Not found"));
        }
        given().redirects().follow(false).when().get("/app/")
                .then().statusCode(200).header("X-Upstream", "dashboard").body("path", equalTo("/app/"));
    }

    @Test
    void notFoundForEveryMethod() {
        given().body("{}").when().post("/internal/reservations")
                .then().statusCode(404).contentType("application/json").body("detail", equalTo("Not found"));
        given().when().delete("/internal/reservations/1")
                .then().statusCode(404).body("detail", equalTo("Not found"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/services/../../internal/reservations", "/v1/services/%2e%2e/%2E%2E/internal/x",
            "/v1/services/..%2F..%2Finternal%2Freservations", "/openapi/../q/health", "/openapi/../q/health/live",
            "/v1/services/../../internal/debits", "/v1/%2e%2e/internal/debits", "/v1/%2e%2e/%2e%2e/q/health",
            "//q/health", "/%71/health", "/q/./health", "//internal/debits", "/v1/../internal",
            "/v1/services/..;/..;/internal/x",
            "/v1/services/%5c..%5cinternal", "/v1/services%2Fquote", "/v1/services/%00", "/openapi/..%2Fq%2Fhealth",
            "/v1/services/a%2eb"})
    void refusesAmbiguousPathsAndPathsThatNormaliseIntoPlatformRoutes(String path) throws IOException {
        String answer = rawRequest("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400"), path + ": " + answer);
        assertTrue(answer.contains("{\"detail\":\"Invalid request path\"}"), answer);
        assertTrue(answer.toLowerCase().contains("content-type: application/json"), answer);
        assertFalse(answer.toLowerCase().contains("x-upstream"), answer);
    }

    /** Malformed request lines are refused by the HTTP server itself, before any route (no JSON body). */
    @ParameterizedTest
    @ValueSource(strings = {"/v1/services\\..\\internal", "/v1/services/%zz", "/v1/services/%2"})
    void refusesMalformedPathsBeforeAnyRoute(String path) throws IOException {
        String answer = rawRequest("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400"), path + ": " + answer);
        assertFalse(answer.toLowerCase().contains("x-upstream"), answer);
    }

    @ParameterizedTest
    @CsvSource({
            "//v1/services, catalog, /v1/services",
            "/v1//services/quote, catalog, /v1/services/quote",
            "/v1/services/./quote, catalog, /v1/services/quote",
            "/v1/wallet/ledger/../../services/quote, catalog, /v1/services/quote",
            "/openapi/../v1/services, catalog, /v1/services",
            "/v1/servic%65s/quote, catalog, /v1/services/quote",
            "/v1/rentals/./r_1/../r_2/, rental, /v1/rentals/r_2/",
            "/../v1/wallet, wallet, /v1/wallet",
    })
    void routesOnTheNormalisedPathAndForwardsExactlyThatPath(String path, String upstream, String forwarded)
            throws IOException {
        String answer = rawRequest("GET " + path + "?x=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200"), path + ": " + answer);
        assertTrue(answer.contains("\"upstream\":\"" + upstream + "\""), answer);
        assertTrue(answer.contains("\"path\":\"" + forwarded + "\""), answer);
        assertTrue(answer.contains("\"uri\":\"" + forwarded + "?x=1\""), answer);
    }

    @Test
    void aPathThatNormalisesOutOfItsRouteIsNotFound() throws IOException {
        String answer = rawRequest("GET /v1/services/.. HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 404"), answer);
        assertTrue(answer.contains("{\"detail\":\"Not found\"}"), answer);
    }

    @Test
    void aRequestWithTwoAuthorizationHeadersIsRefusedBeforeRouting() throws IOException {
        for (String path : List.of("/v1/verifications", "/q/health/live", "/v1/unknown", "/openapi")) {
            String answer = rawRequest("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer fsk_live_one\r\nAuthorization: Bearer junk\r\nConnection: close\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 400"), path + ": " + answer);
            assertTrue(answer.contains("{\"detail\":\"A request may carry only one Authorization header\"}"),
                    answer);
            assertFalse(answer.toLowerCase().contains("x-upstream"), answer);
        }
        given().header("Authorization", "Bearer fsk_live_one").when().get("/v1/verifications/v_1")
                .then().statusCode(200).header("X-Upstream", "verification");
    }

    @Test
    void theEventStreamIsRoutedToWebhookService() {
        given().header("Authorization", "Bearer x").when().get("/v1/events")
                .then()
                .statusCode(503)
                .contentType("application/json")
                .body("detail", equalTo("The webhook service is not available"));
    }

    @Test
    void serviceThatRefusesTheConnectionIs503() {
        given().header("Authorization", "Bearer x")
                .body("{\"url\":\"https://example.com\"}")
                .when().post("/v1/webhooks")
                .then()
                .statusCode(503)
                .contentType("application/json")
                .body("detail", equalTo("The webhook service is not available"));
    }

    @Test
    void serviceThatDoesNotAnswerInTimeIs504() {
        given().header("X-Reply-Delay-Ms", "4000")
                .when().get("/v1/verifications/v_slow")
                .then()
                .statusCode(504)
                .contentType("application/json")
                .body("detail", equalTo("The verification service did not answer in time"));
    }

    /**
     * An event stream (GET /v1/events) passes through as it is written, each event as it comes, and lives longer than
     * the request timeout (1 s for verification here) because that timeout is the longest pause between two chunks
     * once the headers came: a stream with heartbeats more often than that is never cut.
     */
    @Test
    void anEventStreamPassesThroughLiveAndOutlivesTheRequestTimeout() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "v1/verifications/stream"))
                .header("Accept", "text/event-stream").header("X-Reply-Events", "8")
                .header("X-Reply-Interval-Ms", "400").build();
        long started = System.nanoTime();
        HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElseThrow());
        List<Long> arrivals = new ArrayList<>();
        List<String> data = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            lines.forEach(line -> {
                if (line.startsWith("data:")) {
                    arrivals.add(Duration.ofNanos(System.nanoTime() - started).toMillis());
                    data.add(line);
                }
            });
        }
        assertEquals(8, data.size(), String.valueOf(data));
        assertEquals("data:{\"n\":8}", data.get(7));
        // live: the first event came about 400 ms in, not when the whole answer was there (about 3.2 s)
        assertTrue(arrivals.get(0) < arrivals.get(7) - 2000, String.valueOf(arrivals));
        assertTrue(arrivals.get(7) > 3000, "the stream outlived the 1 s request timeout: " + arrivals);
    }

    @Test
    void aClientLeavingAnEventStreamClosesItsUpstreamStream() throws Exception {
        int cutBefore = UpstreamServers.STREAMS_CUT_BY_CLIENT.get();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "v1/verifications/stream"))
                .header("X-Reply-Events", "0").header("X-Reply-Interval-Ms", "100").build();
        HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            assertTrue(lines.anyMatch(line -> line.startsWith("data:")), "an event came through");
        }
        // the upstream service sees its stream's connection end (webhook-service then frees the stream's slot)
        await("the upstream stream is closed").atMost(Duration.ofSeconds(10))
                .until(() -> UpstreamServers.STREAMS_CUT_BY_CLIENT.get() > cutBefore);
    }

    @Test
    void streamsLargeBodiesBothWays() {
        byte[] upload = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(upload);
        given().contentType("application/octet-stream").body(upload)
                .when().post("/v1/ingest/messages/batch")
                .then()
                .statusCode(200)
                .body("body_length", equalTo(upload.length))
                .body("body_sha256", equalTo(UpstreamServers.sha256(upload)));

        int size = 5 * 1024 * 1024 + 3;
        byte[] download = given().header("X-Reply-Bytes", Integer.toString(size))
                .when().get("/v1/rentals/r_1/messages")
                .then()
                .statusCode(200)
                .header("X-Upstream", "rental")
                .extract().asByteArray();
        assertEquals(size, download.length);
        byte[] block = UpstreamServers.pattern(64 * 1024);
        byte[] expected = new byte[size];
        for (int i = 0; i < size; i += block.length) {
            System.arraycopy(block, 0, expected, i, Math.min(block.length, size - i));
        }
        assertArrayEquals(expected, download);
    }

    /** Vert.x Web refuses a request without a usable Host header before any route: 400 JSON, never a 500. */
    @ParameterizedTest
    @ValueSource(strings = {"", "Host: a b\r\n", "Host: [::1\r\n", "Host: 127.0.0.1:99999\r\n"})
    void aRequestWithoutAValidHostHeaderIs400Json(String host) throws IOException {
        for (String path : List.of("/v1/services", "/q/health/live", "/openapi")) {
            String answer = rawRequest("GET " + path + " HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 400"), path + " with " + host + ": " + answer);
            assertTrue(answer.contains("{\"detail\":\"A valid Host header is required\"}"), answer);
            assertFalse(answer.toLowerCase().contains("x-upstream"), answer);
        }
    }

    @Test
    void ownHealthEndpointsAreServedNotProxied() {
        given().when().get("/q/health/live")
                .then().statusCode(200).body("status", equalTo("UP")).header("X-Upstream", nullValue());
        given().when().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP")).header("X-Upstream", nullValue());
    }

    private String rawRequest(String request) throws IOException {
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
