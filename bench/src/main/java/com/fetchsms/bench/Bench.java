package com.fetchsms.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * FetchSMS benchmark: drives a running local stack ({@code deploy/local/up}) through the gateway as customers and modem
 * gateways do, and measures, in the same run, the floors each result is compared with. Run it with {@code bench/run};
 * the settings are in {@link Settings} and docs/performance.md.
 */
public final class Bench {

    private final Settings settings;
    private final Report report = new Report(System.out);
    private final Api api;
    private final Api direct;
    private final Api verification;
    private Fixture fixture;
    private Floors floors;

    /** The floors of this run (p50 of each, and PostgreSQL's commit rate with many clients). */
    private static final class Floors {
        Samples.Summary kafkaOne;
        final Map<Double, Samples.Summary> kafkaAt = new TreeMap<>();
        Samples.Summary pgOne;
        Samples.Summary pgMany;
        Samples.Summary directOne;
        Samples.Summary gatewayOne;
        Samples.Summary directMany;
        Samples.Summary gatewayMany;

        long http() {
            return gatewayOne.p50();
        }

        long directHttp() {
            return directOne.p50();
        }

        long commit() {
            return pgOne.p50();
        }

        /** Kafka produce → consume at the measured rate closest to {@code rate} (0: one at a time). */
        long kafka(double rate) {
            if (rate <= 0 || kafkaAt.isEmpty()) {
                return kafkaOne.p50();
            }
            double closest = kafkaAt.keySet().stream().min((a, b) -> Double.compare(Math.abs(a - rate),
                    Math.abs(b - rate))).orElseThrow();
            return kafkaAt.get(closest).p50();
        }

        String kafkaName(double rate) {
            return rate <= 0 ? "Kafka one at a time" : "Kafka at " + (long) rate + "/s";
        }

        double commitsPerSecond() {
            return pgMany.achievedRate();
        }
    }

    private Bench(Settings settings) {
        this.settings = settings;
        this.api = new Api(settings.url);
        this.direct = new Api(settings.catalogUrl);
        this.verification = new Api(settings.verificationUrl);
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.fromEnvironment();
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(new Bench(settings).run() ? 0 : 1);
    }

    private boolean run() throws Exception {
        report.print("FetchSMS benchmark, " + Instant.now() + ", against " + settings.url);
        report.print("Machine: " + Machine.describe());
        report.print("Settings: " + settings.shown());
        Machine.Selection stack = new Machine.Selection(repositoryRoot(),
                settings.kafka.substring(settings.kafka.lastIndexOf(':') + 1));
        Machine.stackProcesses(stack).values().stream().distinct().forEach(p -> report.print(
                "Stack process " + p.name() + ": " + (p.jvmOptions().isEmpty() ? "(no JVM options)" : p.jvmOptions())));
        if (settings.only.equals("kafka")) {
            floors = new Floors();
            kafkaFloor();
            report.markdown();
            return true;
        }
        if (api.getNow("/q/health/ready", null).status() != 200) {
            System.err.println("bench: the gateway at " + settings.url + " is not ready (start deploy/local/up)");
            return false;
        }
        Machine.measure(stack);
        Map<String, Double> cpuAtStart = Machine.cpuSeconds(stack);
        try (Machine machine = new Machine(stack)) {
            if (settings.only.equals("floors")) {
                measureFloors();
                report.markdown();
                return true;
            }
            fixture = Fixture.create(api, settings, System.out);
            warmUp();
            measureFloors();
            hopsAtIdle();
            purchases();
            List<Fixture.Verification> forWebhooks = fixture.takeWaiting(settings.webhookOneAtATime
                    + Schedule.count(settings.webhookRate, settings.webhookSeconds), 0);
            List<Fixture.Verification> forCancels = fixture.takeWaiting(settings.cancels, -1);
            smsToCode();
            pushChannel();
            eventStream();
            webhooks(forWebhooks);
            polls();
            batches();
            cancels(forCancels);
            boolean money = moneyInvariant();
            report.heading("The stack's processes during the run: peak resident memory, CPU time used");
            Map<String, Double> cpuAtEnd = Machine.cpuSeconds(stack);
            machine.peakRssMb().forEach((name, mb) -> report.print(String.format("  %-22s %,5d MB%s   %,7.1f s CPU",
                    name, mb, mb > 300 ? " (over 300 MB)" : "",
                    cpuAtEnd.getOrDefault(name, 0.0) - cpuAtStart.getOrDefault(name, 0.0))));
            if (cpuAtEnd.containsKey(Machine.POSTGRESQL)) {
                report.print(String.format("  %-22s  (shared server)   %,7.1f s CPU", Machine.POSTGRESQL,
                        cpuAtEnd.get(Machine.POSTGRESQL) - cpuAtStart.getOrDefault(Machine.POSTGRESQL, 0.0)));
            }
            report.markdown();
            report.print("");
            report.print("Money invariant: " + (money ? "PASS" : "FAIL"));
            return money;
        }
    }

    // ── warm-up ──────────────────────────────────────────────────────────────────────────────────────────────────

    private void warmUp() {
        report.heading("Warm-up (not measured): catalog reads, purchases, SMS");
        Load.closed(8, settings.warmupRequests, Duration.ofMinutes(2), (i, due) -> code(api.get("/v1/services", null)));
        Load.closed(8, settings.warmupRequests, Duration.ofMinutes(2),
                (i, due) -> code(direct.get("/v1/services", null)));
        Load.closed(8, settings.warmupPurchases, Duration.ofMinutes(3), (i, due) -> fixture.purchase(i));
        List<Fixture.Verification> vs = fixture.takeWaiting(Math.min(50, settings.warmupPurchases / 2), -1);
        try (CodeWatch watch = watch()) {
            Load.open(10, Math.max(1, vs.size()), settings.maxInFlight, Duration.ofSeconds(30),
                    (i, due) -> i < vs.size() ? smsThenCode(vs.get(i), i, watch, null) : done(200));
        }
        report.print("  done");
    }

