package com.fetchsms.bench;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the benchmark does and against what, from the environment. {@code BENCH_PROFILE=quick} (default, about three
 * minutes) or {@code full} (ten to fifteen) chooses the sizes; each {@code BENCH_*} variable below overrides one.
 */
public final class Settings {

    final boolean full;
    /**
     * {@code all} (default), {@code floors} (Kafka, PostgreSQL, gateway), {@code kafka} (no stack needed), or
     * {@code pages} (the set-up, the floors and the dashboard pages, idle and with their purchases alongside).
     */
    final String only;
    final String url;
    final String catalogUrl;
    final String verificationUrl;
    /** Every service's own address, for its metrics (the hops between services are measured inside them). */
    final java.util.List<String> metricsUrls;
    final String kafka;
    final String pgHost;
    final int pgPort;
    final String pgUser;
    final String pgPassword;
    final String adminEmail;
    final String adminPassword;

    final int concurrency;
    final int accounts;
    final int keysPerAccount;
    final int maxInFlight;
    final double drainSeconds;

    final int warmupRequests;
    final int warmupPurchases;
    final int floorOneAtATime;
    final double[] kafkaRates;
    final double floorRateSeconds;
    final int pgOneClient;
    final int pgClients;
    final int pgManyClients;
    final int gatewayOneClient;
    final int gatewayManyClients;

    final int purchases;
    final double[] purchaseRates;
    final double purchaseRateSeconds;
    final int longPurchases;
    final int longWindow;

    final int streams;
    final int streamsPerAccount;
    final double streamsHoldSeconds;

    final int smsOneAtATime;
    final double[] smsRates;
    final double[] smsSeconds;
    final double pollIntervalMs;
    final double pollBudget;
    final double codeTimeoutSeconds;
    final double[] pushRates;
    final double[] pushSeconds;
    final int pushWaitSeconds;

    final int hopRounds;
    final double hopPauseMs;

    final int webhookOneAtATime;
    final double webhookRate;
    final double webhookSeconds;

    /** Dashboard pages per second (0: not measured), for how long, and the purchases per second alongside (0: none). */
    final double pageRate;
    final double pageSeconds;
    final double pagePurchaseRate;
    final int pageWarmup;

    /**
     * BENCH_ONLY=ratelimit: the limit configured (per second per credential), the rate one key is driven at above it and
     * for how long, the cost measurement (its rate over its keys, each below the limit, after its warm-up), and
     * verification-service replicas to drive directly.
     */
    final int rateLimitLimit;
    final double rateLimitRate;
    final double rateLimitSeconds;
    final double rateLimitCheapRate;
    final int rateLimitCheapKeys;
    final int rateLimitCheapWarmup;
    final List<String> rateLimitReplicas;

    /** Polls measured, after {@code pollWarmup} polls not measured (the poll path compiled first). */
    final int requests;
    final int pollWarmup;
    final int batches;
    final int batchClients;
    final int cancels;
    final double invariantTimeoutSeconds;

    private final Map<String, String> shown = new LinkedHashMap<>();

