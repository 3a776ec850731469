package com.fetchsms.k8s;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fetchsms.common.events.Topics;

/**
 * What a service does with Kafka, derived from the code's own configuration (decision 0031), and so the ACLs its
 * Kafka user needs:
 * <ul>
 * <li>it <b>writes</b> the topics its outbox declares ({@code fetchsms.outbox.topics}, which the outbox enforces when
 * an event is written), the dead-letter topic of each consumer that dead-letters, and the topic of any Kafka channel of
 * its own ({@code mp.messaging.outgoing.*});</li>
 * <li>it <b>reads</b> the topics of its {@code mp.messaging.incoming.*} Kafka channels, in their consumer groups
 * ({@code group.id}; a group per start, {@code …-${quarkus.uuid}}, is a prefix), and {@code api-key.changed} when it
 * runs the credential view ({@code ApiKeyView}: by assignment, without a group), which it does when it takes API keys
 * from the view or learns sign-outs from it, with the defaults of {@code ApiKeysConfig} and {@code SessionsConfig}
 * read from their sources;</li>
 * <li>nothing else: the topic provisioner's admin client is off on Kubernetes ({@code KafkaTest}), and every Kafka
 * client made by hand in the code is one of the two above ({@link #rawClientFiles()}).</li>
 * </ul>
 * Only a service's production settings count (keys without a {@code %profile.} prefix).
 */