    // ── floors ───────────────────────────────────────────────────────────────────────────────────────────────────

    private void measureFloors() throws Exception {
        floors = new Floors();
        kafkaFloor();
        postgresAndGatewayFloors();
    }

    private void kafkaFloor() throws Exception {
        report.heading("Floors: Kafka produce → consume (acks=all, linger.ms=0) on " + settings.kafka);
        try (KafkaFloor kafka = new KafkaFloor(settings.kafka)) {
            report.print("  broker: log.flush.interval.messages = " + kafka.brokerSetting("log.flush.interval.messages")
                    + ", log.flush.interval.ms = " + kafka.brokerSetting("log.flush.interval.ms"));
            kafka.oneAtATime(50); // connections, metadata
            Machine.Cpu cpu = Machine.Cpu.now();
            Samples one = kafka.oneAtATime(settings.floorOneAtATime);
            floors.kafkaOne = one.summary(0, one.size());
            report.add(new Report.Row("Kafka produce → consume", "one at a time", "records", floors.kafkaOne,
                    floors.kafkaOne.achievedRate(), "", Report.Floor.NONE, ""), Machine.Cpu.now().since(cpu), "");
            for (double rate : settings.kafkaRates) {
                cpu = Machine.Cpu.now();
                Samples at = kafka.atRate(rate, settings.floorRateSeconds, settings.maxInFlight,
                        Duration.ofSeconds(10));
                Samples.Summary summary = at.summary(0, at.size());
                floors.kafkaAt.put(rate, summary);
                report.add(new Report.Row("Kafka produce → consume", "open " + (long) rate + "/s", "records",
                        summary, summary.completionRate(), Report.keptUp(at, rate), Report.Floor.NONE, ""),
                        Machine.Cpu.now().since(cpu), "");
            }
        }

    }

    private void postgresAndGatewayFloors() throws Exception {
        report.heading("Floors: PostgreSQL INSERT + COMMIT on a scratch database");
        try (PostgresFloor pg = new PostgresFloor(settings.pgHost, settings.pgPort, settings.pgUser,
                settings.pgPassword)) {
            report.print("  PostgreSQL " + pg.version + ", synchronous_commit = " + pg.setting("synchronous_commit")
                    + ", fsync = " + pg.setting("fsync") + ", max_connections = " + pg.setting("max_connections")
                    + ", autovacuum = " + pg.setting("autovacuum") + " (the services vacuum their churning tables"
                    + " themselves either way, decision 0025)");
            pg.insertCommit(1, 100);
            Machine.Cpu cpu = Machine.Cpu.now();
            Samples one = pg.insertCommit(1, settings.pgOneClient);
            floors.pgOne = one.summary(0, one.size());
            report.add(new Report.Row("PostgreSQL insert + commit", "1 client", "commits", floors.pgOne,
                    floors.pgOne.achievedRate(), "", Report.Floor.NONE, ""), Machine.Cpu.now().since(cpu), "");
            cpu = Machine.Cpu.now();
            Samples many = pg.insertCommit(settings.pgClients, settings.pgManyClients);
            floors.pgMany = many.summary(0, many.size());
            report.add(new Report.Row("PostgreSQL insert + commit", pg.connected + " clients", "commits",
                    floors.pgMany, floors.pgMany.achievedRate(), "", Report.Floor.NONE, ""),
                    Machine.Cpu.now().since(cpu), pg.connected < settings.pgClients
                            ? String.format("only %d of %d clients could connect (the server's max_connections is"
                                    + " shared with the stack and everything else)", pg.connected, settings.pgClients)
                            : "");
        }

        report.heading("Floors: the gateway's own hop: GET /v1/services direct to catalog (" + settings.catalogUrl
                + ") and through the gateway, interleaved");
        Samples.Summary[] one = hop(1, settings.gatewayOneClient);
        floors.directOne = one[0];
        floors.gatewayOne = one[1];
        Samples.Summary[] many = hop(settings.concurrency, settings.gatewayManyClients);
        floors.directMany = many[0];
        floors.gatewayMany = many[1];
        report.print(String.format("  the gateway adds %s (p50, 1 client) and %s (p50, %d clients, both series together"
                + " %,.0f req/s)", Report.ms(floors.gatewayOne.p50() - floors.directOne.p50()),
                Report.ms(floors.gatewayMany.p50() - floors.directMany.p50()), settings.concurrency,
                floors.gatewayMany.achievedRate() + floors.directMany.achievedRate()));
    }

    /**
     * The same cheap request direct to the service and through the gateway, alternately (so a change in the machine's
     * load weighs on both alike): {direct, through the gateway}.
     */
    private Samples.Summary[] hop(int clients, int count) {
        Machine.Cpu cpu = Machine.Cpu.now();
        Samples both = Load.closed(clients, 2 * count, Duration.ofMinutes(3),
                (i, due) -> code((i % 2 == 0 ? direct : api).get("/v1/services", null)));
        Machine.Use used = Machine.Cpu.now().since(cpu).over(2L * count);
        Samples direct = both.every(2, 0);
        Samples through = both.every(2, 1);
        Samples.Summary d = direct.summary(0, direct.size());
        Samples.Summary g = through.summary(0, through.size());
        String load = clients == 1 ? "1 client" : clients + " clients";
        // each series had half of the clients' time: its rate alone would be about twice what it shares here
        report.add(new Report.Row("GET /v1/services direct to catalog", load, "req", d, d.achievedRate(), "",
                Report.Floor.NONE, ""), used, "");
        report.add(new Report.Row("GET /v1/services through the gateway", load, "req", g, g.achievedRate(), "",
                new Report.Floor("the same request direct", d.p50()), ""), used, "");
        return new Samples.Summary[]{d, g};
    }

