package com.fetchsms.k8s;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the code says about the platform, read from the repository itself so the manifests are checked against it: the
 * services and their databases and the dashboard (the table of deploy/local/up), the gateway's route table, each
 * service's Kafka consumers and dead-letter topics, and who calls which internal routes.
 */
final class Platform {

    /**
     * A line of the table of deploy/local/up: its name (the gateway's route-table name), directory, port and database
     * ({@code -}: none, the dashboard's line).
     */
    record Service(String name, String dir, int port, String database) {

        /** A back-end service (its own database, Kafka, the service credential), not a web application. */
        boolean hasDatabase() {
            return !"-".equals(database);
        }
    }

    private Platform() {
    }

    /**
     * The back-end services: the lines of the table of deploy/local/up with a database (each also uses Kafka and the
     * service credential).
     */
    static List<Service> services() {
        return table().stream().filter(Service::hasDatabase).toList();
    }

    /**
     * The web applications: the lines of the table without a database (the dashboard), which only call the public API
     * through the gateway.
     */
    static List<Service> webApplications() {
        return table().stream().filter(s -> !s.hasDatabase()).toList();
    }

    /** Every line of the table at the top of deploy/local/up (the one place that lists them). */
    static List<Service> table() {
        String script = read(Manifests.repoRoot().resolve("deploy/local/up"));
        Matcher table = Pattern.compile("SERVICES_TABLE='(.*?)'", Pattern.DOTALL).matcher(script);
        if (!table.find()) {
            throw new IllegalStateException("deploy/local/up has no SERVICES_TABLE");
        }
        List<Service> services = new ArrayList<>();
        for (String line : table.group(1).split("\n")) {
            String[] cells = line.trim().split("\\s+");
            // name, directory, port, database (and the local stack's heap cap, which Kubernetes does not use)
            if (cells.length >= 4 && !cells[0].startsWith("#")) {
                services.add(new Service(cells[0], cells[1], Integer.parseInt(cells[2]), cells[3]));
            }
        }
        assertFalse(services.isEmpty(), "deploy/local/up lists no service");
        return services;
    }

    /** The Kubernetes workload of a service: named after its directory (and its image after its module). */
    static String workload(Service service) {
        return service.dir();
    }

    /** Every workload: the services, the web applications and the gateway. */
    static List<String> workloads() {
        List<String> names = new ArrayList<>();
        names.add("gateway");
        table().forEach(s -> names.add(workload(s)));
        return names;
    }

    static Properties applicationProperties(String moduleDir) {
        Path file = Manifests.repoRoot().resolve(moduleDir).resolve("src/main/resources/application.properties");
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return properties;
    }

    /** The gateway's route table: service name → public path prefixes. */
    static Map<String, List<String>> gatewayRoutes() {
        Properties properties = applicationProperties("gateway");
        Pattern key = Pattern.compile("fetchsms\\.gateway\\.services\\.([^.]+)\\.prefixes");
        Map<String, List<String>> routes = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().sorted().forEach(name -> {
            Matcher m = key.matcher(name);
            if (m.matches()) {
                routes.put(m.group(1), Stream.of(properties.getProperty(name).split(",")).map(String::trim)
                        .filter(p -> !p.isEmpty()).toList());
            }
        });
        assertFalse(routes.isEmpty(), "gateway/src/main/resources/application.properties has no route table");
        return routes;
    }

    /** The gateway's home: where it sends {@code /} ({@code fetchsms.gateway.home}), if set. */
    static Optional<String> gatewayHome() {
        return Optional.ofNullable(applicationProperties("gateway").getProperty("fetchsms.gateway.home"))
                .map(String::trim).filter(home -> !home.isEmpty());
    }

    /** The names of the gateway's upstream services (every fetchsms.gateway.services.NAME.url). */
    static Set<String> gatewayUpstreams() {
        Properties properties = applicationProperties("gateway");
        Pattern key = Pattern.compile("fetchsms\\.gateway\\.services\\.([^.]+)\\.url");
        Set<String> names = new LinkedHashSet<>();
        properties.stringPropertyNames().stream().sorted().forEach(name -> {
            Matcher m = key.matcher(name);
            if (m.matches()) {
                names.add(m.group(1));
            }
        });
        return names;
    }

    /** Every dead-letter topic a service's consumer is configured with. */
    static Set<String> deadLetterTopics() {
        Set<String> topics = new LinkedHashSet<>();
        for (Service service : services()) {
            applicationProperties(service.dir()).forEach((key, value) -> {
                if (key.toString().endsWith(".dead-letter-queue.topic")) {
                    topics.add(value.toString().trim());
                }
            });
        }
        return topics;
    }