record KafkaUsage(String service, Set<String> writes, Set<String> reads, Set<String> groups,
        Set<String> groupPrefixes) {

    /** One ACL rule of a user, one operation: as Kafka keeps them. */
    record Acl(String resourceType, String name, String patternType, String operation) {
        @Override
        public String toString() {
            return resourceType + ":" + patternType + ":" + name + ":" + operation;
        }
    }

    /** The hand-made clients the derivation knows (source file name → what it is), see {@link #rawClientFiles()}. */
    static final Map<String, String> KNOWN_RAW_CLIENTS = Map.of(
            "ApiKeyView.java", "the credential view's consumer: api-key.changed by assignment, no group",
            "TopicProvisioner.java", "the topic provisioner's admin client: off on Kubernetes, no Create ACL",
            "StaticMembership.java", "the admin client that removes this replica's static members from its own "
                    + "durable groups at shutdown: Read on those groups, which the consumers have");

    private static final String CREDENTIAL_VIEW_TOPIC = Topics.API_KEY_CHANGED;
    private static final Pattern INCOMING = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.connector");
    private static final Pattern OUTGOING = Pattern.compile("mp\\.messaging\\.outgoing\\.([^.]+)\\.connector");
    private static final Pattern RAW_CLIENT = Pattern.compile(
            "new KafkaConsumer|new KafkaProducer|new KafkaShareConsumer|Admin\\.create|AdminClient\\.create");

    static KafkaUsage of(Platform.Service service) {
        Properties properties = Platform.applicationProperties(service.dir());
        Set<String> writes = new TreeSet<>();
        Set<String> reads = new TreeSet<>();
        Set<String> groups = new TreeSet<>();
        Set<String> prefixes = new TreeSet<>();
        String application = properties.getProperty("quarkus.application.name", service.dir()).trim();
        for (String key : properties.stringPropertyNames()) {
            Matcher incoming = INCOMING.matcher(key);
            if (incoming.matches() && "smallrye-kafka".equals(properties.getProperty(key).trim())) {
                String channel = "mp.messaging.incoming." + incoming.group(1) + ".";
                reads.addAll(channelTopics(properties, channel, incoming.group(1)));
                // Quarkus gives a channel without group.id the application's name (its default-kafka-broker map)
                String group = properties.getProperty(channel + "group.id", application).trim();
                int expression = group.indexOf("${");
                if (expression < 0) {
                    groups.add(group);
                } else {
                    assertTrue(expression > 0 && group.indexOf('}', expression) == group.length() - 1,
                            service.dir() + " " + channel + "group.id=" + group
                                    + ": a group per start must be a fixed prefix and one expression at the end");
                    prefixes.add(group.substring(0, expression));
                }
                if ("dead-letter-queue".equals(properties.getProperty(channel + "failure-strategy", "").trim())) {
                    // SmallRye's default dead-letter topic is dead-letter-topic-<channel>
                    writes.add(properties.getProperty(channel + "dead-letter-queue.topic",
                            "dead-letter-topic-" + incoming.group(1)).trim());
                }
            }
            Matcher outgoing = OUTGOING.matcher(key);
            if (outgoing.matches() && "smallrye-kafka".equals(properties.getProperty(key).trim())) {
                writes.addAll(channelTopics(properties, "mp.messaging.outgoing." + outgoing.group(1) + ".",
                        outgoing.group(1)));
            }
        }
        writes.addAll(list(properties.getProperty("fetchsms.outbox.topics", "")));
        if (runsCredentialView(properties)) {
            reads.add(CREDENTIAL_VIEW_TOPIC);
        }
        return new KafkaUsage(Platform.workload(service), writes, reads, groups, prefixes);
    }

    /** Every service's usage, by workload name. */
    static Map<String, KafkaUsage> ofEveryService() {
        Map<String, KafkaUsage> usage = new TreeMap<>();
        Platform.services().forEach(s -> usage.put(Platform.workload(s), of(s)));
        return usage;
    }

    /** The ACLs this usage needs: exactly these, one operation each. */
    Set<Acl> acls() {
        Set<Acl> acls = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
        for (String topic : writes) {
            acls.add(new Acl("topic", topic, "literal", "Write"));
            acls.add(new Acl("topic", topic, "literal", "Describe"));
        }
        for (String topic : reads) {
            acls.add(new Acl("topic", topic, "literal", "Read"));
            acls.add(new Acl("topic", topic, "literal", "Describe"));
        }
        groups.forEach(group -> acls.add(new Acl("group", group, "literal", "Read")));
        groupPrefixes.forEach(prefix -> acls.add(new Acl("group", prefix, "prefix", "Read")));
        return acls;
    }

    /**
     * Whether the service runs the credential view: {@code ApiKeyView.active()} = (api-keys.enabled and api-keys.view)
     * or sessions.revocation-view, each defaulting as its {@code @WithDefault} in the library says.
     */
    private static boolean runsCredentialView(Properties properties) {
        boolean enabled = flag(properties, "fetchsms.api-keys.enabled", "security/ApiKeysConfig.java", "enabled");
        boolean view = flag(properties, "fetchsms.api-keys.view", "security/ApiKeysConfig.java", "view");
        boolean revocations = flag(properties, "fetchsms.sessions.revocation-view", "security/SessionsConfig.java",
                "revocationView");
        return enabled && view || revocations;
    }

    private static boolean flag(Properties properties, String key, String source, String method) {
        String value = properties.getProperty(key);
        if (value == null) {
            String text = Platform.read(commonSources().resolve("com/fetchsms/common").resolve(source));
            Matcher m = Pattern.compile("@WithDefault\\(\"(\\w+)\"\\)\\s+boolean " + method + "\\(\\)").matcher(text);
            if (!m.find()) {
                fail(source + " has no @WithDefault for " + method + "(): the derivation cannot tell " + key);
            }
            value = m.group(1);
        }
        return Boolean.parseBoolean(value.trim());
    }

    private static Set<String> channelTopics(Properties properties, String channel, String name) {
        String topics = properties.getProperty(channel + "topics");
        if (topics != null) {
            return new LinkedHashSet<>(list(topics));
        }
        // SmallRye's default topic is the channel's name
        return Set.of(properties.getProperty(channel + "topic", name).trim());
    }

    private static List<String> list(String value) {
        return Stream.of(value.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    static Path commonSources() {
        return Manifests.repoRoot().resolve("platform/common/src/main/java");
    }

    /**
     * The main source files of the library and of every service that make a Kafka client by hand ({@code new
     * KafkaConsumer}, {@code new KafkaProducer}, {@code Admin.create}), by file name → path.
     */
    static Map<String, Path> rawClientFiles() {
        Map<String, Path> files = new TreeMap<>();
        List<Path> roots = new java.util.ArrayList<>();
        roots.add(commonSources());
        Platform.services().forEach(s -> roots.add(Manifests.repoRoot().resolve(s.dir()).resolve("src/main/java")));
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(f -> f.toString().endsWith(".java"))
                        .filter(f -> RAW_CLIENT.matcher(Platform.read(f)).find())
                        .forEach(f -> files.put(f.getFileName().toString(), f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }
}
