package com.fetchsms.k8s;

import static com.fetchsms.k8s.Manifests.DEV;
import static com.fetchsms.k8s.Manifests.PROD;
import static com.fetchsms.k8s.Rendered.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fetchsms.common.events.Topics;
import com.fetchsms.k8s.KafkaUsage.Acl;

/**
 * Each service's Kafka user (a Strimzi {@code KafkaUser}) may do exactly what the service's code does with Kafka
 * ({@link KafkaUsage}, derived from its configuration): nothing missing (it would fail on Kubernetes only), nothing
 * extra (a compromised pod could write another service's topics). In particular only the owner of a topic may write
 * it: wallet-service alone may write {@code api-key.changed}, the source of truth of API keys (decision 0031).
 */
class KafkaAclTest {

    /** The rules of every KafkaUser of the rendered cluster, one operation each, by user name. */
    static Map<String, Set<Acl>> userAcls(Rendered rendered) {
        Map<String, Set<Acl>> users = new TreeMap<>();
        String cluster = name(rendered.ofKind("Kafka").get(0));
        for (JsonNode user : rendered.ofKind("KafkaUser")) {
            assertEquals(cluster, user.path("metadata").path("labels").path("strimzi.io/cluster").asText(),
                    "KafkaUser " + name(user) + " names no cluster the User Operator would reconcile it for");
            assertFalse(user.path("spec").has("userName"), name(user) + ": the user is named after its resource");
            Set<Acl> acls = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
            for (JsonNode rule : user.path("spec").path("authorization").path("acls")) {
                assertEquals("allow", rule.path("type").asText("allow"), name(user) + ": only allow rules");
                assertEquals("*", rule.path("host").asText("*"), name(user) + ": rules for every host");
                JsonNode resource = rule.path("resource");
                for (JsonNode operation : rule.path("operations")) {
                    acls.add(new Acl(resource.path("type").asText(), resource.path("name").asText(),
                            resource.path("patternType").asText("literal"), operation.asText()));
                }
            }
            users.put(name(user), acls);
        }
        return users;
    }