    // ── event hops at idle ───────────────────────────────────────────────────────────────────────────────────────

    /**
     * One of each event-producing action at a time, with pauses so the stack is idle between them: an API key created
     * and revoked (api-key.changed → every service's key view), a number stocked (inventory.numbers → sms-ingest), an
     * SMS for a waiting verification (sms.inbound → verification and rental; verification.received → webhook), a
     * cancel (verification.cancelled → wallet's refund, catalog's release). The services' own hop histograms, read
     * before and after, say how long each hop took.
     */
    private void hopsAtIdle() {
        report.heading("Event hops at idle: from an event's writing to its consumer's commit"
                + " (fetchsms_consumer_event_delay_seconds of every service)");
        List<Api> services = metricsServices();
        List<Fixture.Verification> forSms = fixture.takeWaiting(settings.hopRounds, -1);
        List<Fixture.Verification> forCancels = fixture.takeWaiting(settings.hopRounds, -1);
        Fixture.Account account = fixture.accounts.get(0);
        Map<String, Hops.Histogram> before = Hops.scrape(services);
        Duration pause = Duration.ofNanos((long) (settings.hopPauseMs * 1e6));
        for (int i = 0; i < settings.hopRounds; i++) {
            String keyId = api.postNow("/v1/api-keys", account.session(), Api.object().put("name", "bench-hop-" + i))
                    .expect(201, "POST /v1/api-keys").json().path("id").asText();
            Load.sleep(pause);
            Api.join(api.delete("/v1/api-keys/" + keyId, account.session()));
            Load.sleep(pause);
            ObjectNode stock = Api.object().put("gateway_id", fixture.gatewayId);
            stock.putArray("numbers").add(fixture.freshNumber());
            api.postNow("/v1/admin/numbers", fixture.admin, stock).expect(201, "POST /v1/admin/numbers");
            Load.sleep(pause);
            if (i < forSms.size()) {
                Fixture.Verification v = forSms.get(i);
                api.postNow("/v1/ingest/messages", fixture.gatewayToken, Api.object().put("to", v.number())
                        .put("from", "Telegram").put("text", Fixture.smsText(Integer.toString(20000 + i))))
                        .expect(202, "POST /v1/ingest/messages");
                Load.sleep(pause);
            }
            if (i < forCancels.size()) {
                Fixture.Verification v = forCancels.get(i);
                Api.join(api.post("/v1/verifications/" + v.id() + "/cancel", fixture.key(v.account()), ""));
                Load.sleep(pause);
            }
        }
        Load.sleep(Duration.ofSeconds(3));
        Map<String, Hops.Histogram> hops = Hops.since(before, Hops.scrape(services));
        if (hops.isEmpty()) {
            report.note("Event hops: no service answered /q/metrics with fetchsms_consumer_event_delay_seconds"
                    + " (BENCH_METRICS_URLS: " + settings.metricsUrls + ")");
            return;
        }
        Hops.describe(hops).forEach(line -> report.print("  " + line));
    }

    // ── purchases ────────────────────────────────────────────────────────────────────────────────────────────────

    private Report.Floor purchaseFloor() {
        return new Report.Floor("gateway hop + 2 internal calls + 4 commits",
                floors.http() + 2 * floors.directHttp() + 4 * floors.commit());
    }

    private String purchaseCeiling(double rate) {
        double ceiling = floors.commitsPerSecond() / 4;
        return String.format("%.1f purchases/s = %.0f %% of PostgreSQL's %,.0f commits/s ÷ 4 commits per purchase",
                rate, 100 * rate / ceiling, floors.commitsPerSecond());
    }

    private void purchases() {
        report.heading("Purchases: POST /v1/verifications (reservation at catalog, debit at wallet, outbox)");
        Machine.Cpu cpu = Machine.Cpu.now();
        Samples closed = Load.closed(settings.concurrency, settings.purchases, Duration.ofMinutes(10),
                (i, due) -> fixture.purchase(i));
        Samples.Summary s = closed.summary(0, closed.size());
        report.add(new Report.Row("POST /v1/verifications", settings.concurrency + " clients", "purchases", s,
                s.achievedRate(), "", purchaseFloor(), purchaseCeiling(s.achievedRate())),
                Machine.Cpu.now().since(cpu), "");

        for (double rate : settings.purchaseRates) {
            cpu = Machine.Cpu.now();
            int count = Schedule.count(rate, settings.purchaseRateSeconds);
            Samples open = Load.open(rate, count, settings.maxInFlight,
                    Duration.ofSeconds((long) settings.drainSeconds),
                    (i, due) -> fixture.purchase(i));
            s = open.summary(0, open.size());
            report.add(new Report.Row("POST /v1/verifications",
                    String.format("open %d/s for %.0f s", (long) rate, settings.purchaseRateSeconds), "purchases", s,
                    s.completionRate(), Report.keptUp(open, rate), purchaseFloor(),
                    purchaseCeiling(s.completionRate())), Machine.Cpu.now().since(cpu), "");
        }

        report.heading(String.format("Purchases, long run: %,d at %d clients (first vs last %,d)",
                settings.longPurchases, settings.concurrency, settings.longWindow));
        cpu = Machine.Cpu.now();
        Samples longRun = Load.closed(settings.concurrency, settings.longPurchases, Duration.ofMinutes(30),
                (i, due) -> fixture.purchase(i));
        Machine.Use cpuLong = Machine.Cpu.now().since(cpu);
        int n = longRun.size();
        int w = Math.min(settings.longWindow, n / 2);
        s = longRun.summary(0, n);
        Samples.Summary first = longRun.summary(0, w);
        Samples.Summary last = longRun.summary(n - w, n);
        report.add(new Report.Row("POST /v1/verifications, long run", settings.concurrency + " clients", "purchases",
                s, s.achievedRate(), "", purchaseFloor(), purchaseCeiling(s.achievedRate())), cpuLong, "");
        report.add(new Report.Row(String.format("… its first %,d", w), settings.concurrency + " clients", "purchases",
                first, first.achievedRate(), "", purchaseFloor(), ""), cpuLong.over(0), "");
        report.add(new Report.Row(String.format("… its last %,d", w), settings.concurrency + " clients", "purchases",
                last, last.achievedRate(), "", purchaseFloor(), ""), cpuLong.over(0), "");
        report.print(String.format("  side by side: first %,d %.1f/s p50 %s p99 %s | last %,d %.1f/s p50 %s p99 %s", w,
                first.achievedRate(), Report.pct(first, first.p50()), Report.pct(first, first.p99()), w,
                last.achievedRate(), Report.pct(last, last.p50()), Report.pct(last, last.p99())));
        report.print(String.format("  %,d verifications waiting for a code", fixture.waitingCount()));
    }

