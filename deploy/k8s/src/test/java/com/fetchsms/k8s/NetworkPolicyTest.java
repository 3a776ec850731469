package com.fetchsms.k8s;

import static com.fetchsms.k8s.Manifests.DEV;
import static com.fetchsms.k8s.Manifests.PROD;
import static com.fetchsms.k8s.Rendered.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The namespace's NetworkPolicies, evaluated as Kubernetes does (a flow is allowed when a policy selecting the pod
 * allows it; the default deny selects every pod): who may talk to whom, on which port.
 */
class NetworkPolicyTest {

    private static final int HTTP = 8080;

    /** The pods of the namespace: the workloads' pod templates, plus a Kafka broker and a PostgreSQL instance. */
    private static Map<String, JsonNode> pods(Rendered rendered) {
        Map<String, JsonNode> pods = new LinkedHashMap<>();
        rendered.deployments().forEach((name, d) -> pods.put(name, Rendered.podLabels(d)));
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode broker = mapper.createObjectNode();
        broker.put("strimzi.io/cluster", name(rendered.ofKind("Kafka").get(0)));
        broker.put("strimzi.io/kind", "Kafka");
        broker.put("strimzi.io/name", name(rendered.ofKind("Kafka").get(0)) + "-kafka");
        broker.put("strimzi.io/broker-role", "true");
        pods.put("kafka-broker", broker);
        ObjectNode postgres = mapper.createObjectNode();
        postgres.put("cnpg.io/cluster", name(rendered.ofKind("Cluster").get(0)));
        postgres.put("cnpg.io/podRole", "instance");
        postgres.put("cnpg.io/instanceRole", "primary");
        pods.put("postgres", postgres);
        return pods;
    }

