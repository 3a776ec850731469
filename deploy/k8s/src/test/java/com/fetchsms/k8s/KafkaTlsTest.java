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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Kafka connections are encrypted and authenticated (decision 0031): the cluster's only client listener is TLS with
 * SCRAM-SHA-512 logins and every request is authorised; every service connects to it with {@code SASL_SSL}, its own
 * user's login from that user's Secret, and the cluster CA mounted from Strimzi's Secret; the gateway and the
 * dashboard have no Kafka settings at all.
 */
class KafkaTlsTest {

    /** The listener the services use: the one Kafka listener that admits them (Strimzi's networkPolicyPeers). */
    static JsonNode servicesListener(Rendered rendered) {
        List<JsonNode> listeners = new ArrayList<>();
        rendered.ofKind("Kafka").get(0).path("spec").path("kafka").path("listeners").forEach(listeners::add);
        assertEquals(1, listeners.size(), "one client listener: the services'");
        return listeners.get(0);
    }

    /** Its port (the services' bootstrap port and their NetworkPolicy's). */
    static int servicesPort(Rendered rendered) {
        return servicesListener(rendered).path("port").asInt();
    }

    /** The User Operator's prefix of the Secrets it writes for KafkaUsers. */
    static String userSecretPrefix(Rendered rendered) {
        return rendered.ofKind("Kafka").get(0).path("spec").path("entityOperator").path("userOperator")
                .path("secretPrefix").asText("");
    }

