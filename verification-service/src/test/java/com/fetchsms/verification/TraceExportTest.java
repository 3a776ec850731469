package com.fetchsms.verification;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With an OTLP endpoint configured, spans leave the process: a real local OTLP/HTTP receiver gets the spans of a
 * purchase whose trace id the test chose, without a span per SQL statement (off by default, fetchsms-common) and without
 * any of the background polling. (Without an endpoint, the other tests run with nothing listening and no export is
 * attempted: {@code LocalOnlySpanExporter}.) {@link TraceExportWithSqlSpansTest}: the statements when turned on.
 */
@QuarkusTest
@TestProfile(TraceExportTest.Exporting.class)
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class TraceExportTest {

    @Test
    void spansOfARequestAreExportedToTheConfiguredCollector() {
        String trace = TracePropagationTest.randomHex(16);
        new Fixtures().withBalance(1000).as().header("traceparent", TracePropagationTest.traceparent(trace))
                .contentType("application/json").body("{\"service\": 4}").post("/v1/verifications").then()
                .statusCode(201);

        byte[] traceId = HexFormat.of().parseHex(trace);
        byte[] route = bytes("/v1/verifications");
        // the server span ends last (after the calls it made, and the statements they ran), possibly in a later
        // export batch: once it is exported, any span of a statement would have been exported with or before it
        await("the server span of trace " + trace).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Collector.RECEIVED.stream()
                        .anyMatch(body -> contains(body, traceId) && contains(body, route)));
        assertFalse(Collector.RECEIVED.stream().anyMatch(body -> contains(body, bytes("INSERT INTO verification"))),
                "no span per SQL statement by default (quarkus.otel.instrument.vertx-sql-client=false)");
        assertFalse(Collector.RECEIVED.stream().anyMatch(body -> contains(body, bytes("pg_try_advisory_xact_lock"))),
                "the outbox relay's poll (every second, outside any trace) starts no trace");
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer : for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The settings an operator sets to export: an endpoint (here OTLP over HTTP) and, for the test, a short batch. */
    public static class Exporting implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Collector.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf",
                    "quarkus.otel.bsp.schedule.delay", "200ms");
        }
    }

    /** A minimal OTLP/HTTP collector: keeps the (decompressed) body of every {@code POST /v1/traces}. */
    public static class Collector implements QuarkusTestResourceLifecycleManager {

        static final List<byte[]> RECEIVED = new CopyOnWriteArrayList<>();
        private HttpServer server;

        @Override
        public Map<String, String> start() {
            RECEIVED.clear(); // each test profile starts its own collector
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/v1/traces", exchange -> {
                try (exchange; InputStream in = exchange.getRequestBody()) {
                    byte[] body = in.readAllBytes();
                    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        new GZIPInputStream(new java.io.ByteArrayInputStream(body)).transferTo(out);
                        body = out.toByteArray();
                    }
                    RECEIVED.add(body);
                    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            server.start();
            return Map.of("quarkus.otel.exporter.otlp.traces.endpoint",
                    "http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }
}