    private static boolean hasType(JsonNode policy, String type) {
        JsonNode types = policy.path("spec").path("policyTypes");
        if (types.isMissingNode()) {
            return "Ingress".equals(type) || policy.path("spec").has("egress");
        }
        for (JsonNode t : types) {
            if (type.equals(t.asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean portAllowed(JsonNode rule, int port) {
        if (!rule.has("ports") || rule.path("ports").isEmpty()) {
            return true;
        }
        for (JsonNode p : rule.path("ports")) {
            if (p.path("port").asInt(-1) == port) {
                return true;
            }
        }
        return false;
    }

    /** Whether the pod with these labels (in this namespace) is a peer of the rule; peers elsewhere never are. */
    private static boolean peerInNamespace(JsonNode rule, String direction, JsonNode labels) {
        JsonNode peers = rule.path("from".equals(direction) ? "from" : "to");
        if (peers.isMissingNode() || peers.isEmpty()) {
            return true;
        }
        for (JsonNode peer : peers) {
            if (!peer.has("namespaceSelector") && !peer.has("ipBlock")
                    && Rendered.selects(peer.path("podSelector"), labels)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code from} may open a connection to {@code to} on {@code port}, both pods of the namespace. */
    private static boolean allowed(Rendered rendered, JsonNode from, JsonNode to, int port) {
        boolean egress = false;
        boolean ingress = false;
        for (JsonNode policy : rendered.ofKind("NetworkPolicy")) {
            if (hasType(policy, "Egress") && Rendered.selects(policy.path("spec").path("podSelector"), from)) {
                for (JsonNode rule : policy.path("spec").path("egress")) {
                    egress |= portAllowed(rule, port) && peerInNamespace(rule, "to", to);
                }
            }
            if (hasType(policy, "Ingress") && Rendered.selects(policy.path("spec").path("podSelector"), to)) {
                for (JsonNode rule : policy.path("spec").path("ingress")) {
                    ingress |= portAllowed(rule, port) && peerInNamespace(rule, "from", from);
                }
            }
        }
        return egress && ingress;
    }

    private static Set<String> allowedSources(Rendered rendered, String target, int port) {
        Map<String, JsonNode> pods = pods(rendered);
        Set<String> sources = new TreeSet<>();
        pods.forEach((name, labels) -> {
            if (!name.equals(target) && allowed(rendered, labels, pods.get(target), port)) {
                sources.add(name);
            }
        });
        return sources;
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyPodIsDeniedAllIngressAndEgressByDefault(String overlay) {
        boolean defaultDeny = Manifests.render(overlay).ofKind("NetworkPolicy").stream()
                .anyMatch(p -> p.path("spec").path("podSelector").isEmpty() && hasType(p, "Ingress")
                        && hasType(p, "Egress") && p.path("spec").path("ingress").isEmpty()
                        && p.path("spec").path("egress").isEmpty());
        assertTrue(defaultDeny, "no default-deny NetworkPolicy (podSelector {}, Ingress and Egress, no rule)");
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyPodMayResolveNames(String overlay) {
        boolean dns = Manifests.render(overlay).ofKind("NetworkPolicy").stream()
                .filter(p -> p.path("spec").path("podSelector").isEmpty() && hasType(p, "Egress"))
                .flatMap(p -> {
                    List<JsonNode> rules = new ArrayList<>();
                    p.path("spec").path("egress").forEach(rules::add);
                    return rules.stream();
                }).anyMatch(rule -> portAllowed(rule, 53) && rule.path("ports").toString().contains("UDP"));
        assertTrue(dns, "no pod may reach DNS (UDP 53)");
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void onlyTheGatewayAcceptsTrafficFromOutsideTheNamespace(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        Map<String, JsonNode> workloads = new LinkedHashMap<>();
        rendered.deployments().forEach((name, d) -> workloads.put(name, Rendered.podLabels(d)));
        Set<String> open = new TreeSet<>();
        for (JsonNode policy : rendered.ofKind("NetworkPolicy")) {
            if (!hasType(policy, "Ingress")) {
                continue;
            }
            for (JsonNode rule : policy.path("spec").path("ingress")) {
                boolean outside = !rule.has("from") || rule.path("from").isEmpty();
                for (JsonNode peer : rule.path("from")) {
                    outside |= peer.has("namespaceSelector") || peer.has("ipBlock");
                }
                if (outside) {
                    workloads.forEach((name, labels) -> {
                        if (Rendered.selects(policy.path("spec").path("podSelector"), labels)) {
                            open.add(name);
                        }
                    });
                }
            }
        }
        assertEquals(Set.of("gateway"), open, "workloads that accept traffic from outside the namespace");
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void theGatewayReachesEveryServiceAndNothingElseReachesThemExceptInternalCallers(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        for (Platform.Service service : Platform.services()) {
            String workload = Platform.workload(service);
            Set<String> expected = new TreeSet<>(Set.of("gateway"));
            if ("catalog".equals(service.name()) || "wallet".equals(service.name())) {
                expected.addAll(Platform.internalCallersOf(service.name()));
            }
            assertEquals(expected, allowedSources(rendered, workload, HTTP), "who may reach " + workload);
        }
    }

    /**
     * The dashboard is reached by the gateway only (which routes /app to it) and reaches the gateway only (the public
     * API it is built on): no service, no Kafka, no PostgreSQL.
     */
    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD, Manifests.PROD_WITH_MONITORING})
    void webApplicationsTalkWithTheGatewayOnlyBothWays(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        Map<String, JsonNode> pods = pods(rendered);
        assertFalse(Platform.webApplications().isEmpty(), "deploy/local/up lists no dashboard");
        for (Platform.Service app : Platform.webApplications()) {
            String workload = Platform.workload(app);
            assertEquals(Set.of("gateway"), allowedSources(rendered, workload, HTTP), "who may reach " + workload);
            Set<String> reached = new TreeSet<>();
            pods.forEach((name, labels) -> {
                for (int port : List.of(HTTP, KafkaTlsTest.servicesPort(rendered), 5432)) {
                    if (!name.equals(workload) && allowed(rendered, pods.get(workload), labels, port)) {
                        reached.add(name + ":" + port);
                    }
                }
            });
            assertEquals(Set.of("gateway:" + HTTP), reached, "what " + workload + " may reach");
        }
    }

    @Test
    void theInternalRoutesHaveCallersWhoseCodeCallsThem() {
        Set<String> catalog = Platform.internalCallersOf("catalog");
        Set<String> wallet = Platform.internalCallersOf("wallet");
        assertTrue(catalog.contains("verification-service") && catalog.contains("rental-service")
                && catalog.contains("sms-ingest-service"), catalog.toString());
        Set<String> sagas = new java.util.LinkedHashSet<>(catalog);
        sagas.remove("sms-ingest-service"); // only looks numbers up at catalog
        assertTrue(wallet.containsAll(sagas), "purchase sagas debit the wallet: " + wallet);
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyServiceReachesTheKafkaBrokersAndPostgresAndTheGatewayReachesNeither(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        Map<String, JsonNode> pods = pods(rendered);
        int kafkaPort = KafkaTlsTest.servicesPort(rendered);
        JsonNode peers = KafkaTlsTest.servicesListener(rendered).path("networkPolicyPeers");
        for (Platform.Service service : Platform.services()) {
            JsonNode labels = pods.get(Platform.workload(service));
            assertTrue(allowed(rendered, labels, pods.get("postgres"), 5432), service.dir() + " → PostgreSQL");
            boolean egressToBroker = false;
            for (JsonNode policy : rendered.ofKind("NetworkPolicy")) {
                if (hasType(policy, "Egress") && Rendered.selects(policy.path("spec").path("podSelector"), labels)) {
                    for (JsonNode rule : policy.path("spec").path("egress")) {
                        egressToBroker |= portAllowed(rule, kafkaPort)
                                && peerInNamespace(rule, "to", pods.get("kafka-broker"));
                    }
                }
            }
            assertTrue(egressToBroker, service.dir() + " → Kafka brokers (egress)");
            boolean admittedByStrimzi = peers == null || peers.isMissingNode() || peers.isEmpty();
            if (peers != null) {
                for (JsonNode peer : peers) {
                    admittedByStrimzi |= Rendered.selects(peer.path("podSelector"), labels);
                }
            }
            assertTrue(admittedByStrimzi,
                    service.dir() + " is not a networkPolicyPeer of the services' Kafka listener");
        }
        assertFalse(allowed(rendered, pods.get("gateway"), pods.get("postgres"), 5432), "gateway → PostgreSQL");
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void onlyWebhookServiceReachesTheInternetAndNeverPrivateAddresses(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        Set<String> withInternet = new LinkedHashSet<>();
        for (JsonNode policy : rendered.ofKind("NetworkPolicy")) {
            if (!hasType(policy, "Egress")) {
                continue;
            }
            for (JsonNode rule : policy.path("spec").path("egress")) {
                boolean external = !rule.has("to") || rule.path("to").isEmpty();
                Set<String> excepted = new LinkedHashSet<>();
                for (JsonNode peer : rule.path("to")) {
                    if (peer.has("ipBlock")) {
                        external = true;
                        peer.path("ipBlock").path("except").forEach(e -> excepted.add(e.asText()));
                    }
                }
                if (!external) {
                    continue;
                }
                rendered.deployments().forEach((name, d) -> {
                    if (Rendered.selects(policy.path("spec").path("podSelector"), Rendered.podLabels(d))) {
                        withInternet.add(name);
                        for (String range : List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
                                "127.0.0.0/8", "100.64.0.0/10", "fc00::/7", "fe80::/10")) {
                            assertTrue(excepted.contains(range), name + " may reach " + range);
                        }
                        for (JsonNode port : rule.path("ports")) {
                            assertTrue(Set.of(80, 443).contains(port.path("port").asInt()), name + " port " + port);
                        }
                        assertFalse(rule.path("ports").isEmpty(), name + " may reach the internet on every port");
                    }
                });
            }
        }
        assertEquals(Set.of("webhook-service"), withInternet);
    }

    @Test
    void theOptionalMonitoringComponentOpensOnlyTheHttpPortToPrometheus() {
        Rendered rendered = Manifests.render(Manifests.PROD_WITH_MONITORING);
        assertTrue(rendered.ofKind("PodMonitor").stream().anyMatch(m -> "/q/metrics".equals(
                m.path("spec").path("podMetricsEndpoints").get(0).path("path").asText())
                && "fetchsms".equals(m.path("spec").path("selector").path("matchLabels")
                        .path("app.kubernetes.io/part-of").asText())),
                "no PodMonitor scrapes the workloads");
        JsonNode policy = rendered.get("NetworkPolicy", "workloads-ingress-from-prometheus");
        for (JsonNode rule : policy.path("spec").path("ingress")) {
            assertEquals(1, rule.path("ports").size());
            assertEquals(HTTP, rule.path("ports").get(0).path("port").asInt());
            for (JsonNode peer : rule.path("from")) {
                assertFalse(peer.path("namespaceSelector").isEmpty(), "any namespace may scrape");
                assertFalse(peer.path("podSelector").isEmpty(), "any pod of the monitoring namespace may scrape");
            }
        }
    }
}