    /** The users whose rules allow {@code operation} on {@code topic} (literal, prefix or wildcard). */
    static Set<String> allowed(Map<String, Set<Acl>> users, String operation, String topic) {
        Set<String> allowed = new TreeSet<>();
        users.forEach((user, acls) -> {
            for (Acl acl : acls) {
                boolean matches = "topic".equals(acl.resourceType())
                        && ("*".equals(acl.name()) || "literal".equals(acl.patternType()) && acl.name().equals(topic)
                                || "prefix".equals(acl.patternType()) && topic.startsWith(acl.name()));
                if (matches && (operation.equals(acl.operation()) || "All".equals(acl.operation()))) {
                    allowed.add(user);
                }
            }
        });
        return allowed;
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyServiceHasAKafkaUserWithAScramLoginAndSimpleAuthorizationAndNothingElseHasOne(String overlay) {
        Rendered rendered = Manifests.render(overlay);
        Set<String> users = new TreeSet<>();
        for (JsonNode user : rendered.ofKind("KafkaUser")) {
            users.add(name(user));
            assertEquals("scram-sha-512", user.path("spec").path("authentication").path("type").asText(),
                    name(user) + " logs in with SCRAM-SHA-512, as the listener takes");
            assertEquals("simple", user.path("spec").path("authorization").path("type").asText(), name(user));
        }
        Set<String> services = new TreeSet<>(KafkaUsage.ofEveryService().keySet());
        assertEquals(services, users, "one KafkaUser per service, named after its workload");
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void everyKafkaUsersAclsAreExactlyWhatItsServicesCodeUses(String overlay) {
        Map<String, Set<Acl>> users = userAcls(Manifests.render(overlay));
        KafkaUsage.ofEveryService().forEach((service, usage) -> {
            Set<Acl> granted = users.getOrDefault(service, Set.of());
            Set<Acl> needed = usage.acls();
            Set<String> missing = new TreeSet<>();
            needed.stream().filter(acl -> !granted.contains(acl)).forEach(acl -> missing.add(acl.toString()));
            Set<String> extra = new TreeSet<>();
            granted.stream().filter(acl -> !needed.contains(acl)).forEach(acl -> extra.add(acl.toString()));
            assertTrue(missing.isEmpty() && extra.isEmpty(), service + " (" + overlay + "): the code writes "
                    + usage.writes() + ", reads " + usage.reads() + " in groups " + usage.groups()
                    + " and group prefixes " + usage.groupPrefixes() + "; its KafkaUser misses " + missing
                    + " and allows beyond that " + extra);
        });
    }

    /**
     * Per the manifests, every topic of the platform and every dead-letter topic has exactly one writer, the service
     * whose code publishes it; no other service's user can produce to it.
     */
    @Test
    void aServiceCannotWriteATopicItDoesNotOwn() {
        Map<String, Set<Acl>> users = userAcls(Manifests.render(PROD));
        Map<String, KafkaUsage> usage = KafkaUsage.ofEveryService();
        Set<String> topics = new LinkedHashSet<>(Topics.ALL);
        topics.addAll(Platform.deadLetterTopics());
        for (String topic : topics) {
            Set<String> owners = new TreeSet<>();
            usage.forEach((service, use) -> {
                if (use.writes().contains(topic)) {
                    owners.add(service);
                }
            });
            assertTrue(owners.size() <= 1, topic + " is published by " + owners + ": a topic has one owner");
            assertEquals(owners, allowed(users, "Write", topic), "who may write " + topic);
        }
        // the source of truth of API keys and sign-outs, and the events that drive refunds and releases
        assertEquals(Set.of("wallet-service"), allowed(users, "Write", Topics.API_KEY_CHANGED));
        assertFalse(allowed(users, "Write", Topics.API_KEY_CHANGED).contains("catalog-service"));
        assertEquals(Set.of("wallet-service"), allowed(users, "Write", Topics.WALLET_REFUNDED));
        assertEquals(Set.of("verification-service"), allowed(users, "Write", Topics.VERIFICATION_EXPIRED));
        assertEquals(Set.of("verification-service"), allowed(users, "Write", Topics.VERIFICATION_CANCELLED));
        assertEquals(Set.of("rental-service"), allowed(users, "Write", Topics.RENTAL_EXPIRED));
        assertEquals(Set.of("rental-service"), allowed(users, "Write", Topics.RENTAL_CANCELLED));
        assertEquals(Set.of("sms-ingest-service"), allowed(users, "Write", Topics.SMS_INBOUND));
    }

    @ParameterizedTest
    @ValueSource(strings = {DEV, PROD})
    void noServiceMayCreateOrDeleteTopicsOrActOnTheClusterOrUseWildcards(String overlay) {
        Set<String> topicOperations = Set.of("Read", "Write", "Describe");
        userAcls(Manifests.render(overlay)).forEach((user, acls) -> {
            for (Acl acl : acls) {
                assertFalse(acl.name().contains("*") || acl.name().isBlank(), user + ": " + acl);
                switch (acl.resourceType()) {
                    case "topic" -> {
                        assertTrue(topicOperations.contains(acl.operation()), user + ": " + acl);
                        assertEquals("literal", acl.patternType(), user + ": topics are named, never a prefix");
                    }
                    case "group" -> assertEquals("Read", acl.operation(), user + ": " + acl);
                    default -> throw new AssertionError(user + " has a rule on a " + acl.resourceType() + ": " + acl);
                }
            }
        });
    }

    /** A service's consumer groups (literal or by prefix) are its own: no other user's rule matches one of them. */
    @Test
    void noServiceCanJoinAnotherServicesConsumerGroups() {
        Map<String, Set<Acl>> users = userAcls(Manifests.render(PROD));
        KafkaUsage.ofEveryService().forEach((service, usage) -> {
            Set<String> groups = new TreeSet<>(usage.groups());
            // a group per start, e.g. verification-service-watch-<uuid>
            usage.groupPrefixes().forEach(prefix -> groups.add(prefix + "00000000-0000-0000-0000-000000000000"));
            users.forEach((user, acls) -> {
                if (user.equals(service)) {
                    return;
                }
                for (Acl acl : acls) {
                    boolean matches = "group".equals(acl.resourceType()) && groups.stream()
                            .anyMatch(g -> "prefix".equals(acl.patternType())
                                    ? g.startsWith(acl.name())
                                    : g.equals(acl.name()));
                    assertFalse(matches, user + " may join " + service + "'s groups " + groups + ": " + acl);
                }
            });
        });
    }

    /**
     * The derivation knows every Kafka client the code makes by hand, and each of them takes its settings from the
     * shared {@code KafkaClientProperties} (so TLS and the login reach it): a new raw client fails here until its
     * topics and groups are part of {@link KafkaUsage}.
     */
    @Test
    void everyKafkaClientTheCodeMakesByHandIsBuiltFromTheSharedPropertiesAndKnownToTheDerivation() {
        Map<String, Path> files = KafkaUsage.rawClientFiles();
        assertEquals(KafkaUsage.KNOWN_RAW_CLIENTS.keySet(), files.keySet(),
                "the Kafka clients made by hand: " + KafkaUsage.KNOWN_RAW_CLIENTS);
        files.forEach((file, path) -> {
            String source = Platform.read(path);
            assertTrue(source.contains("KafkaClientProperties"), file + " must build its client from "
                    + "KafkaClientProperties (the connector's kafka.* settings)");
            assertFalse(source.contains("BOOTSTRAP_SERVERS_CONFIG") || source.contains("\"kafka.bootstrap.servers\""),
                    file + " reads the bootstrap address itself");
        });
        String view = Platform.read(files.get("ApiKeyView.java"));
        assertTrue(view.contains("consumer.assign(") && !view.contains("consumer.subscribe("),
                "the credential view reads by assignment, without a consumer group (no group ACL)");
    }
}