    /** The topics a service consumes through a consumer group (its mp.messaging.incoming.*.topic/topics). */
    static Set<String> consumedTopics(Service service) {
        Set<String> topics = new LinkedHashSet<>();
        Pattern channelTopics = Pattern.compile("mp\\.messaging\\.incoming\\.[^.]+\\.topics?");
        applicationProperties(service.dir()).forEach((key, value) -> {
            if (channelTopics.matcher(key.toString()).matches()) {
                Stream.of(value.toString().split(",")).map(String::trim).filter(t -> !t.isEmpty())
                        .forEach(topics::add);
            }
        });
        return topics;
    }

    /** The most Kafka consumers one replica runs for a channel ({@code mp.messaging.incoming.*.concurrency}, 1). */
    static int consumerConcurrency(Service service) {
        Pattern concurrency = Pattern.compile("mp\\.messaging\\.incoming\\.[^.]+\\.concurrency");
        int most = 1;
        for (var entry : applicationProperties(service.dir()).entrySet()) {
            if (concurrency.matcher(entry.getKey().toString()).matches()) {
                most = Math.max(most, Integer.parseInt(entry.getValue().toString().trim()));
            }
        }
        return most;
    }

    /** Whether the service takes API keys (and so introspects unknown ones at wallet-service). */
    static boolean takesApiKeys(Service service) {
        return "true".equals(applicationProperties(service.dir()).getProperty("fetchsms.api-keys.enabled", "false")
                .trim());
    }

    /**
     * Whether the service learns session sign-outs from its credential view, and so asks wallet-service about sessions
     * while the view is stale ({@code fetchsms.sessions.revocation-view=true}, set explicitly in its properties).
     */
    static boolean checksSessions(Service service) {
        return "true".equals(applicationProperties(service.dir()).getProperty("fetchsms.sessions.revocation-view",
                "false").trim());
    }

    /** Whether the service runs the purchase saga (catalog /internal/reservations, wallet /internal/debits). */
    static boolean runsPurchaseSaga(Service service) {
        return sourcesMention(service, "com.fetchsms.common.purchase", "com.fetchsms.common.client.CatalogClient",
                "com.fetchsms.common.client.WalletClient");
    }

    /** Whether the service asks catalog /internal/numbers/lookup which gateway serves a number. */
    static boolean looksUpNumbers(Service service) {
        return sourcesMention(service, "com.fetchsms.common.client.CatalogNumberClient");
    }

    /** Whether some resource of the service is rate limited per credential (decision 0010). */
    static boolean rateLimited(Service service) {
        return sourcesMention(service, "@RateLimited");
    }

    /** The workloads that call the internal routes of the given service ("catalog" or "wallet"), from the code. */
    static Set<String> internalCallersOf(String target) {
        Set<String> callers = new LinkedHashSet<>();
        for (Service service : services()) {
            if (service.name().equals(target)) {
                continue;
            }
            boolean calls = runsPurchaseSaga(service)
                    || ("wallet".equals(target) && (takesApiKeys(service) || checksSessions(service)))
                    || ("catalog".equals(target) && looksUpNumbers(service));
            if (calls) {
                callers.add(workload(service));
            }
        }
        return callers;
    }

    /** The line of the table with this name (a service or the dashboard). */
    static Service service(String name) {
        return table().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("No service " + name + " in deploy/local/up"));
    }

    private static boolean sourcesMention(Service service, String... needles) {
        Path sources = Manifests.repoRoot().resolve(service.dir()).resolve("src/main/java");
        if (!Files.isDirectory(sources)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(f -> f.toString().endsWith(".java")).anyMatch(f -> {
                String text = read(f);
                return Stream.of(needles).anyMatch(text::contains);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The Secrets deploy/k8s/README.md tells the operator to create for production ({@code kubectl … create secret
     * generic NAME --from-literal=KEY=… --from-file=KEY=…}): name → keys.
     */
    static Map<String, Set<String>> documentedSecrets() {
        String readme = read(Manifests.k8sDir().resolve("README.md")).replace("\\\n", " ");
        Map<String, Set<String>> secrets = new LinkedHashMap<>();
        Matcher command = Pattern
                .compile("kubectl(?:\\s+-n\\s+\\S+)?\\s+create\\s+secret\\s+generic\\s+(\\S+)([^\\n]*)")
                .matcher(readme);
        Pattern keyPattern = Pattern.compile("--from-(?:literal|file)=([^=\\s]+)=");
        while (command.find()) {
            Set<String> keys = secrets.computeIfAbsent(command.group(1), k -> new LinkedHashSet<>());
            Matcher key = keyPattern.matcher(command.group(2));
            while (key.find()) {
                keys.add(key.group(1));
            }
        }
        return secrets;
    }
}