    private Settings(Map<String, String> env) {
        String profile = env.getOrDefault("BENCH_PROFILE", "quick").trim();
        if (!profile.equals("quick") && !profile.equals("full")) {
            throw new IllegalArgumentException("BENCH_PROFILE must be quick or full, got '" + profile + "'");
        }
        full = profile.equals("full");
        shown.put("BENCH_PROFILE", profile);
        Reader r = new Reader(env, full);
        only = r.text("BENCH_ONLY", "all");
        if (!List.of("all", "floors", "kafka", "pages", "purchases", "sms", "polls", "ratelimit", "streams")
                .contains(only)) {
            throw new IllegalArgumentException("BENCH_ONLY must be all, floors, kafka, pages, purchases, sms, polls,"
                    + " ratelimit or streams, got '" + only + "'");
        }
        url = local(r.text("BENCH_URL", "http://localhost:8080"));
        catalogUrl = local(r.text("BENCH_CATALOG_URL", "http://127.0.0.1:8081"));
        verificationUrl = local(r.text("BENCH_VERIFICATION_URL", "http://127.0.0.1:8083"));
        metricsUrls = Arrays.stream(r.text("BENCH_METRICS_URLS", "http://127.0.0.1:8081,http://127.0.0.1:8082,"
                + "http://127.0.0.1:8083,http://127.0.0.1:8084,http://127.0.0.1:8085,http://127.0.0.1:8086")
                .split(",")).map(String::trim).filter(u -> !u.isEmpty()).map(Settings::local).toList();
        kafka = r.text("BENCH_KAFKA", "127.0.0.1:9092");
        local("kafka://" + kafka);
        pgHost = r.text("PGHOST", "127.0.0.1");
        local("postgresql://" + pgHost);
        pgPort = r.integer("PGPORT", 5432, 5432);
        pgUser = r.text("PGUSER", "postgres");
        pgPassword = env.getOrDefault("PGPASSWORD", "");
        adminEmail = env.getOrDefault("FETCHSMS_ADMIN_EMAIL", "admin@fetchsms.local");
        adminPassword = env.getOrDefault("FETCHSMS_ADMIN_PASSWORD", "admin-password");

        concurrency = r.integer("BENCH_CONCURRENCY", 32, 32);
        accounts = r.integer("BENCH_ACCOUNTS", 4, 4);
        keysPerAccount = r.integer("BENCH_KEYS", 12, 12);
        maxInFlight = r.integer("BENCH_MAX_IN_FLIGHT", 512, 512);
        drainSeconds = r.decimal("BENCH_DRAIN_SECONDS", 10, 30);

        warmupRequests = r.integer("BENCH_WARMUP_REQUESTS", 1000, 3000);
        // enough for the JIT to compile the purchase and SMS paths before anything is measured: with 100 purchases and 50 SMS
        // the first scenarios ran partly interpreted (compiler threads took a fifth of a service's CPU during them)
        warmupPurchases = r.integer("BENCH_WARMUP_PURCHASES", 1000, 3000);
        floorOneAtATime = r.integer("BENCH_FLOOR_REQUESTS", 300, 1000);
        kafkaRates = r.rates("BENCH_KAFKA_RATES", "50,200,500", "50,200,500");
        floorRateSeconds = r.decimal("BENCH_FLOOR_SECONDS", 5, 15);
        pgOneClient = r.integer("BENCH_PG_REQUESTS", 500, 2000);
        pgClients = r.integer("BENCH_PG_CLIENTS", 32, 32);
        pgManyClients = r.integer("BENCH_PG_MANY_REQUESTS", 5000, 20000);
        gatewayOneClient = r.integer("BENCH_GATEWAY_REQUESTS", 500, 2000);
        gatewayManyClients = r.integer("BENCH_GATEWAY_MANY_REQUESTS", 3000, 10000);

        rateLimitLimit = r.integer("BENCH_RATELIMIT_LIMIT", 100, 100);
        rateLimitRate = r.decimal("BENCH_RATELIMIT_RATE", 300, 300);
        rateLimitSeconds = r.decimal("BENCH_RATELIMIT_SECONDS", 10, 30);
        rateLimitCheapRate = r.decimal("BENCH_RATELIMIT_CHEAP_RATE", 400, 400);
        rateLimitCheapKeys = r.integer("BENCH_RATELIMIT_CHEAP_KEYS", 20, 20);
        rateLimitCheapWarmup = r.integer("BENCH_RATELIMIT_CHEAP_WARMUP", 10000, 30000);
        rateLimitReplicas = Arrays.stream(r.text("BENCH_RATELIMIT_REPLICAS", "").split(",")).map(String::trim)
                .filter(u -> !u.isEmpty()).map(Settings::local).toList();
        purchases = r.integer("BENCH_PURCHASES", 300, 1000);
        purchaseRates = r.rates("BENCH_PURCHASE_RATES", "100,200", "100,200");
        purchaseRateSeconds = r.decimal("BENCH_PURCHASE_SECONDS", 5, 20);
        longPurchases = r.integer("BENCH_LONG_PURCHASES", 1000, 20000);
        longWindow = r.integer("BENCH_LONG_WINDOW", Math.min(2000, longPurchases / 4),
                Math.min(2000, longPurchases / 4));

        // BENCH_ONLY=streams: idle event streams (issue #15); per account at most the service's cap (5 by default), and
        // held for two heartbeats (fetchsms.events.heartbeat, 15 s)
        streams = r.integer("BENCH_STREAMS", 1000, 1000);
        streamsPerAccount = r.integer("BENCH_STREAMS_PER_ACCOUNT", 5, 5);
        streamsHoldSeconds = r.decimal("BENCH_STREAMS_HOLD_SECONDS", 35, 35);
        if (streams < 1 || streamsPerAccount < 1 || !(streamsHoldSeconds > 0)) {
            throw new IllegalArgumentException("BENCH_STREAMS and BENCH_STREAMS_PER_ACCOUNT must be at least 1 and "
                    + "BENCH_STREAMS_HOLD_SECONDS positive");
        }

        smsOneAtATime = r.integer("BENCH_SMS_ONE_AT_A_TIME", 20, 200);
        smsRates = r.rates("BENCH_SMS_RATES", "50,200,500", "50,200,500");
        smsSeconds = r.rates("BENCH_SMS_SECONDS", "5,5,2", "20,60,10");
        if (smsSeconds.length != smsRates.length) {
            throw new IllegalArgumentException("BENCH_SMS_SECONDS needs one duration per rate of BENCH_SMS_RATES");
        }
        pollIntervalMs = r.decimal("BENCH_POLL_INTERVAL_MS", 5, 5);
        pollBudget = r.decimal("BENCH_POLL_BUDGET", 600, 600);
        codeTimeoutSeconds = r.decimal("BENCH_CODE_TIMEOUT_SECONDS", 20, 30);
        pushRates = r.rates("BENCH_PUSH_RATES", "200", "50,200");
        pushSeconds = r.rates("BENCH_PUSH_SECONDS", "5", "20,30");
        if (pushSeconds.length != pushRates.length) {
            throw new IllegalArgumentException("BENCH_PUSH_SECONDS needs one duration per rate of BENCH_PUSH_RATES");
        }
        pushWaitSeconds = r.integer("BENCH_PUSH_WAIT_SECONDS", 25, 25);

        hopRounds = r.integer("BENCH_HOP_ROUNDS", 20, 50);
        hopPauseMs = r.decimal("BENCH_HOP_PAUSE_MS", 250, 250);

        webhookOneAtATime = r.integer("BENCH_WEBHOOKS_ONE_AT_A_TIME", 10, 30);
        webhookRate = r.decimal("BENCH_WEBHOOK_RATE", 20, 20);
        webhookSeconds = r.decimal("BENCH_WEBHOOK_SECONDS", 3, 15);

        pageRate = r.decimal("BENCH_PAGE_RATE", 20, 20);
        pageSeconds = r.decimal("BENCH_PAGE_SECONDS", 10, 30);
        // purchases alongside the pages: a load the purchase path carries on this 2-core machine on a slow day (its
        // capacity there is 40-130/s), so that the pages are judged beside a busy shop, not behind an overloaded one
        pagePurchaseRate = r.decimal("BENCH_PAGE_PURCHASE_RATE", 30, 30);
        pageWarmup = r.integer("BENCH_PAGE_WARMUP", 2000, 3000);
        if (pageRate < 0 || pagePurchaseRate < 0 || !(pageSeconds > 0) || pageWarmup < 0) {
            throw new IllegalArgumentException("BENCH_PAGE_RATE, BENCH_PAGE_PURCHASE_RATE and BENCH_PAGE_WARMUP cannot"
                    + " be negative, and BENCH_PAGE_SECONDS must be positive");
        }

        requests = r.integer("BENCH_REQUESTS", 3000, 10000);
        pollWarmup = r.integer("BENCH_POLL_WARMUP", 20000, 20000);
        if (pollWarmup < 0) {
            throw new IllegalArgumentException("BENCH_POLL_WARMUP cannot be negative");
        }
        batches = r.integer("BENCH_BATCHES", 10, 50);
        batchClients = r.integer("BENCH_BATCH_CLIENTS", 4, 4);
        cancels = r.integer("BENCH_CANCELS", 200, 1000);
        invariantTimeoutSeconds = r.decimal("BENCH_INVARIANT_TIMEOUT_SECONDS", 120, 120);
        shown.putAll(r.shown);
    }

