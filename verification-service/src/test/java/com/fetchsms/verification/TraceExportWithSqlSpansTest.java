package com.fetchsms.verification;

import static com.fetchsms.verification.TraceExportTest.bytes;
import static com.fetchsms.verification.TraceExportTest.contains;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * An operator who wants the SQL statements in the traces turns the reactive client's spans back on
 * ({@code QUARKUS_OTEL_INSTRUMENT_VERTX_SQL_CLIENT=true}, docs/observability.md): the purchase's own queries are then
 * spans of its trace.
 */
@QuarkusTest
@TestProfile(TraceExportWithSqlSpansTest.ExportingSql.class)
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class TraceExportWithSqlSpansTest {

    @Test
    void sqlStatementsAreSpansOfTheRequestsTraceWhenTurnedOn() {
        new Fixtures().withBalance(1000).as().contentType("application/json").body("{\"service\": 4}")
                .post("/v1/verifications").then().statusCode(201);

        // the purchase's own queries are exported as spans
        await("a span of the purchase's INSERT").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> TraceExportTest.Collector.RECEIVED.stream()
                        .anyMatch(body -> contains(body, bytes("INSERT INTO verification"))));
    }

    /** The exporting settings of {@link TraceExportTest}, and the SQL client's spans on. */
    public static class ExportingSql extends TraceExportTest.Exporting {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("quarkus.otel.instrument.vertx-sql-client", "true");
            return overrides;
        }
    }
}
