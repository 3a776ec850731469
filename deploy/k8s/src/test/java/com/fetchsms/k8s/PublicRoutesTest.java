package com.fetchsms.k8s;

import static com.fetchsms.k8s.Manifests.DEV;
import static com.fetchsms.k8s.Manifests.PROD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/** The public route: Gateway API HTTPRoutes forward the public API to the FetchSMS gateway only. */
class PublicRoutesTest {

    private record PathMatch(String type, String value) {
        /** Whether a request path is matched, as the Gateway API defines it (PathPrefix: whole segments). */
        boolean matches(String path) {
            return switch (type) {
                case "Exact" -> path.equals(value);
                case "PathPrefix" -> {
                    String prefix = value.endsWith("/") && value.length() > 1
                            ? value.substring(0, value.length() - 1)
                            : value;
                    yield "/".equals(prefix) || path.equals(prefix) || path.startsWith(prefix + "/");
                }
                default -> true; // a regular expression may match anything: treat it as the worst case
            };
        }
    }

    private static List<PathMatch> pathMatches(Rendered rendered) {
        List<PathMatch> matches = new ArrayList<>();
        for (JsonNode route : rendered.ofKind("HTTPRoute")) {
            for (JsonNode rule : route.path("spec").path("rules")) {
                if (rule.path("matches").isEmpty()) {
                    matches.add(new PathMatch("PathPrefix", "/")); // no match = every path
                }
                for (JsonNode match : rule.path("matches")) {
                    JsonNode path = match.path("path");
                    matches.add(path.isMissingNode()
                            ? new PathMatch("PathPrefix", "/")
                            : new PathMatch(path.path("type").asText("PathPrefix"), path.path("value").asText("/")));
                }
            }
        }
        return matches;
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyHttpRouteSendsTrafficOnlyToTheGatewayService(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        assertFalse(rendered.ofKind("HTTPRoute").isEmpty(), "no HTTPRoute");
        JsonNode gateway = rendered.get("Service", "gateway");
        for (JsonNode route : rendered.ofKind("HTTPRoute")) {
            for (JsonNode rule : route.path("spec").path("rules")) {
                assertFalse(rule.path("backendRefs").isEmpty(), Rendered.name(route) + " has a rule without backend");
                for (JsonNode backend : rule.path("backendRefs")) {
                    assertEquals("Service", backend.path("kind").asText("Service"));
                    assertEquals("", backend.path("group").asText(""));
                    assertEquals("gateway", backend.path("name").asText(),
                            Rendered.name(route) + " routes to " + backend.path("name").asText());
                    assertTrue(backend.path("namespace").isMissingNode(), "the backend is in another namespace");
                    assertEquals(gateway.path("spec").path("ports").get(0).path("port").asInt(),
                            backend.path("port").asInt());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void noHttpRouteMatchesInternalOrQuarkusPaths(String overlay) {
        for (PathMatch match : pathMatches(Manifests.render(overlay))) {
            for (String path : List.of("/internal", "/internal/reservations", "/internal/debits", "/q",
                    "/q/health/ready", "/q/metrics")) {
                assertFalse(match.matches(path), match + " matches " + path);
            }
            // "/" itself only by an Exact match (the gateway sends it to its home page, the dashboard): a match of
            // "/" of any other type takes every path
            assertTrue(!match.matches("/") || "Exact".equals(match.type()), match + " matches every path");
        }
    }

    /** {@code /} reaches the gateway exactly when the gateway sends it somewhere, and that page is routed too. */
    @Test
    void theRootIsRoutedWhenTheGatewayHasAHomeAndSoIsTheHome() {
        for (String overlay : List.of(DEV, PROD)) {
            List<PathMatch> matches = pathMatches(Manifests.render(overlay));
            assertEquals(Platform.gatewayHome().isPresent(), matches.stream().anyMatch(m -> m.matches("/")),
                    overlay + ": / should reach the gateway if and only if fetchsms.gateway.home is set");
            Platform.gatewayHome().ifPresent(home -> assertTrue(matches.stream().anyMatch(m -> m.matches(home)),
                    overlay + ": the gateway sends / to " + home + ", which no HTTPRoute forwards"));
        }
    }

    @Test
    void everyPrefixOfTheGatewayRouteTableIsCoveredByAnHttpRoute() {
        for (String overlay : List.of(DEV, PROD)) {
            List<PathMatch> matches = pathMatches(Manifests.render(overlay));
            Platform.gatewayRoutes().forEach((service, prefixes) -> {
                for (String prefix : prefixes) {
                    assertTrue(matches.stream().anyMatch(m -> m.matches(prefix) && m.matches(prefix + "/x")),
                            overlay + ": no HTTPRoute forwards " + prefix + " (" + service + ") to the gateway");
                }
            });
        }
    }

    /** The event stream is open as long as its client wants: no route request timeout may cut it. */
    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void theEventStreamsRouteHasNoRequestTimeout(String overlay) {
        JsonNode streamRule = null;
        for (JsonNode route : Manifests.render(overlay).ofKind("HTTPRoute")) {
            for (JsonNode rule : route.path("spec").path("rules")) {
                for (JsonNode match : rule.path("matches")) {
                    if ("/v1/events".equals(match.path("path").path("value").asText())) {
                        streamRule = rule;
                    }
                }
            }
        }
        assertTrue(streamRule != null, overlay + ": no rule of its own for /v1/events");
        assertEquals("PathPrefix", streamRule.path("matches").get(0).path("path").path("type").asText());
        assertEquals("0s", streamRule.path("timeouts").path("request").asText(), overlay + ": " + streamRule);
    }

    /** The dashboard's live updates stay open under /app like the event stream: no route request timeout either. */
    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void theDashboardsRouteHasNoRequestTimeout(String overlay) {
        List<String> prefixes = Platform.gatewayRoutes().get("dashboard");
        assertTrue(prefixes != null && !prefixes.isEmpty(), "the gateway routes nothing to the dashboard");
        for (JsonNode route : Manifests.render(overlay).ofKind("HTTPRoute")) {
            for (JsonNode rule : route.path("spec").path("rules")) {
                for (JsonNode match : rule.path("matches")) {
                    PathMatch path = new PathMatch(match.path("path").path("type").asText("PathPrefix"),
                            match.path("path").path("value").asText("/"));
                    if (prefixes.stream().anyMatch(p -> path.matches(p + "/x"))) {
                        assertEquals("0s", rule.path("timeouts").path("request").asText(), overlay + ": " + rule);
                    }
                }
            }
        }
    }

    @Test
    void theRouteTableItselfNeverRoutesInternalOrQuarkusPaths() {
        Platform.gatewayRoutes().forEach((service, prefixes) -> {
            for (String prefix : prefixes) {
                assertFalse(prefix.startsWith("/internal") || prefix.startsWith("/q"), service + ": " + prefix);
            }
        });
    }

    @Test
    void devDefinesItsGatewayAndProdAttachesToAnExistingOne() {
        Rendered dev = Manifests.render(DEV);
        JsonNode devRoute = dev.ofKind("HTTPRoute").get(0);
        String parent = devRoute.path("spec").path("parentRefs").get(0).path("name").asText();
        assertTrue(dev.find("Gateway", parent).isPresent(), "dev's HTTPRoute attaches to a Gateway it does not define");
        Rendered prod = Manifests.render(PROD);
        assertTrue(prod.ofKind("Gateway").isEmpty(), "prod attaches to the cluster's Gateway, it defines none");
        assertFalse(prod.ofKind("HTTPRoute").get(0).path("spec").path("parentRefs").get(0).path("namespace")
                .asText("").isEmpty(), "prod's parent Gateway lives in its own namespace");
    }
}