    public static Settings fromEnvironment() {
        return new Settings(System.getenv());
    }

    static Settings of(Map<String, String> env) {
        return new Settings(env);
    }

    /** Every setting with its value, for the report. */
    Map<String, String> shown() {
        return shown;
    }

    /** Verifications the SMS, webhook and cancel scenarios consume (one waiting verification each). */
    int verificationsNeeded() {
        int n = 2 * hopRounds + smsOneAtATime + webhookOneAtATime + Schedule.count(webhookRate, webhookSeconds)
                + cancels + 50;
        for (int k = 0; k < smsRates.length; k++) {
            n += Schedule.count(smsRates[k], smsSeconds[k]);
        }
        return n;
    }

    /** Seconds the purchases run before and after the pages they are alongside (so the pages never see them start). */
    static final double PAGE_LOAD_LEAD_SECONDS = 2;

    /**
     * Purchases the dashboard pages scenario makes: one per account (a verification for its detail page), and those
     * that run alongside the pages.
     */
    int pagePurchases() {
        if (pageRate <= 0) {
            return 0;
        }
        return accounts + (pagePurchaseRate <= 0
                ? 0
                : Schedule.count(pagePurchaseRate, pageSeconds + 2 * PAGE_LOAD_LEAD_SECONDS));
    }

