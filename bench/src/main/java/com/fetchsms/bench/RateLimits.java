package com.fetchsms.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@code BENCH_ONLY=ratelimit}: the per-credential rate limit, shared by every replica of a service (decision 0030).
 * <ol>
 * <li>Its cost: {@code BENCH_RATELIMIT_CHEAP_RATE} requests a second (open loop) over {@code BENCH_RATELIMIT_CHEAP_KEYS}
 * API keys, each well below the limit, after {@code BENCH_RATELIMIT_CHEAP_WARMUP} not measured; a limited request that
 * does little else ({@code GET /v1/verifications/<unknown id>}, a 404 after the key's bucket and one lookup),
 * through the gateway; latency, and the CPU per request of verification-service, PostgreSQL and the gateway (run it on two builds to
 * compare them).</li>
 * <li>That it holds: one key driven above the limit ({@code BENCH_RATELIMIT_RATE}/s for
 * {@code BENCH_RATELIMIT_SECONDS}) through the gateway, then spread evenly over the replicas of
 * {@code BENCH_RATELIMIT_REPLICAS} (base URLs of verification-service replicas sharing one database, e.g. those that
 * {@code FETCHSMS_REPLICAS=verification=3 deploy/local/up} starts); the allowed rate printed against the limit
 * ({@code BENCH_RATELIMIT_LIMIT}, the service's {@code fetchsms.rate-limit.requests-per-second}).</li>
 * </ol>
 */
final class RateLimits {

    private final Api api;
    private final Settings settings;
    private final Report report;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private String session;

    RateLimits(Api api, Settings settings, Report report) {
        this.api = api;
        this.settings = settings;
        this.report = report;
    }

    /** Runs the scenario; true when every replica set allowed no more than the limit's arithmetic. */
    boolean run() {
        report.heading("Rate limit (decision 0030): one bucket per API key, shared by every replica");
        String email = "bench-ratelimit-" + run + "@example.com";
        api.postNow("/v1/auth/signup", null, Api.object().put("email", email).put("password", Fixture.PASSWORD))
                .expect(201, "POST /v1/auth/signup");
        session = Fixture.login(api, email, Fixture.PASSWORD);

        cost();
        boolean held = holds("1 replica, through the gateway", List.of(api));
        List<String> replicas = settings.rateLimitReplicas;
        if (!replicas.isEmpty()) {
            List<Api> direct = new ArrayList<>();
            replicas.forEach(url -> direct.add(new Api(url)));
            held &= holds(replicas.size() + " replicas, spread evenly", direct);
        } else {
            report.print("  (BENCH_RATELIMIT_REPLICAS unset: no run over several replicas; start them with "
                    + "FETCHSMS_REPLICAS=verification=3 deploy/local/up)");
        }
        return held;
    }

    private void cost() {
        // many keys, each well below the limit, so every request is allowed and the rate is high enough for the CPU
        // of the processes it crosses to be its own, not their idle work
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < settings.rateLimitCheapKeys; k++) {
            keys.add(newKey("cost-" + k));
        }
        double rate = settings.rateLimitCheapRate;
        int count = (int) (rate * settings.rateLimitSeconds);
        // warm-up, not measured: the path compiled before it is measured (a JVM runs it interpreted at first)
        Load.closed(8, settings.rateLimitCheapWarmup, Duration.ofMinutes(3),
                (i, due) -> allowed(api.get(unknownVerification(), keys.get(i % keys.size()))));
        Load.sleep(Duration.ofSeconds(2));
        for (int round = 1; round <= 2; round++) {
            Machine.Cpu cpu = Machine.Cpu.now();
            Samples limited = Load.open(rate, count, settings.maxInFlight, Duration.ofSeconds(10),
                    (i, due) -> allowed(api.get(unknownVerification(), keys.get(i % keys.size()))));
            Machine.Cpu after = Machine.Cpu.now();
            Machine.Use used = after.since(cpu).over(-1);
            Samples.Summary l = limited.summary(0, limited.size());
            report.add(new Report.Row("GET /v1/verifications/<unknown> (rate limited, 404), round " + round,
                    (long) rate + "/s over " + keys.size() + " keys", "req", l, l.completionRate(),
                    Report.keptUp(limited, rate), Report.Floor.NONE, ""), used,
                    String.format("verification-service %.0f µs/req, PostgreSQL %.0f µs/req, gateway %.0f µs/req",
                            perRequest(cpu, after, "verification-service", l),
                            perRequest(cpu, after, Machine.POSTGRESQL, l), perRequest(cpu, after, "gateway", l)));
        }
    }

    /** CPU microseconds of one process (all of its replicas) per successful request between two readings. */
    private static double perRequest(Machine.Cpu before, Machine.Cpu after, String process, Samples.Summary s) {
        double seconds = after.stack().getOrDefault(process, 0.0) - before.stack().getOrDefault(process, 0.0);
        return s.succeeded() == 0 ? 0 : seconds * 1e6 / s.succeeded();
    }

    /** One key above the limit, spread evenly over {@code targets}: allowed requests per second against the limit. */
    private boolean holds(String where, List<Api> targets) {
        String key = newKey("holds");
        Load.sleep(Duration.ofSeconds(2)); // the request that found the key accepted is back in its full bucket
        double rate = settings.rateLimitRate;
        int count = (int) (rate * settings.rateLimitSeconds);
        Samples samples = Load.open(rate, count, settings.maxInFlight, Duration.ofSeconds(10),
                (i, due) -> allowed(targets.get(i % targets.size()).get(unknownVerification(), key)));
        Samples.Summary all = samples.summary(0, samples.size());
        int allowed = all.statuses().getOrDefault("200", 0);
        int refused = all.statuses().getOrDefault("429", 0);
        // the window in which the bucket was asked: from the first request sent to the last answer
        double seconds = (all.lastFinished() - all.firstDue()) / 1e9;
        int limit = settings.rateLimitLimit;
        long most = limit + (long) Math.floor(limit * seconds) + 1;
        boolean held = allowed <= most;
        report.print(String.format("  %-32s offered %,5.0f/s for %4.1f s: %,6d allowed, %,6d refused (429), other %s",
                where, rate, seconds, allowed, refused, otherStatuses(all)));
        report.print(String.format("  %-32s allowed %,7.1f/s after the burst, limit %d/s; the bucket allows at most "
                + "%,d (%d burst + %d/s × %.1f s): %s", "", (allowed - limit) / seconds, limit, most, limit, limit,
                seconds, held ? "HELD" : "EXCEEDED"));
        return held;
    }

    private String newKey(String name) {
        String key = api.postNow("/v1/api-keys", session, Api.object().put("name", "bench-ratelimit-" + name))
                .expect(201, "POST /v1/api-keys").json().path("key").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (api.getNow(unknownVerification(), key).status() != 404) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the API key was not accepted within 60 s");
            }
            Load.sleep(Duration.ofMillis(200));
        }
        return key;
    }

    private static String unknownVerification() {
        return "/v1/verifications/" + UUID.randomUUID();
    }

    private static String otherStatuses(Samples.Summary s) {
        StringBuilder other = new StringBuilder();
        s.statuses().forEach((status, n) -> {
            if (!status.equals("200") && !status.equals("429")) {
                other.append(other.length() == 0 ? "" : ", ").append(n).append(" × ").append(status);
            }
        });
        return other.length() == 0 ? "none" : other.toString();
    }

    /** An allowed request (404: the limiter let it through to the route) counts as a success (200); others as is. */
    private static CompletableFuture<Integer> allowed(CompletableFuture<Api.Response> response) {
        return response.thenApply(r -> r.status() == 404 ? 200 : r.status());
    }
}