    /**
     * Secrets the Strimzi operators create from rendered resources, with their keys: the cluster CA's certificate
     * ({@code <cluster>-cluster-ca-cert}) and each KafkaUser's SCRAM credentials ({@code <prefix><user>}).
     */
    static Map<String, Set<String>> strimziSecrets(Rendered rendered) {
        Map<String, Set<String>> secrets = new java.util.LinkedHashMap<>();
        for (JsonNode kafka : rendered.ofKind("Kafka")) {
            secrets.put(name(kafka) + "-cluster-ca-cert", Set.of("ca.crt", "ca.p12", "ca.password"));
        }
        if (!rendered.ofKind("Kafka").isEmpty()) {
            String prefix = userSecretPrefix(rendered);
            for (JsonNode user : rendered.ofKind("KafkaUser")) {
                if ("scram-sha-512".equals(user.path("spec").path("authentication").path("type").asText())) {
                    secrets.put(prefix + name(user), Set.of("password", "sasl.jaas.config"));
                }
            }
        }
        return secrets;
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void theOnlyClientListenerIsTlsWithScramLoginsAndEveryRequestIsAuthorised(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        JsonNode kafka = rendered.ofKind("Kafka").get(0).path("spec").path("kafka");
        JsonNode listener = servicesListener(rendered);
        assertTrue(listener.path("tls").asBoolean(false), "the listener is TLS");
        assertEquals("scram-sha-512", listener.path("authentication").path("type").asText(),
                "the listener authenticates its clients");
        assertEquals("internal", listener.path("type").asText(), "reachable inside the cluster only");
        assertEquals("simple", kafka.path("authorization").path("type").asText(), "requests are checked by ACLs");
        assertFalse(kafka.path("config").path("allow.everyone.if.no.acl.found").asBoolean(false),
                "a resource without ACLs must be closed, not open");
        Set<String> users = new HashSet<>();
        rendered.ofKind("KafkaUser").forEach(u -> users.add(name(u)));
        for (JsonNode superUser : kafka.path("authorization").path("superUsers")) {
            assertFalse(users.contains(superUser.asText().replaceFirst("^User:", "")),
                    superUser.asText() + " is a super user: its ACLs would mean nothing");
        }
        assertTrue(rendered.ofKind("Kafka").get(0).path("spec").path("entityOperator").has("userOperator"),
                "the User Operator must create the KafkaUsers' logins and ACLs");
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyServiceConnectsOverTlsWithItsOwnLoginAndTrustsTheMountedClusterCa(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        String cluster = name(rendered.ofKind("Kafka").get(0));
        String prefix = userSecretPrefix(rendered);
        for (Platform.Service service : Platform.services()) {
            String workload = Platform.workload(service);
            JsonNode deployment = rendered.get("Deployment", workload);
            JsonNode c = container(deployment);
            Map<String, Rendered.EnvValue> env = rendered.environment(c);
            assertEquals(cluster + "-kafka-bootstrap:" + servicesPort(rendered), value(env, "KAFKA_BOOTSTRAP_SERVERS"),
                    workload);
            assertEquals("SASL_SSL", value(env, "KAFKA_SECURITY_PROTOCOL"), workload + ": TLS and a login");
            assertEquals("SCRAM-SHA-512", value(env, "KAFKA_SASL_MECHANISM"), workload);
            Rendered.EnvValue login = env.get("KAFKA_SASL_JAAS_CONFIG");
            assertTrue(login != null && login.isSecret(), workload + " has no Kafka login from a Secret");
            assertEquals(prefix + workload, login.secretName(), workload + " logs in as its own KafkaUser");
            assertEquals("sasl.jaas.config", login.secretKey(), workload);
            assertEquals("PEM", value(env, "KAFKA_SSL_TRUSTSTORE_TYPE"), workload);

            // the truststore is the CA certificate, mounted from Strimzi's Secret
            Path truststore = Path.of(value(env, "KAFKA_SSL_TRUSTSTORE_LOCATION"));
            String volumeName = null;
            for (JsonNode mount : c.path("volumeMounts")) {
                if (truststore.getParent().toString().equals(mount.path("mountPath").asText())) {
                    volumeName = mount.path("name").asText();
                }
            }
            assertNotNull(volumeName, workload + ": " + truststore + " is not in a mounted volume");
            JsonNode secret = null;
            for (JsonNode volume : podSpec(deployment).path("volumes")) {
                if (volume.path("name").asText().equals(volumeName)) {
                    secret = volume.path("secret");
                }
            }
            assertTrue(secret != null && !secret.isMissingNode(), workload + ": " + volumeName + " is no Secret");
            assertEquals(cluster + "-cluster-ca-cert", secret.path("secretName").asText(),
                    workload + " trusts the cluster CA");
            String file = truststore.getFileName().toString();
            boolean caCertificate = false;
            for (JsonNode item : secret.path("items")) {
                assertEquals("ca.crt", item.path("key").asText(),
                        workload + " mounts more of the CA than its certificate");
                caCertificate |= file.equals(item.path("path").asText());
            }
            assertTrue(caCertificate, workload + ": " + file + " is not the CA's ca.crt");
        }
    }

    /**
     * Every {@code KAFKA_*} variable a workload gets is a Kafka client setting (as Quarkus maps it: {@code kafka.} and
     * dots for underscores), so none is silently ignored; the gateway and the dashboard get none.
     */
    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyKafkaVariableIsAKafkaClientSettingAndOnlyServicesHaveAny(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        Set<String> known = new HashSet<>(ConsumerConfig.configNames());
        known.addAll(ProducerConfig.configNames());
        known.addAll(AdminClientConfig.configNames());
        Set<String> services = new HashSet<>();
        Platform.services().forEach(s -> services.add(Platform.workload(s)));
        rendered.deployments().forEach((workload, deployment) -> {
            for (String variable : rendered.environment(container(deployment)).keySet()) {
                if (!variable.startsWith("KAFKA_")) {
                    continue;
                }
                assertTrue(services.contains(workload), workload + " is no service but has " + variable);
                String setting = variable.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
                assertTrue(known.contains(setting), workload + ": " + variable + " is kafka." + setting
                        + ", which no Kafka client knows");
            }
        });
    }

    private static String value(Map<String, Rendered.EnvValue> env, String name) {
        Rendered.EnvValue value = env.get(name);
        if (value == null || value.value() == null) {
            fail("no " + name);
        }
        return value.value();
    }
}