    // ── SMS → code visible ───────────────────────────────────────────────────────────────────────────────────────

    private CodeWatch watch() {
        return new CodeWatch(fixture, settings.pollIntervalMs, settings.pollBudget,
                Duration.ofMillis((long) (settings.codeTimeoutSeconds * 1000)));
    }

    /** The modem gateway reports the SMS; then {@code watch} polls until the code shows (or the webhook arrives). */
    private CompletableFuture<Integer> smsThenCode(Fixture.Verification v, int i, CodeWatch watch,
            Samples accepted) {
        String code = Integer.toString(10000 + i % 90000);
        ObjectNode sms = Api.object().put("to", v.number()).put("from", "Telegram").put("text", Fixture.smsText(code));
        return api.post("/v1/ingest/messages", fixture.gatewayToken, sms).thenCompose(r -> {
            if (accepted != null) {
                accepted.finished(i, System.nanoTime(), r.status());
            }
            return r.status() == 202 ? watch.watch(v, code) : done(r.status());
        });
    }

    private Report.Floor smsFloor(double rate) {
        return new Report.Floor("gateway hop + commit + " + floors.kafkaName(rate) + " + commit + gateway hop (poll)",
                2 * floors.http() + 2 * floors.commit() + floors.kafka(rate));
    }

    private void smsToCode() {
        report.heading("SMS → code visible: POST /v1/ingest/messages, then GET /v1/verifications/{id} every "
                + settings.pollIntervalMs + " ms (at most " + (long) settings.pollBudget + " polls/s in all)");
        try (CodeWatch watch = watch()) {
            smsRun(watch, 0, settings.smsOneAtATime, "one at a time");
            for (int k = 0; k < settings.smsRates.length; k++) {
                double rate = settings.smsRates[k];
                smsRun(watch, rate, Schedule.count(rate, settings.smsSeconds[k]),
                        String.format("open %d/s for %.0f s", (long) rate, settings.smsSeconds[k]));
            }
        }
    }

    private void smsRun(CodeWatch watch, double rate, int wanted, String load) {
        List<Fixture.Verification> vs = fixture.takeWaiting(wanted, -1);
        if (vs.isEmpty()) {
            report.note("SMS → code, " + load + ": no waiting verification left, not measured");
            return;
        }
        String shortOf = vs.size() < wanted
                ? String.format(" (only %,d of %,d: not enough waiting verifications)", vs.size(), wanted)
                : "";
        Samples accepted = new Samples(vs.size());
        Load.Op op = (i, due) -> {
            accepted.sent(i, due, System.nanoTime());
            return smsThenCode(vs.get(i), i, watch, accepted);
        };
        long polls = watch.polls();
        double[] released = codeReleases();
        Machine.Cpu cpu = Machine.Cpu.now();
        Duration drain = Duration.ofSeconds((long) (settings.drainSeconds + settings.codeTimeoutSeconds));
        Samples samples = rate <= 0
                ? Load.closed(1, vs.size(), Duration.ofMinutes(10), op)
                : Load.open(rate, vs.size(), settings.maxInFlight, drain, op);
        Machine.Cpu after = Machine.Cpu.now();
        long end = System.nanoTime();
        accepted.close(end, i -> end);
        Samples.Summary s = samples.summary(0, samples.size());
        Samples.Summary a = accepted.summary(0, accepted.size());
        long pollCount = watch.polls() - polls;
        double seconds = (after.wallNanos() - cpu.wallNanos()) / 1e9;
        double[] releasedAfter = codeReleases();
        double count = releasedAfter[0] - released[0];
        // received_at travels in whole seconds (sms.inbound), so the metric reads up to 1 s (0.5 s on average) high
        String server = count <= 0
                ? ""
                : String.format("; verification-service's own metric over the same time: %,.0f"
                        + " codes released, mean %s from received_at (whole seconds: up to 1 s high)", count,
                        Report.ms((long) ((releasedAfter[1] - released[1]) / count * 1e9)));
        String perCode = s.succeeded() == 0
                ? "no code seen"
                : String.format("%.1f per code", pollCount / (double) s.succeeded());
        String extra = String.format("ingest answered 202 after p50 %s, p99 %s; %,d polls (%,.0f/s, %s)%s%s",
                Report.pct(a, a.p50()), Report.pct(a, a.p99()), pollCount, pollCount / seconds, perCode, server,
                shortOf);
        report.add(new Report.Row("SMS → code visible (polling)", load, "codes", s,
                rate <= 0 ? s.achievedRate() : s.completionRate(), rate <= 0 ? "" : Report.keptUp(samples, rate),
                smsFloor(rate), ""), after.since(cpu), extra);
    }

