package com.fetchsms.k8s;

import static com.fetchsms.k8s.Manifests.DEV;
import static com.fetchsms.k8s.Manifests.PROD;
import static com.fetchsms.k8s.Rendered.container;
import static com.fetchsms.k8s.Rendered.name;
import static com.fetchsms.k8s.Rendered.podSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/** Configuration from ConfigMaps, secrets from Secrets referenced by name, and no secret value in git. */
class SecretsAndConfigTest {

    @Test
    void prodRenderContainsNoSecret() {
        List<JsonNode> secrets = Manifests.render(PROD).ofKind("Secret");
        assertTrue(secrets.isEmpty(), "prod must only reference Secrets created by hand, but renders "
                + secrets.stream().map(Rendered::name).toList());
    }

    /** A reference from a rendered object to a Secret's key (key null: the whole Secret). */
    private record SecretRef(String where, String name, String key, boolean optional) {
    }

    private static List<SecretRef> secretReferences(Rendered rendered) {
        List<SecretRef> refs = new ArrayList<>();
        for (JsonNode deployment : rendered.ofKind("Deployment")) {
            for (JsonNode c : Rendered.containers(deployment)) {
                for (JsonNode var : c.path("env")) {
                    JsonNode ref = var.path("valueFrom").path("secretKeyRef");
                    if (!ref.isMissingNode()) {
                        refs.add(new SecretRef(name(deployment) + " env " + var.path("name").asText(),
                                ref.path("name").asText(), ref.path("key").asText(),
                                ref.path("optional").asBoolean(false)));
                    }
                }
            }
            for (JsonNode volume : podSpec(deployment).path("volumes")) {
                JsonNode secret = volume.path("secret");
                if (!secret.isMissingNode()) {
                    refs.add(new SecretRef(name(deployment) + " volume " + volume.path("name").asText(),
                            secret.path("secretName").asText(), null, secret.path("optional").asBoolean(false)));
                }
            }
        }
        for (JsonNode cluster : rendered.ofKind("Cluster")) {
            for (JsonNode role : cluster.path("spec").path("managed").path("roles")) {
                refs.add(new SecretRef("Cluster " + name(cluster) + " role " + role.path("name").asText(),
                        role.path("passwordSecret").path("name").asText(), "password", false));
                refs.add(new SecretRef("Cluster " + name(cluster) + " role " + role.path("name").asText(),
                        role.path("passwordSecret").path("name").asText(), "username", false));
            }
        }
        return refs;
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everySecretReferenceResolvesToARenderedOrDocumentedSecretWithThatKey(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        Map<String, Set<String>> documented = Platform.documentedSecrets();
        // Secrets an operator writes from rendered resources (Strimzi: the cluster CA, the KafkaUsers' logins)
        Map<String, Set<String>> operators = KafkaTlsTest.strimziSecrets(rendered);
        List<SecretRef> refs = secretReferences(rendered);
        assertFalse(refs.isEmpty());
        for (SecretRef ref : refs) {
            var secret = rendered.find("Secret", ref.name());
            if (createdByCloudNativePg(rendered, ref.name())) {
                // The cluster's CA (<cluster>-ca: ca.crt, ca.key), which the operator creates with the cluster.
                assertTrue(ref.key() == null || "ca.crt".equals(ref.key()), ref.where() + ": " + ref.key());
            } else if (operators.containsKey(ref.name())) {
                assertTrue(ref.key() == null || operators.get(ref.name()).contains(ref.key()),
                        ref.where() + ": the operator's Secret " + ref.name() + " has no key " + ref.key());
            } else if (secret.isPresent()) {
                if (ref.key() != null) {
                    assertTrue(secret.get().path("data").has(ref.key()),
                            ref.where() + ": Secret " + ref.name() + " has no key " + ref.key());
                }
            } else if (PROD.equals(overlay)) {
                Set<String> keys = documented.get(ref.name());
                assertNotNull(keys, ref.where() + ": Secret " + ref.name()
                        + " is neither rendered nor created by a command in deploy/k8s/README.md");
                if (ref.key() != null) {
                    assertTrue(keys.contains(ref.key()), ref.where() + ": the README creates " + ref.name()
                            + " without the key " + ref.key());
                }
            } else {
                fail(ref.where() + ": the " + overlay + " overlay does not generate Secret " + ref.name());
            }
        }
    }

    /** Whether CloudNativePG creates this Secret for a rendered Cluster (its CA, {@code <cluster>-ca}). */
    private static boolean createdByCloudNativePg(Rendered rendered, String secret) {
        return rendered.ofKind("Cluster").stream().anyMatch(cluster -> secret.equals(name(cluster) + "-ca"));
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyConfigMapReferenceResolvesToARenderedConfigMapWithThatKey(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        for (JsonNode deployment : rendered.ofKind("Deployment")) {
            for (JsonNode c : Rendered.containers(deployment)) {
                for (JsonNode from : c.path("envFrom")) {
                    String name = from.path("configMapRef").path("name").asText(null);
                    if (name != null) {
                        assertTrue(rendered.find("ConfigMap", name).isPresent(),
                                name(deployment) + " takes its environment from a missing ConfigMap " + name);
                    }
                }
                for (JsonNode var : c.path("env")) {
                    JsonNode ref = var.path("valueFrom").path("configMapKeyRef");
                    if (!ref.isMissingNode()) {
                        assertTrue(rendered.find("ConfigMap", ref.path("name").asText())
                                .map(cm -> cm.path("data").has(ref.path("key").asText())).orElse(false),
                                name(deployment) + " env " + var.path("name").asText() + " refers to a missing key");
                    }
                }
            }
            for (JsonNode volume : podSpec(deployment).path("volumes")) {
                String name = volume.path("configMap").path("name").asText(null);
                if (name != null) {
                    assertTrue(rendered.find("ConfigMap", name).isPresent(), name(deployment) + " mounts " + name);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void keyLocationsPointAtFilesOfMountedSecrets(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        Map<String, Set<String>> documented = Platform.documentedSecrets();
        for (JsonNode deployment : rendered.ofKind("Deployment")) {
            JsonNode c = container(deployment);
            rendered.environment(c).forEach((var, value) -> {
                if (!var.endsWith("_KEY_LOCATION")) {
                    return;
                }
                Path file = Path.of(value.value());
                String secret = null;
                for (JsonNode mount : c.path("volumeMounts")) {
                    if (file.getParent().toString().equals(mount.path("mountPath").asText())) {
                        for (JsonNode volume : podSpec(deployment).path("volumes")) {
                            if (volume.path("name").asText().equals(mount.path("name").asText())) {
                                secret = volume.path("secret").path("secretName").asText(null);
                            }
                        }
                    }
                }
                assertNotNull(secret, name(deployment) + " " + var + "=" + file + " is not in a mounted Secret");
                String key = file.getFileName().toString();
                String secretName = secret;
                boolean hasKey = rendered.find("Secret", secretName).map(s -> s.path("data").has(key))
                        .orElseGet(() -> documented.getOrDefault(secretName, Set.of()).contains(key));
                assertTrue(hasKey, name(deployment) + " " + var + ": Secret " + secretName + " has no key " + key);
            });
        }
    }

    @Test
    void everyServiceThatVerifiesDashboardTokensHasTheWalletPublicKeyAndOnlyWalletTheSigningKey() {
        Rendered prod = Manifests.render(PROD);
        for (Platform.Service service : Platform.services()) {
            Map<String, Rendered.EnvValue> env = prod
                    .environment(container(prod.get("Deployment", Platform.workload(service))));
            assertNotNull(env.get("FETCHSMS_JWT_PUBLIC_KEY_LOCATION"), service.dir() + " cannot verify sessions");
            assertEquals("wallet".equals(service.name()), env.containsKey("FETCHSMS_JWT_PRIVATE_KEY_LOCATION"),
                    service.dir() + " and the signing key");
        }
        assertFalse(prod.environment(container(prod.get("Deployment", "gateway")))
                .containsKey("FETCHSMS_JWT_PRIVATE_KEY_LOCATION"));
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyServiceHasTheServiceCredentialFromASecretAndTheGatewayHasNone(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        for (Platform.Service service : Platform.services()) {
            JsonNode c = container(rendered.get("Deployment", Platform.workload(service)));
            JsonNode ref = null;
            for (JsonNode var : c.path("env")) {
                if ("FETCHSMS_SERVICES_CREDENTIAL".equals(var.path("name").asText())) {
                    ref = var.path("valueFrom").path("secretKeyRef");
                }
            }
            assertNotNull(ref, service.dir() + " has no FETCHSMS_SERVICES_CREDENTIAL: it would not start");
            assertEquals("fetchsms-service-credential", ref.path("name").asText(), service.dir());
            assertEquals("credential", ref.path("key").asText(), service.dir());
            assertFalse(ref.path("optional").asBoolean(false), service.dir() + ": the credential is not optional");
        }
        assertFalse(rendered.environment(container(rendered.get("Deployment", "gateway")))
                .containsKey("FETCHSMS_SERVICES_CREDENTIAL"), "the gateway calls no internal route");
    }

    /**
     * The gateway signs its vouchers for the browser's address (decision 0028) with a key from a Secret, so that every
     * replica believes the vouchers any other gave.
     */
    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void theGatewayHasItsClientAddressKeyFromASecret(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        Rendered.EnvValue key = rendered.environment(container(rendered.get("Deployment", "gateway")))
                .get("FETCHSMS_GATEWAY_CLIENT_ADDRESS_KEY");
        assertTrue(key != null && key.isSecret(),
                "without FETCHSMS_GATEWAY_CLIENT_ADDRESS_KEY from a Secret the dashboard's calls share one address");
        assertEquals("fetchsms-gateway-client-address-key", key.secretName());
    }

    @Test
    void noPrivateKeyOrSecretValueIsCommittedUnderDeployK8s() throws IOException {
        Path k8s = Manifests.k8sDir();
        assertTrue(Platform.read(k8s.resolve(".gitignore")).lines().anyMatch("overlays/dev/secrets/"::equals),
                "the dev overlay's generated secrets must be git-ignored");
        Pattern secretLooking = Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----|^\\s*(data|stringData):\\s*$",
                Pattern.MULTILINE);
        Set<String> offenders = new LinkedHashSet<>();
        try (Stream<Path> files = Files.walk(k8s)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> !f.startsWith(k8s.resolve("target")) && !f.startsWith(k8s.resolve("src"))
                            && !f.startsWith(k8s.resolve("overlays/dev/secrets")))
                    .filter(f -> secretLooking.matcher(Platform.read(f)).find())
                    .forEach(f -> offenders.add(k8s.relativize(f).toString()));
        }
        assertTrue(offenders.isEmpty(), "secret material in " + offenders);
    }

    @Test
    void theGatewayKnowsWhereEveryServiceOfItsRouteTableRuns() {
        Rendered prod = Manifests.render(PROD);
        Map<String, Rendered.EnvValue> env = prod.environment(container(prod.get("Deployment", "gateway")));
        for (String upstream : Platform.gatewayUpstreams()) {
            String var = "FETCHSMS_GATEWAY_SERVICES_" + upstream.toUpperCase().replaceAll("[^A-Z0-9]", "_") + "_URL";
            Rendered.EnvValue url = env.get(var);
            assertNotNull(url, "the gateway has no " + var + ": it would call 127.0.0.1");
            var uri = java.net.URI.create(url.value());
            int port = uri.getPort() < 0 ? 80 : uri.getPort();
            JsonNode service = prod.get("Service", uri.getHost());
            boolean portExists = false;
            for (JsonNode p : service.path("spec").path("ports")) {
                portExists |= p.path("port").asInt() == port;
            }
            assertTrue(portExists, var + "=" + url.value() + ": Service " + uri.getHost() + " has no port " + port);
            String workload = Platform.workload(Platform.service(upstream));
            assertEquals(workload, service.path("spec").path("selector").path("app.kubernetes.io/name").asText(),
                    var + " points at a Service that is not " + workload);
        }
    }

    /**
     * A web application (the dashboard) is a client of the public API: it finds it at the gateway's Service
     * ({@code FETCHSMS_<NAME>_API_URL}, e.g. {@code FETCHSMS_DASHBOARD_API_URL}) and has nothing of a back-end service:
     * no database, no Kafka, no service credential, no JWT key. Its only Secrets are its own: the key that signs its
     * forms' CSRF tokens ({@code FETCHSMS_<NAME>_CSRF_KEY}), from a Secret so that every replica has the same.
     */
    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void webApplicationsCallThePublicApiThroughTheGatewayServiceAndHoldOnlyTheirOwnSecrets(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        assertFalse(Platform.webApplications().isEmpty(),
                "deploy/local/up lists no dashboard (a line without database)");
        for (Platform.Service app : Platform.webApplications()) {
            JsonNode deployment = rendered.get("Deployment", Platform.workload(app));
            Map<String, Rendered.EnvValue> env = rendered.environment(container(deployment));
            String prefix = "FETCHSMS_" + app.name().toUpperCase().replaceAll("[^A-Z0-9]", "_");
            String var = prefix + "_API_URL";
            Rendered.EnvValue url = env.get(var);
            assertNotNull(url, app.dir() + " has no " + var + ": it would call 127.0.0.1");
            var uri = java.net.URI.create(url.value());
            int port = uri.getPort() < 0 ? 80 : uri.getPort();
            JsonNode service = rendered.get("Service", uri.getHost());
            assertEquals("gateway", service.path("spec").path("selector").path("app.kubernetes.io/name").asText(),
                    var + "=" + url.value() + " is not the gateway's Service");
            boolean portExists = false;
            for (JsonNode p : service.path("spec").path("ports")) {
                portExists |= p.path("port").asInt() == port;
            }
            assertTrue(portExists, var + "=" + url.value() + ": Service " + uri.getHost() + " has no port " + port);
            for (String name : env.keySet()) {
                assertFalse(name.startsWith("QUARKUS_DATASOURCE_") || name.startsWith("KAFKA_")
                        || name.equals("FETCHSMS_SERVICES_CREDENTIAL") || name.endsWith("_KEY_LOCATION"),
                        app.dir() + " has " + name + ", a setting of a back-end service");
            }
            Rendered.EnvValue csrfKey = env.get(prefix + "_CSRF_KEY");
            assertTrue(csrfKey != null && csrfKey.isSecret(),
                    app.dir() + ": without " + prefix + "_CSRF_KEY from a Secret each replica signs forms its own way");
            env.forEach((name, value) -> assertTrue(!value.isSecret()
                    || value.secretName().startsWith("fetchsms-" + app.name() + "-"),
                    app.dir() + " takes " + name + " from Secret " + value.secretName() + ", not one of its own"));
            for (JsonNode volume : podSpec(deployment).path("volumes")) {
                assertTrue(volume.path("secret").isMissingNode(), app.dir() + " mounts a Secret");
            }
        }
    }

    @Test
    void servicesCallEachOtherThroughKubernetesServices() {
        Rendered prod = Manifests.render(PROD);
        for (Platform.Service service : Platform.services()) {
            Map<String, Rendered.EnvValue> env = prod
                    .environment(container(prod.get("Deployment", Platform.workload(service))));
            for (String target : List.of("catalog", "wallet")) {
                Rendered.EnvValue url = env.get("FETCHSMS_" + target.toUpperCase() + "_URL");
                assertNotNull(url, service.dir() + " has no FETCHSMS_" + target.toUpperCase() + "_URL");
                String host = java.net.URI.create(url.value()).getHost();
                assertEquals(Platform.workload(Platform.service(target)), prod.get("Service", host).path("spec")
                        .path("selector").path("app.kubernetes.io/name").asText());
            }
        }
    }
}
