package com.fetchsms.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouteTableTest {

    private final RouteTable table = RouteTable.of(ordered(
            "catalog", List.of("/v1/services", "/v1/admin/services"),
            "quotes", List.of("/v1/services/quote"),
            "deep", List.of("/v1/services/quote/bulk")));

    @Test
    void longestPrefixWinsWhateverTheConfigurationOrder() {
        assertEquals("catalog", service("/v1/services"));
        assertEquals("catalog", service("/v1/services/"));
        assertEquals("catalog", service("/v1/services/12"));
        assertEquals("quotes", service("/v1/services/quote"));
        assertEquals("quotes", service("/v1/services/quote/7"));
        assertEquals("deep", service("/v1/services/quote/bulk"));
        assertEquals("deep", service("/v1/services/quote/bulk/x/y"));
        assertEquals("catalog", service("/v1/services/quoteX"));
        assertEquals("quotes", service("/v1/services/quote/bulkX"));

        RouteTable reversed = RouteTable.of(ordered(
                "deep", List.of("/v1/services/quote/bulk"),
                "quotes", List.of("/v1/services/quote"),
                "catalog", List.of("/v1/services")));
        assertEquals("quotes", reversed.resolve("/v1/services/quote/1").orElseThrow().service());
        assertEquals("catalog", reversed.resolve("/v1/services").orElseThrow().service());
    }

    @Test
    void matchesWholeSegmentsOnly() {
        assertEquals(Optional.empty(), table.resolve("/v1/servicesX"));
        assertEquals(Optional.empty(), table.resolve("/v1/service"));
        assertEquals(Optional.empty(), table.resolve("/v1/admin/servicesfoo/1"));
        assertEquals(Optional.empty(), table.resolve("/v1"));
        assertEquals(Optional.empty(), table.resolve("/"));
        assertEquals(Optional.empty(), table.resolve("/v1/admin"));
        assertEquals("catalog", service("/v1/admin/services/3"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/internal", "/internal/reservations", "/q", "/q/health", "/openapi", "/openapi/catalog",
            "/openapi.json", "/openapi.yaml", "/docs", "/docs/style.css",
            "/", "v1/services",
            "/v1/services/", "/v1//services", "/v1/./services", "/v1/../internal", "/v1/services?x=1", "/v1/%2e"})
    void refusesPrefixesThatAreMalformedOrNeverPublic(String prefix) {
        assertThrows(IllegalArgumentException.class, () -> RouteTable.of(Map.of("x", List.of(prefix))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/app/", "/app", "/docs", "/v1/services"})
    void aHomeIsAPathOfThisHostInNormalForm(String home) {
        assertEquals(home, Gateway.homePath(" " + home + " "));
    }

    /** The home page of {@code /} can never send a browser to another host, nor loop, nor into /q or /internal. */
    @ParameterizedTest
    @ValueSource(strings = {"/", "//evil.example/", "https://evil.example/", "evil.example", "/\\evil.example",
            "/app/../..//evil.example", "/app//", "/app/./", "/%2e%2e/app", "/%61pp/", "/app/?x=1", "/app/#top",
            "/q/health", "/internal/debits", "/app/\r\nSet-Cookie: x=1"})
    void refusesAHomeThatIsNotANormalPathOfThisHost(String home) {
        assertThrows(IllegalArgumentException.class, () -> Gateway.homePath(home));
    }

    @Test
    void refusesAPrefixConfiguredForTwoServices() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> RouteTable.of(ordered(
                "a", List.of("/v1/things"), "b", List.of("/v1/other", "/v1/things"))));
        assertTrue(error.getMessage().contains("/v1/things"), error.getMessage());
    }

    @Test
    void safePaths() {
        assertTrue(RequestPaths.isSafe("/v1/services/quote"));
        assertTrue(RequestPaths.isSafe("/v1/admin/numbers/%2B13325550184"));
        assertTrue(RequestPaths.isSafe("/v1/services/a..b/.well"));
        assertFalse(RequestPaths.isSafe("/v1/services/../../internal/x"));
        assertFalse(RequestPaths.isSafe("/v1/services/.."));
        assertFalse(RequestPaths.isSafe("/v1/services/./x"));
        assertFalse(RequestPaths.isSafe("/v1/services/%2E%2E/internal"));
        assertFalse(RequestPaths.isSafe("/v1/services%2Fx"));
        assertFalse(RequestPaths.isSafe("/v1/services\\x"));
        assertFalse(RequestPaths.isSafe("v1/services"));
        assertFalse(RequestPaths.isSafe(""));
        assertFalse(RequestPaths.isSafe(null));
    }

    @Test
    void normalisation() {
        assertEquals("/v1/services/quote", RequestPaths.normalise("/v1/services/./quote").path());
        assertEquals("/v1/services", RequestPaths.normalise("//v1//services").path());
        assertEquals("/q/health", RequestPaths.normalise("/openapi/../q/health").path());
        assertEquals("/internal/debits", RequestPaths.normalise("/v1/services/../../internal/debits").path());
        assertEquals("/internal/debits", RequestPaths.normalise("/../../internal/debits").path());
        assertEquals("/v1/", RequestPaths.normalise("/v1/services/..").path());
        assertEquals("/v1/services/", RequestPaths.normalise("/v1/services/").path());
        assertEquals("/", RequestPaths.normalise("/").path());
        assertEquals("/v1/services/quote", RequestPaths.normalise("/v1/%73ervices/quot%65").path());
        assertEquals("/v1/admin/numbers/%2B13325550184",
                RequestPaths.normalise("/v1/admin/numbers/%2B13325550184").path());
        assertEquals("/v1/services/a..b/.well", RequestPaths.normalise("/v1/services/a..b/.well").path());
        for (String refused : List.of("/v1/%2e%2e/internal/x", "/v1/services%2Fx", "/v1/services%2fx", "/v1/%5Cx",
                "/v1\\x", "/v1/%00", "/v1/%0a", "/v1/%zz", "/v1/%2", "/v1/x y", "/v1/..;/internal", "/v1/.;x/y",
                "v1/services", "", "*")) {
            assertNull(RequestPaths.normalise(refused).path(), refused);
        }
        assertNull(RequestPaths.normalise(null).path());
        assertTrue(RequestPaths.isPlatformOnly("/q/health"));
        assertTrue(RequestPaths.isPlatformOnly("/q"));
        assertTrue(RequestPaths.isPlatformOnly("/internal/debits"));
        assertFalse(RequestPaths.isPlatformOnly("/qx"));
        assertFalse(RequestPaths.isPlatformOnly("/internalx"));
        assertFalse(RequestPaths.isPlatformOnly("/v1/internal"));
    }

    private String service(String path) {
        return table.resolve(path).orElseThrow(() -> new AssertionError("no route for " + path)).service();
    }

    private static Map<String, List<String>> ordered(Object... pairs) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> prefixes = (List<String>) pairs[i + 1];
            map.put((String) pairs[i], prefixes);
        }
        return map;
    }
}
