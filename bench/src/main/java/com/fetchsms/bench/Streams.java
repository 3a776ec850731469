package com.fetchsms.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code BENCH_ONLY=streams}: what idle account event streams ({@code GET /v1/events}, decision 0020) cost. Opens
 * {@code BENCH_STREAMS} streams through the gateway, {@code BENCH_STREAMS_PER_ACCOUNT} per account (the service's cap,
 * {@code fetchsms.events.max-streams-per-account}) with dashboard sessions of fresh accounts, holds them idle for
 * {@code BENCH_STREAMS_HOLD_SECONDS}, and compares webhook-service and the gateway before and after: resident memory,
 * webhook-service's heap in use after a full collection ({@code jcmd GC.run}, then its {@code /q/metrics}), its threads,
 * and its database's connections (all, and those not idle). Every stream must stay open and get each heartbeat. Issue
 * #15's bound: under 50 MB for 1,000 streams (the two processes' resident memory together) and no database connection
 * held by an idle stream (PASS/FAIL, the exit status).
 */
final class Streams {

    private static final Pattern HEAP = Pattern
            .compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.eE+-]+)$");
    private static final double BOUND_MB = 50;

    private final Api api;
    private final Settings settings;
    private final Report report;
    private final Machine.Selection stack;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    Streams(Api api, Settings settings, Report report, Machine.Selection stack) {
        this.api = api;
        this.settings = settings;
        this.report = report;
        this.stack = stack;
    }

    /** What one process and the webhook database looked like at one moment. */
    private record Snapshot(long webhookRssKb, long gatewayRssKb, double webhookHeapMb, int webhookThreads,
            int dbConnections, int dbBusy) {
    }

    /** One open stream: how many heartbeats and data lines it got, whether it ended, how to close it. */
    private static final class Stream implements Flow.Subscriber<String> {
        final AtomicInteger heartbeats = new AtomicInteger();
        volatile boolean ended;
        volatile Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.startsWith(":")) {
                heartbeats.incrementAndGet();
            }
        }

        @Override
        public void onError(Throwable failure) {
            ended = true;
        }

        @Override
        public void onComplete() {
            ended = true;
        }

        void close() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }

    /** Runs the scenario; true when the streams stayed open within the bound and held no database connection. */
    boolean run() throws Exception {
        int wanted = settings.streams;
        int perAccount = settings.streamsPerAccount;
        int accounts = (wanted + perAccount - 1) / perAccount;
        report.heading("Event streams: " + wanted + " idle GET /v1/events through the gateway, " + perAccount
                + " per account (" + accounts + " accounts), held " + (long) settings.streamsHoldSeconds + " s");
        long webhook = pid("webhook-service");
        long gateway = pid("gateway");
        if (webhook < 0 || gateway < 0) {
            report.print("  webhook-service or the gateway is not a process of this stack: nothing measured");
            return false;
        }
        List<String> sessions = sessions(accounts);
        Snapshot before = snapshot(webhook, gateway);

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        List<Stream> streams = new ArrayList<>();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> opened = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < wanted; i++) {
            Stream stream = new Stream();
            streams.add(stream);
            CompletableFuture<Void> headers = new CompletableFuture<>();
            opened.add(headers);
            HttpRequest request = HttpRequest.newBuilder(URI.create(settings.url + "/v1/events"))
                    .header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + sessions.get(i / perAccount)).GET().build();
            client.sendAsync(request, info -> {
                statuses.computeIfAbsent(info.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                headers.complete(null);
                return HttpResponse.BodySubscribers.fromLineSubscriber(stream);
            }).whenComplete((response, failure) -> {
                stream.ended = true;
                headers.complete(null);
            });
        }
        CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        double openSeconds = (System.nanoTime() - start) / 1e9;
        int open = statuses.getOrDefault(200, new AtomicInteger()).get();
        report.print(String.format("  opened %,d of %,d in %.1f s; statuses %s", open, wanted, openSeconds,
                new TreeMap<>(statuses)));

        Load.sleep(Duration.ofMillis((long) (settings.streamsHoldSeconds * 1000)));
        Snapshot after = snapshot(webhook, gateway);
        long ended = streams.stream().filter(s -> s.ended).count();
        int minHeartbeats = streams.stream().filter(s -> !s.ended).mapToInt(s -> s.heartbeats.get()).min().orElse(0);
        int maxHeartbeats = streams.stream().mapToInt(s -> s.heartbeats.get()).max().orElse(0);
        streams.forEach(Stream::close);

        double webhookMb = (after.webhookRssKb() - before.webhookRssKb()) / 1024.0;
        double gatewayMb = (after.gatewayRssKb() - before.gatewayRssKb()) / 1024.0;
        double heapMb = after.webhookHeapMb() - before.webhookHeapMb();
        report.print(String.format("  webhook-service: resident %,d → %,d MB (%+.1f MB), heap in use after a full GC"
                + " %.1f → %.1f MB (%+.1f MB, %.1f KB a stream), threads %d → %d",
                before.webhookRssKb() / 1024, after.webhookRssKb() / 1024, webhookMb, before.webhookHeapMb(),
                after.webhookHeapMb(), heapMb, open == 0 ? 0 : heapMb * 1024 / open, before.webhookThreads(),
                after.webhookThreads()));
        report.print(String.format("  gateway: resident %,d → %,d MB (%+.1f MB)", before.gatewayRssKb() / 1024,
                after.gatewayRssKb() / 1024, gatewayMb));
        report.print(String.format("  webhook database connections: %d → %d (not idle: %d → %d)",
                before.dbConnections(), after.dbConnections(), before.dbBusy(), after.dbBusy()));
        report.print(String.format("  streams ended before the close: %,d; heartbeats per open stream: %d to %d "
                + "(one per fetchsms.events.heartbeat)", ended, minHeartbeats, maxHeartbeats));

        double cost = webhookMb + gatewayMb;
        boolean allOpen = open == wanted && ended == 0;
        boolean heartbeats = minHeartbeats >= 1;
        boolean noConnections = after.dbBusy() <= before.dbBusy() && after.dbConnections() <= before.dbConnections();
        boolean within = cost < BOUND_MB * wanted / 1000.0;
        report.print(String.format("  issue #15: %,d idle streams cost %.1f MB of resident memory (webhook-service and "
                + "gateway; bound %.0f MB per 1,000) and %d more database connections: %s", open, cost, BOUND_MB,
                after.dbConnections() - before.dbConnections(),
                allOpen && heartbeats && noConnections && within
                        ? "PASS"
                        : "FAIL"
                                + (allOpen ? "" : " (not every stream stayed open)")
                                + (heartbeats ? "" : " (a stream got no heartbeat)")
                                + (noConnections ? "" : " (database connections grew)")
                                + (within ? "" : " (over the bound)")));
        return allOpen && heartbeats && noConnections && within;
    }

    /** Dashboard sessions of {@code count} fresh accounts (signup and login: two password hashes each). */
    private List<String> sessions(int count) throws Exception {
        List<CompletableFuture<String>> made = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int i = 0; i < count; i++) {
                String email = "bench-streams-" + run + "-" + i + "@example.com";
                made.add(CompletableFuture.supplyAsync(() -> {
                    api.postNow("/v1/auth/signup", null,
                            Api.object().put("email", email).put("password", Fixture.PASSWORD))
                            .expect(201, "POST /v1/auth/signup");
                    return Fixture.login(api, email, Fixture.PASSWORD);
                }, pool));
            }
            List<String> sessions = new ArrayList<>();
            for (CompletableFuture<String> session : made) {
                sessions.add(session.get(5, TimeUnit.MINUTES));
            }
            return sessions;
        } finally {
            pool.shutdownNow();
        }
    }

    private long pid(String name) {
        return Machine.stackProcesses(stack).entrySet().stream().filter(e -> e.getValue().name().equals(name))
                .mapToLong(Map.Entry::getKey).findFirst().orElse(-1);
    }

    private Snapshot snapshot(long webhook, long gateway) throws Exception {
        double heap = heapAfterGc(webhook);
        int[] db = connections("fetchsms_webhook");
        return new Snapshot(Machine.rssKb(webhook), Machine.rssKb(gateway), heap, threads(webhook), db[0], db[1]);
    }

    /** A full collection of the process ({@code jcmd <pid> GC.run}), then its heap in use from its metrics, in MB. */
    private double heapAfterGc(long pid) throws Exception {
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        Path jcmd = java.resolveSibling("jcmd");
        Process gc = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid),
                "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        gc.waitFor(1, TimeUnit.MINUTES);
        String metrics = settings.metricsUrls.stream().filter(u -> u.endsWith(":8086")).findFirst()
                .orElse("http://127.0.0.1:8086");
        HttpClient http = HttpClient.newHttpClient();
        String body = http.send(HttpRequest.newBuilder(URI.create(metrics + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double bytes = 0;
        for (String line : body.split("\n")) {
            Matcher m = HEAP.matcher(line.trim());
            if (m.matches()) {
                bytes += Double.parseDouble(m.group(1));
            }
        }
        return bytes / (1024 * 1024);
    }

    private static int threads(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    /** The database's connections: all of them, and those not idle (running a statement or inside a transaction). */
    private int[] connections(String database) throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", settings.pgUser);
        if (!settings.pgPassword.isEmpty()) {
            credentials.setProperty("password", settings.pgPassword);
        }
        String url = "jdbc:postgresql://" + settings.pgHost + ":" + settings.pgPort + "/postgres";
        try (Connection admin = DriverManager.getConnection(url, credentials);
                Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*), count(*) FILTER (WHERE state <> 'idle') "
                        + "FROM pg_stat_activity WHERE datname = '" + database + "'")) {
            rows.next();
            return new int[]{rows.getInt(1), rows.getInt(2)};
        }
    }
}