    /**
     * {count, sum in seconds} of verification-service's {@code fetchsms_code_release_delay_seconds} (from the SMS's
     * {@code received_at} to the commit that released the code): the server's own view, to cross-check the client's.
     */
    private double[] codeReleases() {
        double[] found = new double[2];
        try {
            Api.Response metrics = verification.get("/q/metrics", null).get(10, TimeUnit.SECONDS);
            for (String line : metrics.body().split("\n")) {
                if (line.startsWith("fetchsms_code_release_delay_seconds_count{") && line.contains("verification\"")) {
                    found[0] = Double.parseDouble(line.split(" ")[1]);
                } else if (line.startsWith("fetchsms_code_release_delay_seconds_sum{")
                        && line.contains("verification\"")) {
                    found[1] = Double.parseDouble(line.split(" ")[1]);
                }
            }
        } catch (Exception e) {
            // the cross-check is optional
        }
        return found;
    }

    /**
     * SMS → code received by a client that waits for it: a long poll ({@code GET /v1/verifications/{id}?wait=…},
     * answered as soon as the code is released) sent with the SMS, asked again when its wait ends without the code.
     * Latency from the scheduled start, as for polling; no poll budget, one request per wait.
     */
    private void pushChannel() {
        report.heading(
                "SMS → code received by a long poll: POST /v1/ingest/messages with GET /v1/verifications/{id}?wait="
                        + settings.pushWaitSeconds + " (answered when the code is released)");
        pushRun(0, settings.smsOneAtATime, "one at a time");
        for (int k = 0; k < settings.pushRates.length; k++) {
            double rate = settings.pushRates[k];
            pushRun(rate, Schedule.count(rate, settings.pushSeconds[k]),
                    String.format("open %d/s for %.0f s", (long) rate, settings.pushSeconds[k]));
        }
    }

    /**
     * {@code wanted} waiting verifications for a run of SMS (bought first, not measured, when there are not enough);
     * empty, with a note, when none is left.
     */
    private List<Fixture.Verification> waitingForRun(int wanted, String what) {
        if (fixture.waitingCount() < wanted) {
            Load.closed(settings.concurrency, wanted - fixture.waitingCount(), Duration.ofMinutes(5),
                    (i, due) -> fixture.purchase(i));
        }
        List<Fixture.Verification> vs = fixture.takeWaiting(wanted, -1);
        if (vs.isEmpty()) {
            report.note(what + ": no waiting verification left, not measured");
        }
        return vs;
    }

    /** Sends the SMS with code {@code code} to {@code v}'s number; a refusal completes {@code seen} with its status. */
    private void sendCode(Fixture.Verification v, String code, CompletableFuture<Integer> seen) {
        ObjectNode sms = Api.object().put("to", v.number()).put("from", "Telegram").put("text", Fixture.smsText(code));
        api.post("/v1/ingest/messages", fixture.gatewayToken, sms).whenComplete((r, error) -> {
            if (error != null || r.status() != 202) {
                seen.complete(error != null ? Samples.NOT_SEEN : r.status());
            }
        });
    }

    private void pushRun(double rate, int wanted, String load) {
        List<Fixture.Verification> vs = waitingForRun(wanted, "SMS → code (long poll), " + load);
        if (vs.isEmpty()) {
            return;
        }
        AtomicLong requests = new AtomicLong();
        Map<String, Hops.Histogram> pushedBefore = Hops.scrape(metricsServices());
        Machine.Cpu cpu = Machine.Cpu.now();
        Duration drain = Duration.ofSeconds((long) (settings.drainSeconds + settings.codeTimeoutSeconds));
        Load.Op op = (i, due) -> smsWithLongPoll(vs.get(i), i, requests);
        Samples samples = rate <= 0
                ? Load.closed(1, vs.size(), Duration.ofMinutes(10), op)
                : Load.open(rate, vs.size(), settings.maxInFlight, drain, op);
        Machine.Cpu after = Machine.Cpu.now();
        Map<String, Hops.Histogram> pushedAfter = Hops.scrape(metricsServices());
        Samples.Summary s = samples.summary(0, samples.size());
        String extra = String.format("%,d long polls (%s per code)%s", requests.get(),
                s.succeeded() == 0 ? "no code seen" : String.format("%.2f", requests.get() / (double) s.succeeded()),
                vs.size() < wanted ? String.format(" (only %,d of %,d waiting verifications)", vs.size(), wanted) : "");
        report.add(new Report.Row("SMS → code received (long poll)", load, "codes", s,
                rate <= 0 ? s.achievedRate() : s.completionRate(), rate <= 0 ? "" : Report.keptUp(samples, rate),
                smsFloor(rate), ""), after.since(cpu), extra);
        printPushDelay(pushedBefore, pushedAfter, Hops.LONG_POLL, "long_poll");
    }

    /** The services whose {@code /q/metrics} the benchmark reads ({@code BENCH_METRICS_URLS}). */
    private List<Api> metricsServices() {
        return settings.metricsUrls.stream().map(Api::new).toList();
    }

