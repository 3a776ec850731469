package com.fetchsms.dashboard.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Without Prometheus the health page reads each configured process's readiness and metrics itself, as in the local
 * stack: one row per process.
 */
@QuarkusTest
@WithTestResource(FakeApi.class)
@WithTestResource(HealthFromProcessesTest.TwoProcesses.class)
class HealthFromProcessesTest {

    /** Two processes on one HTTP server: verification-service ready, catalog-service not (503). */
    public static class TwoProcesses implements QuarkusTestResourceLifecycleManager {

        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            answer("/verification/q/health/ready", 200, "{\"status\": \"UP\"}");
            answer("/verification/q/metrics", 200, """
                    fetchsms_outbox_pending{service="verification-service"} 4
                    fetchsms_outbox_lag_seconds{service="verification-service"} 12.5
                    fetchsms_outbox_parked{service="verification-service"} 0
                    kafka_consumer_fetch_manager_records_lag_max{client_id="c-1",service="verification-service"} 5
                    kafka_consumer_fetch_manager_records_lag_max{client_id="c-2",service="verification-service"} NaN
                    """);
            answer("/catalog/q/health/ready", 503, "{\"status\": \"DOWN\"}");
            answer("/catalog/q/metrics", 200, """
                    fetchsms_outbox_pending{service="catalog-service"} 2
                    fetchsms_outbox_parked{service="catalog-service"} 1
                    """);
            server.start();
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            return Map.of("fetchsms.dashboard.health.services.verification-service", base + "/verification",
                    "fetchsms.dashboard.health.services.catalog-service", base + "/catalog",
                    "fetchsms.dashboard.health.scrape-interval", "1s");
        }

        private void answer(String path, int status, String body) {
            server.createContext(path, exchange -> {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    @BeforeEach
    void signedInOperator() {
        FakeApi.reset();
    }

    @Test
    void eachProcessIsReadItself() {
        Awaitility.await("both processes read").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    String page = page();
                    assertEquals("ready 4.0 12.5 s 0.0 5.0", row(page, "verification-service"), page);
                    assertEquals("not ready 2.0 0.0 s 1.0 0.0", row(page, "catalog-service"), page);
                });
        String page = page();
        assertTrue(page.contains("Read from each process."), page);
        assertTrue(page.contains("<th scope=\"col\">Ready</th>"), page);
    }

    private static String page() {
        Response page = SignedIn.browserWithSession().request().get("/app/admin/health");
        assertEquals(200, page.statusCode(), page.asString());
        return page.asString();
    }

    private static String row(String page, String process) {
        Matcher m = Pattern.compile("<th scope=\"row\">" + Pattern.quote(process) + "</th>(.*?)</tr>", Pattern.DOTALL)
                .matcher(page);
        return m.find() ? m.group(1).replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").trim() : "(no row)";
    }
}
