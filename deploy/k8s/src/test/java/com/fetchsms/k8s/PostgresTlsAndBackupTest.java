package com.fetchsms.k8s;

import static com.fetchsms.k8s.Manifests.DEV;
import static com.fetchsms.k8s.Manifests.PROD;
import static com.fetchsms.k8s.Rendered.container;
import static com.fetchsms.k8s.Rendered.name;
import static com.fetchsms.k8s.Rendered.podSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * PostgreSQL's data path and its backups (decision 0033): TLS required by the server and verified by every service,
 * one role per service database with nothing beyond it, WAL archiving and nightly backups to object storage with a
 * retention, and the restore overlay that recovers the production cluster to a point in time.
 */
class PostgresTlsAndBackupTest {

    private static final String BARMAN_PLUGIN = "barman-cloud.cloudnative-pg.io";
    private static final String CA_FILE = "ca.crt";

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void postgresAcceptsEachServiceRoleOnlyOverTlsToItsOwnDatabaseAndRejectsEverythingElse(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        JsonNode cluster = rendered.get("Cluster", "fetchsms-db");
        List<String[]> rules = new ArrayList<>();
        cluster.path("spec").path("postgresql").path("pg_hba").forEach(r -> rules.add(r.asText().trim().split("\\s+")));
        assertFalse(rules.isEmpty(), overlay + ": no pg_hba rule");
        Map<String, String> databaseOfRole = new HashMap<>();
        for (int i = 0; i < rules.size() - 1; i++) {
            String[] rule = rules.get(i);
            assertEquals("hostssl", rule[0], overlay + ": pg_hba rule " + String.join(" ", rule)
                    + " admits connections without TLS");
            assertNotEquals("reject", rule[rule.length - 1]);
            assertEquals(null, databaseOfRole.put(rule[2], rule[1]), rule[2] + " has two rules");
        }
        // The last rule rejects every other connection (with or without TLS), ahead of CloudNativePG's defaults.
        assertEquals(List.of("host", "all", "all", "all", "reject"), List.of(rules.get(rules.size() - 1)));

        for (JsonNode database : rendered.ofKind("Database")) {
            String owner = database.path("spec").path("owner").asText();
            assertEquals(database.path("spec").path("name").asText(), databaseOfRole.remove(owner),
                    overlay + ": " + owner + " may not log in to the database it owns, or to another one");
        }
        assertEquals(Map.of(), databaseOfRole, overlay + ": roles admitted without a database of their own");
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyServiceHasItsOwnRoleThatOwnsOnlyItsDatabaseAndHoldsNoWiderAttribute(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        JsonNode cluster = rendered.get("Cluster", "fetchsms-db");
        Map<String, Integer> owned = new HashMap<>();
        rendered.ofKind("Database").forEach(d -> owned.merge(d.path("spec").path("owner").asText(), 1, Integer::sum));
        Set<String> roles = new TreeSet<>();
        for (JsonNode role : cluster.path("spec").path("managed").path("roles")) {
            String name = role.path("name").asText();
            assertTrue(roles.add(name), name + " twice");
            for (String attribute : List.of("superuser", "createdb", "createrole", "replication", "bypassrls")) {
                assertTrue(role.has(attribute) && !role.path(attribute).asBoolean(),
                        overlay + ": role " + name + " must say " + attribute + ": false");
            }
            assertTrue(role.path("inRoles").isEmpty(), name + " is granted other roles");
            assertEquals(1, owned.getOrDefault(name, 0), overlay + ": " + name + " owns no database or several");
        }
        assertEquals(Platform.services().size(), roles.size(), "one role per service database");
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyServiceConnectsOverTlsVerifyingTheServerAgainstTheClustersCaOnBothPools(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        String cluster = name(rendered.get("Cluster", "fetchsms-db"));
        for (Platform.Service service : Platform.services()) {
            JsonNode deployment = rendered.get("Deployment", Platform.workload(service));
            Map<String, Rendered.EnvValue> env = rendered.environment(container(deployment));
            String where = overlay + " " + service.dir();

            // The reactive pool: verify-full needs a host name verification algorithm in the Vert.x client.
            assertEquals("verify-full", value(env, "QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE"), where);
            assertEquals("HTTPS", value(env, "QUARKUS_DATASOURCE_REACTIVE_HOSTNAME_VERIFICATION_ALGORITHM"), where);
            assertEquals("true", value(env, "QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM"), where);
            String caFile = value(env, "QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM_CERTS");
            assertEquals(cluster + "-ca", mountedSecretOf(deployment, caFile), where + ": " + caFile);

            // Flyway's JDBC connection: the same verification, from the URL.
            URI jdbc = URI.create(value(env, "QUARKUS_DATASOURCE_JDBC_URL").substring("jdbc:".length()));
            Map<String, String> query = query(jdbc.getQuery());
            assertEquals("verify-full", query.get("sslmode"), where + " JDBC");
            assertEquals(caFile, query.get("sslrootcert"), where + " JDBC");

            // Both dial the read-write Service, a name CloudNativePG's server certificate carries.
            assertEquals(cluster + "-rw", jdbc.getHost(), where);
            assertEquals(cluster + "-rw", URI.create(value(env, "QUARKUS_DATASOURCE_REACTIVE_URL")).getHost(), where);
        }
        for (String web : List.of("gateway", "dashboard")) {
            rendered.find("Deployment", web).ifPresent(d -> assertFalse(
                    rendered.environment(container(d)).keySet().stream()
                            .anyMatch(k -> k.startsWith("QUARKUS_DATASOURCE")),
                    web + " has no database"));
        }
    }

    /** The local stack and the tests keep connecting without TLS: the settings live in the manifests only. */
    @Test
    void theServicesOwnConfigurationLeavesTlsToTheDeployment() {
        for (Platform.Service service : Platform.services()) {
            var properties = Platform.applicationProperties(service.dir());
            properties.stringPropertyNames().forEach(key -> assertFalse(
                    key.startsWith("quarkus.datasource.reactive.postgresql.ssl-mode")
                            || key.startsWith("quarkus.datasource.reactive.trust-certificate")
                            || properties.getProperty(key).contains("sslmode="),
                    service.dir() + " sets " + key + " in application.properties"));
        }
    }

    @Test
    void prodArchivesWalContinuouslyAndBacksUpNightlyToTheObjectStoreWithARetention() {
        Rendered prod = Manifests.render(PROD);
        JsonNode cluster = prod.get("Cluster", "fetchsms-db");
        JsonNode plugin = barmanPlugin(cluster);
        assertTrue(plugin.path("isWALArchiver").asBoolean(), "the Barman Cloud Plugin archives the WAL");
        String storeName = plugin.path("parameters").path("barmanObjectName").asText();
        // Its folder in the store: the cluster's name at first, a new one after each restore (docs/operations.md).
        assertTrue(plugin.path("parameters").path("serverName").asText().startsWith(name(cluster)),
                "the cluster archives under a folder named after it: " + plugin.path("parameters"));

        JsonNode store = prod.get("ObjectStore", storeName);
        assertTrue(store.path("spec").path("retentionPolicy").asText().matches("[1-9][0-9]*[dwm]"),
                "a retention policy (days, weeks or months): " + store.path("spec").path("retentionPolicy"));
        JsonNode configuration = store.path("spec").path("configuration");
        assertTrue(configuration.path("destinationPath").asText().startsWith("s3://"),
                configuration.path("destinationPath").asText());
        Map<String, Set<String>> documented = Platform.documentedSecrets();
        for (String credential : List.of("accessKeyId", "secretAccessKey")) {
            JsonNode ref = configuration.path("s3Credentials").path(credential);
            String secret = ref.path("name").asText();
            assertTrue(documented.getOrDefault(secret, Set.of()).contains(ref.path("key").asText()),
                    "deploy/k8s/README.md creates no Secret " + secret + " with the key " + ref.path("key"));
            assertTrue(prod.find("Secret", secret).isEmpty(), "no credential in the prod render");
        }

        List<JsonNode> scheduled = prod.ofKind("ScheduledBackup");
        assertEquals(1, scheduled.size());
        JsonNode backup = scheduled.get(0).path("spec");
        assertEquals(name(cluster), backup.path("cluster").path("name").asText());
        assertEquals("plugin", backup.path("method").asText());
        assertEquals(BARMAN_PLUGIN, backup.path("pluginConfiguration").path("name").asText());
        String[] schedule = backup.path("schedule").asText().split(" ");
        assertEquals(6, schedule.length, "CloudNativePG schedules have six fields, seconds first");
        assertTrue(schedule[3].equals("*") && schedule[4].equals("*") && schedule[5].equals("*")
                && !schedule[2].contains("*"), "at least one base backup a day: " + backup.path("schedule"));
    }

    @Test
    void devKeepsNoBackups() {
        Rendered dev = Manifests.render(DEV);
        assertTrue(dev.ofKind("ObjectStore").isEmpty());
        assertTrue(dev.ofKind("ScheduledBackup").isEmpty());
        assertTrue(dev.get("Cluster", "fetchsms-db").path("spec").path("plugins").isMissingNode());
    }

    @Test
    void theRestoreOverlayRecoversTheProdClusterToTheTargetTimeAndArchivesIntoANewFolder() {
        Rendered prod = Manifests.render(PROD);
        Rendered restore = PostgresRestore.render();
        JsonNode prodCluster = prod.get("Cluster", "fetchsms-db");
        JsonNode cluster = restore.get("Cluster", "fetchsms-db");

        JsonNode recovery = cluster.path("spec").path("bootstrap").path("recovery");
        assertEquals(PostgresRestore.TARGET_TIME, recovery.path("recoveryTarget").path("targetTime").asText());
        JsonNode source = null;
        for (JsonNode external : cluster.path("spec").path("externalClusters")) {
            if (external.path("name").asText().equals(recovery.path("source").asText())) {
                source = external;
            }
        }
        assertNotNull(source, "bootstrap.recovery.source names no externalCluster");
        JsonNode prodArchive = barmanPlugin(prodCluster).path("parameters");
        assertEquals(BARMAN_PLUGIN, source.path("plugin").path("name").asText());
        assertEquals(prodArchive, source.path("plugin").path("parameters"),
                "restores from the store and folder the production cluster archives to");

        JsonNode archive = barmanPlugin(cluster).path("parameters");
        assertEquals(prodArchive.path("barmanObjectName"), archive.path("barmanObjectName"));
        assertEquals(PostgresRestore.ARCHIVE_SERVER_NAME, archive.path("serverName").asText());
        assertNotEquals(prodArchive.path("serverName"), archive.path("serverName"),
                "the restored cluster must never archive over the history it restores from");

        // Everything else is production as it is: the same Cluster but for the recovery, the same other objects.
        ObjectNode stripped = cluster.deepCopy();
        ((ObjectNode) stripped.path("spec")).remove(List.of("bootstrap", "externalClusters"));
        ((ObjectNode) stripped.path("spec").path("plugins").get(0).path("parameters")).set("serverName",
                prodArchive.path("serverName"));
        assertEquals(prodCluster, stripped);
        Map<String, JsonNode> others = byKindAndName(restore);
        others.remove("Cluster/fetchsms-db");
        JsonNode record = others.remove("ConfigMap/fetchsms-db-recovery");
        assertNotNull(record, "the restore leaves its parameters in a ConfigMap");
        assertEquals(PostgresRestore.TARGET_TIME, record.path("data").path("TARGET_TIME").asText());
        Map<String, JsonNode> prodOthers = byKindAndName(prod);
        prodOthers.remove("Cluster/fetchsms-db");
        assertEquals(prodOthers, others);
        assertFalse(cluster.toString().contains("set-from"), "a value the restore overlay fills in was left: "
                + cluster);
    }

    private static JsonNode barmanPlugin(JsonNode cluster) {
        for (JsonNode plugin : cluster.path("spec").path("plugins")) {
            if (BARMAN_PLUGIN.equals(plugin.path("name").asText())) {
                return plugin;
            }
        }
        throw new AssertionError(name(cluster) + " has no " + BARMAN_PLUGIN + " plugin");
    }

    private static Map<String, JsonNode> byKindAndName(Rendered rendered) {
        Map<String, JsonNode> objects = new LinkedHashMap<>();
        rendered.objects().forEach(o -> objects.put(o.path("kind").asText() + "/" + name(o), o));
        return objects;
    }

    private static String value(Map<String, Rendered.EnvValue> env, String name) {
        Rendered.EnvValue value = env.get(name);
        assertNotNull(value, "no " + name);
        assertNotNull(value.value(), name + " comes from a Secret, not a value");
        return value.value();
    }

    /** The Secret whose key the file is, through the container's volume mounts; asserts only that key is mounted. */
    private static String mountedSecretOf(JsonNode deployment, String file) {
        Path path = Path.of(file);
        JsonNode c = container(deployment);
        for (JsonNode mount : c.path("volumeMounts")) {
            if (!path.getParent().toString().equals(mount.path("mountPath").asText())) {
                continue;
            }
            for (JsonNode volume : podSpec(deployment).path("volumes")) {
                if (volume.path("name").asText().equals(mount.path("name").asText())) {
                    JsonNode secret = volume.path("secret");
                    List<String> keys = new ArrayList<>();
                    secret.path("items").forEach(item -> {
                        keys.add(item.path("key").asText());
                        assertEquals(path.getFileName().toString(), item.path("path").asText());
                    });
                    assertEquals(List.of(CA_FILE), keys, "only the CA's certificate is mounted, never its key");
                    return secret.path("secretName").asText(null);
                }
            }
        }
        return null;
    }

    private static Map<String, String> query(String query) {
        Map<String, String> parameters = new HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                parameters.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return parameters;
    }
}