    /** Purchases the run may make at most (each needs a number never used for the service). */
    int purchasesAtMost() {
        if (only.equals("pages")) {
            return pagePurchases();
        }
        int n = warmupPurchases + purchases + longPurchases + pagePurchases();
        for (double rate : purchaseRates) {
            n += Schedule.count(rate, purchaseRateSeconds);
        }
        return n;
    }

    /**
     * Fresh numbers the run needs: one per purchase of the purchase phases, and one per verification bought later for
     * the code phases (polling, long poll and event stream each at their rates), webhooks and cancels, where the
     * purchases left too few waiting (a pair is sold once per service).
     */
    int numbersAtMost() {
        if (only.equals("pages")) {
            return purchasesAtMost();
        }
        int n = purchasesAtMost() + 3 * smsOneAtATime + webhookOneAtATime
                + Schedule.count(webhookRate, webhookSeconds) + cancels;
        for (int k = 0; k < smsRates.length; k++) {
            n += Schedule.count(smsRates[k], smsSeconds[k]);
        }
        for (int k = 0; k < pushRates.length; k++) {
            n += 2 * Schedule.count(pushRates[k], pushSeconds[k]);
        }
        return n;
    }

    /** The benchmark only ever targets this machine. */
    static String local(String url) {
        String host = URI.create(url).getHost();
        if (host == null || !(host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"))) {
            throw new IllegalArgumentException("The benchmark only targets localhost / 127.0.0.1, not " + url);
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static final class Reader {
        final Map<String, String> env;
        final boolean full;
        final Map<String, String> shown = new LinkedHashMap<>();

        Reader(Map<String, String> env, boolean full) {
            this.env = env;
            this.full = full;
        }

        String text(String name, String fallback) {
            String value = env.get(name);
            value = value == null || value.isBlank() ? fallback : value.trim();
            shown.put(name, value);
            return value;
        }

        int integer(String name, int quick, int full) {
            return parse(name, Integer.toString(this.full ? full : quick), Integer::parseInt);
        }

        double decimal(String name, double quick, double full) {
            return parse(name, trim(this.full ? full : quick), Double::parseDouble);
        }

        double[] rates(String name, String quick, String full) {
            return parse(name, this.full ? full : quick,
                    v -> Arrays.stream(v.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray());
        }

        private <T> T parse(String name, String fallback, Function<String, T> parser) {
            String value = text(name, fallback);
            try {
                return parser.apply(value);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(name + " cannot be '" + value + "'", e);
            }
        }

        private static String trim(double value) {
            return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
        }
    }
}