    /**
     * Under a push run's row, the platform's own measure of its last hop between two scrapes: from each code's commit
     * to its long poll's answer or its event stream's line ({@code fetchsms_push_delay_seconds{channel}}), per service.
     */
    private void printPushDelay(Map<String, Hops.Histogram> before, Map<String, Hops.Histogram> after, String name,
            String channel) {
        Map<String, Hops.Histogram> pushed = Hops.named(Hops.since(before, after), name);
        if (pushed.isEmpty()) {
            report.print("  release → client: no fetchsms_push_delay_seconds{channel=\"" + channel
                    + "\"} counted in BENCH_METRICS_URLS (" + settings.metricsUrls + ")");
            return;
        }
        Hops.describe(pushed).forEach(line -> report.print("  release → client: " + line));
    }

    private CompletableFuture<Integer> smsWithLongPoll(Fixture.Verification v, int i, AtomicLong requests) {
        String code = Integer.toString(10000 + i % 90000);
        String expected = "\"code\":\"" + code + "\"";
        long deadline = System.nanoTime() + (long) (settings.codeTimeoutSeconds * 1e9);
        CompletableFuture<Integer> seen = longPoll(v, expected, deadline, requests);
        sendCode(v, code, seen);
        return seen;
    }

    private CompletableFuture<Integer> longPoll(Fixture.Verification v, String expected, long deadline,
            AtomicLong requests) {
        requests.incrementAndGet();
        return fixture.api.get("/v1/verifications/" + v.id() + "?wait=" + settings.pushWaitSeconds,
                fixture.key(v.account())).handle((r, error) -> r).thenCompose(r -> {
                    if (r != null && r.status() == 200 && r.body().contains(expected)) {
                        return done(200);
                    }
                    if (System.nanoTime() > deadline) {
                        return done(Samples.NOT_SEEN);
                    }
                    if (r != null && r.status() != 200) {
                        return done(r.status());
                    }
                    return longPoll(v, expected, deadline, requests);
                });
    }

    /**
     * SMS → code received over the account event stream ({@code GET /v1/events}, Server-Sent Events): one stream per
     * account is opened before the run, and a code counts as received when its {@code sms.received} line (with the
     * verification's id and the code) arrives on it. Same loads as the long polls ({@code BENCH_PUSH_RATES}).
     */
    private void eventStream() {
        report.heading("SMS → code received over the event stream: POST /v1/ingest/messages, then sms.received on "
                + "GET /v1/events (one stream per account, opened before the run)");
        eventStreamRun(0, settings.smsOneAtATime, "one at a time");
        for (int k = 0; k < settings.pushRates.length; k++) {
            double rate = settings.pushRates[k];
            eventStreamRun(rate, Schedule.count(rate, settings.pushSeconds[k]),
                    String.format("open %d/s for %.0f s", (long) rate, settings.pushSeconds[k]));
        }
    }

    private static final Pattern STREAMED_VERIFICATION = Pattern.compile("\"verification_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STREAMED_CODE = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]+)\"");

    private void eventStreamRun(double rate, int wanted, String load) {
        List<Fixture.Verification> vs = waitingForRun(wanted, "SMS → code (event stream), " + load);
        if (vs.isEmpty()) {
            return;
        }
        Map<String, Streamed> expected = new ConcurrentHashMap<>();
        List<AutoCloseable> streams = new ArrayList<>();
        try {
            for (int account : vs.stream().map(Fixture.Verification::account).distinct().toList()) {
                streams.add(fixture.api.events("/v1/events", fixture.key(account), data -> {
                    Matcher id = STREAMED_VERIFICATION.matcher(data);
                    Matcher code = STREAMED_CODE.matcher(data);
                    if (id.find() && code.find()) {
                        Streamed wait = expected.get(id.group(1));
                        if (wait != null && wait.code().equals(code.group(1))) {
                            wait.seen().complete(200);
                        }
                    }
                }).join());
            }
            Map<String, Hops.Histogram> pushedBefore = Hops.scrape(metricsServices());
            Machine.Cpu cpu = Machine.Cpu.now();
            Duration drain = Duration.ofSeconds((long) (settings.drainSeconds + settings.codeTimeoutSeconds));
            Load.Op op = (i, due) -> smsWithEventStream(vs.get(i), i, expected);
            Samples samples = rate <= 0
                    ? Load.closed(1, vs.size(), Duration.ofMinutes(10), op)
                    : Load.open(rate, vs.size(), settings.maxInFlight, drain, op);
            Machine.Cpu after = Machine.Cpu.now();
            Map<String, Hops.Histogram> pushedAfter = Hops.scrape(metricsServices());
            Samples.Summary s = samples.summary(0, samples.size());
            String extra = String.format("%d streams%s", streams.size(), vs.size() < wanted
                    ? String.format(" (only %,d of %,d waiting verifications)", vs.size(), wanted)
                    : "");
            report.add(new Report.Row("SMS → code received (event stream)", load, "codes", s,
                    rate <= 0 ? s.achievedRate() : s.completionRate(), rate <= 0 ? "" : Report.keptUp(samples, rate),
                    smsFloor(rate), ""), after.since(cpu), extra);
            printPushDelay(pushedBefore, pushedAfter, Hops.EVENT_STREAM, "event_stream");
        } finally {
            for (AutoCloseable stream : streams) {
                try {
                    stream.close();
                } catch (Exception e) {
                    // the stream is gone either way
                }
            }
        }
    }

    /** A code the event stream should bring, and its sample (by verification id). */
    private record Streamed(String code, CompletableFuture<Integer> seen) {
    }

    private CompletableFuture<Integer> smsWithEventStream(Fixture.Verification v, int i,
            Map<String, Streamed> expected) {
        String code = Integer.toString(10000 + i % 90000);
        CompletableFuture<Integer> seen = new CompletableFuture<>();
        expected.put(v.id(), new Streamed(code, seen));
        sendCode(v, code, seen);
        return seen.completeOnTimeout(Samples.NOT_SEEN, (long) (settings.codeTimeoutSeconds * 1000),
                TimeUnit.MILLISECONDS).whenComplete((status, error) -> expected.remove(v.id()));
    }

    // ── webhooks ─────────────────────────────────────────────────────────────────────────────────────────────────

    private void webhooks(List<Fixture.Verification> reserved) throws Exception {
        report.heading("Webhook delivery: SMS → signed POST sms.received received by a local receiver");
        Fixture.Account account = fixture.accounts.get(0);
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            ObjectNode body = Api.object().put("url", receiver.url());
            body.putArray("events").add("sms.received");
            JsonNode hook = api.postNow("/v1/webhooks", account.session(), body).expect(201, "POST /v1/webhooks")
                    .json();
            receiver.secret(hook.path("secret").asText());
            try {
                int one = Math.min(settings.webhookOneAtATime, reserved.size());
                webhookRun(receiver, reserved.subList(0, one), 0, "one at a time");
                webhookRun(receiver, reserved.subList(one, reserved.size()), settings.webhookRate,
                        String.format("open %d/s for %.0f s", (long) settings.webhookRate, settings.webhookSeconds));
                report.print(String.format("  receiver: %,d deliveries, %,d with a bad signature", receiver.received(),
                        receiver.badSignatures()));
            } finally {
                api.delete("/v1/webhooks/" + hook.path("id").asText(), account.session()).join();
            }
        }
    }

    private void webhookRun(WebhookReceiver receiver, List<Fixture.Verification> vs, double rate, String load) {
        if (vs.isEmpty()) {
            report.note("Webhook delivery, " + load + ": no waiting verification left, not measured");
            return;
        }
        long timeout = (long) (settings.codeTimeoutSeconds * 1000);
        Load.Op op = (i, due) -> {
            Fixture.Verification v = vs.get(i);
            String code = Integer.toString(10000 + i % 90000);
            ObjectNode sms = Api.object().put("to", v.number()).put("from", "Telegram")
                    .put("text", Fixture.smsText(code));
            return api.post("/v1/ingest/messages", fixture.gatewayToken, sms)
                    .thenCompose(r -> r.status() == 202
                            ? receiver.expect(v.id()).completeOnTimeout(Samples.NOT_SEEN, timeout,
                                    TimeUnit.MILLISECONDS)
                            : done(r.status()));
        };
        Machine.Cpu cpu = Machine.Cpu.now();
        Samples samples = rate <= 0
                ? Load.closed(1, vs.size(), Duration.ofMinutes(10), op)
                : Load.open(rate, vs.size(), settings.maxInFlight,
                        Duration.ofSeconds((long) (settings.drainSeconds + settings.codeTimeoutSeconds)), op);
        Samples.Summary s = samples.summary(0, samples.size());
        Report.Floor floor = new Report.Floor("gateway hop + commit + 2 × " + floors.kafkaName(rate)
                + " + 2 commits + a direct HTTP request",
                floors.http() + 3 * floors.commit() + 2 * floors.kafka(rate) + floors.directHttp());
        report.add(new Report.Row("SMS → webhook received", load, "webhooks", s,
                rate <= 0 ? s.achievedRate() : s.completionRate(), rate <= 0 ? "" : Report.keptUp(samples, rate),
                floor, ""), Machine.Cpu.now().since(cpu), "");
    }

    // ── polls, batches, cancels ──────────────────────────────────────────────────────────────────────────────────

    private void polls() {
        report.heading("Polling: GET /v1/verifications/{id}");
        List<Fixture.Verification> all = new ArrayList<>(fixture.bought);
        Machine.Cpu cpu = Machine.Cpu.now();
        Samples samples = Load.closed(settings.concurrency, settings.requests, Duration.ofMinutes(5), (i, due) -> {
            Fixture.Verification v = all.get(i % all.size());
            return code(api.get("/v1/verifications/" + v.id(), fixture.key(v.account())));
        });
        Samples.Summary s = samples.summary(0, samples.size());
        report.add(new Report.Row("GET /v1/verifications/{id}", settings.concurrency + " clients", "req", s,
                s.achievedRate(), "", new Report.Floor("GET /v1/services through the gateway at "
                        + settings.concurrency + " clients", floors.gatewayMany.p50()),
                ""),
                Machine.Cpu.now().since(cpu), "");
    }

    private void batches() {
        report.heading("Batch ingest: POST /v1/ingest/messages/batch, 100 SMS each (numbers nobody bought)");
        AtomicLong smsAccepted = new AtomicLong();
        List<String> numbers = fixture.spareNumbers;
        Machine.Cpu cpu = Machine.Cpu.now();
        Samples samples = Load.closed(settings.batchClients, settings.batches, Duration.ofMinutes(5), (i, due) -> {
            ArrayNode batch = Api.JSON.createArrayNode();
            for (int m = 0; m < 100; m++) {
                batch.addObject().put("to", numbers.get((i * 100 + m) % numbers.size())).put("from", "WhatsApp")
                        .put("text", "Your WhatsApp code: " + (100 + i % 900) + "-" + (100 + m) + " (" + fixture.run
                                + ")");
            }
            return api.post("/v1/ingest/messages/batch", fixture.gatewayToken, batch).thenApply(r -> {
                if (r.status() == 202) {
                    smsAccepted.addAndGet(r.json().path("accepted").asLong());
                }
                return r.status();
            });
        });
        Samples.Summary s = samples.summary(0, samples.size());
        double seconds = (s.lastFinished() - s.firstDue()) / 1e9;
        double smsPerSecond = seconds <= 0 ? 0 : smsAccepted.get() / seconds;
        report.add(new Report.Row("POST /v1/ingest/messages/batch (100 SMS)", settings.batchClients + " clients",
                "SMS", s, smsPerSecond, "", new Report.Floor("gateway hop + 100 commits",
                        floors.http() + 100 * floors.commit()),
                String.format("%,.0f SMS/s = %.0f %% of PostgreSQL's %,.0f commits/s (one transaction per SMS)",
                        smsPerSecond, 100 * smsPerSecond / floors.commitsPerSecond(), floors.commitsPerSecond())),
                Machine.Cpu.now().since(cpu).over(smsAccepted.get()), String.format("%,d SMS accepted",
                        smsAccepted.get()));
    }

    private void cancels(List<Fixture.Verification> vs) {
        report.heading("Cancels: POST /v1/verifications/{id}/cancel (refund by event)");
        if (vs.isEmpty()) {
            report.note("Cancels: no waiting verification left, not measured");
            return;
        }
        Machine.Cpu cpu = Machine.Cpu.now();
        Samples samples = Load.closed(settings.concurrency, vs.size(), Duration.ofMinutes(5), (i, due) -> {
            Fixture.Verification v = vs.get(i);
            return code(api.post("/v1/verifications/" + v.id() + "/cancel", fixture.key(v.account()), ""));
        });
        Samples.Summary s = samples.summary(0, samples.size());
        report.add(new Report.Row("POST /v1/verifications/{id}/cancel", settings.concurrency + " clients", "req", s,
                s.achievedRate(), "", new Report.Floor("gateway hop + commit", floors.http() + floors.commit()), ""),
                Machine.Cpu.now().since(cpu), "");
    }

    // ── the money invariant ──────────────────────────────────────────────────────────────────────────────────────

    /**
     * Cancels every verification still waiting, then waits until each account's balance (read through the API) equals
     * its deposits minus the price of the codes it received (also read through the API: its history).
     */
    private boolean moneyInvariant() {
        report.heading("Money invariant: balance = deposits − price of the codes delivered, per account");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos((long) settings.invariantTimeoutSeconds);
        Map<Integer, String> lines = new TreeMap<>();
        boolean allEqual = false;
        int cancelled = 0;
        while (true) {
            for (Fixture.Account account : fixture.accounts) {
                cancelled += cancelWaiting(account);
            }
            allEqual = true;
            for (Fixture.Account account : fixture.accounts) {
                long[] received;
                long balance;
                try {
                    received = received(account);
                    balance = api.getNow("/v1/wallet", account.session()).expect(200, "GET /v1/wallet").json()
                            .path("balance_cents").asLong();
                } catch (IllegalStateException unanswered) {
                    // a read that was not answered says nothing about the money: read again (printed as a stall)
                    report.print("  account " + account.index() + ": a read failed, read again: "
                            + unanswered.getMessage());
                    allEqual = false;
                    continue;
                }
                long expected = account.deposited() - received[1];
                boolean equal = balance == expected;
                allEqual &= equal;
                lines.put(account.index(), String.format("  account %d: deposited %,d, %,d codes delivered costing %,d"
                        + " → expected %,d, balance %,d: %s", account.index(), account.deposited(), received[0],
                        received[1], expected, balance, equal ? "PASS" : "FAIL"));
            }
            if (allEqual || System.nanoTime() > deadline) {
                break;
            }
            Load.sleep(Duration.ofSeconds(3)); // refunds travel by events
        }
        report.print(String.format("  cancelled %,d verifications still waiting", cancelled));
        lines.values().forEach(report::print);
        return allEqual;
    }

    private int cancelWaiting(Fixture.Account account) {
        int cancelled = 0;
        for (int pages = 0; pages < 500; pages++) {
            JsonNode page = api.getNow("/v1/verifications?tab=active&limit=200", account.session())
                    .expect(200, "GET /v1/verifications?tab=active").json();
            if (page.isEmpty()) {
                return cancelled;
            }
            List<CompletableFuture<Api.Response>> calls = new ArrayList<>();
            for (JsonNode v : page) {
                calls.add(api.post("/v1/verifications/" + v.path("id").asText() + "/cancel",
                        fixture.key(account.index()), ""));
                if (calls.size() == 16) {
                    calls.forEach(CompletableFuture::join);
                    calls.clear();
                }
            }
            calls.forEach(CompletableFuture::join);
            cancelled += page.size();
        }
        return cancelled;
    }

    /** {count, cost} of the account's verifications that received their code. */
    private long[] received(Fixture.Account account) {
        long count = 0;
        long cost = 0;
        String before = null;
        while (true) {
            JsonNode page = api.getNow("/v1/verifications?tab=history&limit=200"
                    + (before == null ? "" : "&before=" + before), account.session())
                    .expect(200, "GET /v1/verifications?tab=history").json();
            for (JsonNode v : page) {
                if ("received".equals(v.path("status").asText())) {
                    count++;
                    cost += v.path("cost_cents").asLong();
                }
                before = v.path("id").asText();
            }
            if (page.size() < 200) {
                return new long[]{count, cost};
            }
        }
    }

    /** This checkout (bench/target/classes → the repository): the stack's processes run from it. */
    private static String repositoryRoot() {
        try {
            java.nio.file.Path classes = java.nio.file.Path
                    .of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.getParent().getParent().getParent().toString() + "/";
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return "/";
        }
    }

    // ── helpers ──────────────────────────────────────────────────────────────────────────────────────────────────

    private static CompletableFuture<Integer> code(CompletableFuture<Api.Response> response) {
        return response.thenApply(Api.Response::status);
    }

    private static CompletableFuture<Integer> done(int status) {
        return CompletableFuture.completedFuture(status);
    }
}
