import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * FetchSMS benchmark: drives a running local stack (deploy/local/up) through the gateway, as customers would, and
 * prints throughput and latency percentiles per scenario. Run with `bench/run` (or `java bench/Bench.java`).
 *
 * Settings (environment): BENCH_URL (http://localhost:8080), BENCH_REQUESTS (2000), BENCH_CONCURRENCY (32),
 * BENCH_PURCHASES (500), BENCH_KEYS (20), BENCH_BATCHES (20 batches of 100 SMS), FETCHSMS_ADMIN_EMAIL /
 * FETCHSMS_ADMIN_PASSWORD (local defaults).
 */
public class Bench {

    static final String BASE = env("BENCH_URL", "http://localhost:8080");
    static final int REQUESTS = Integer.parseInt(env("BENCH_REQUESTS", "2000"));
    static final int CONCURRENCY = Integer.parseInt(env("BENCH_CONCURRENCY", "32"));
    static final int PURCHASES = Integer.parseInt(env("BENCH_PURCHASES", "500"));
    static final int KEYS = Integer.parseInt(env("BENCH_KEYS", "20"));
    static final int BATCHES = Integer.parseInt(env("BENCH_BATCHES", "20"));
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Result(String name, int requests, double seconds, Map<Integer, Integer> statuses, List<Long> micros) {
        void print() {
            Collections.sort(micros);
            System.out.printf("%-42s %6d req  %7.1f req/s  p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %6.1f ms  %s%n",
                    name, requests, requests / seconds, pct(0.50), pct(0.95), pct(0.99),
                    micros.get(micros.size() - 1) / 1000.0, statuses);
        }

        double pct(double p) {
            return micros.get(Math.min(micros.size() - 1, (int) Math.ceil(p * micros.size()) - 1)) / 1000.0;
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.printf("FetchSMS benchmark against %s, concurrency %d, %d cores, %s%n", BASE, CONCURRENCY,
                Runtime.getRuntime().availableProcessors(), java.time.Instant.now());

        // set-up through the public API: numbers, a customer with money and an API key
        String admin = login(env("FETCHSMS_ADMIN_EMAIL", "admin@fetchsms.local"),
                env("FETCHSMS_ADMIN_PASSWORD", "admin-password"));
        String area = String.valueOf(200 + (int) (Math.random() * 700)).replace('1', '2');
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < PURCHASES + 100; i++) {
            numbers.add(String.format("\"+1%s%03d%04d\"", area, 200 + i / 10000, i % 10000));
        }
        // a modem gateway serves every number; its token reports the SMS
        String gateway = expect(post("/v1/admin/gateways", admin, "{\"name\":\"bench-" + UUID.randomUUID() + "\"}"),
                201);
        String gatewayId = field(gateway, "id");
        String gatewayToken = field(gateway, "token");
        expect(post("/v1/admin/numbers", admin, "{\"gateway_id\":\"" + gatewayId + "\",\"numbers\":["
                + String.join(",", numbers) + "]}"), 201);
        String email = "bench-" + UUID.randomUUID() + "@example.com";
        expect(post("/v1/auth/signup", null, "{\"email\":\"" + email + "\",\"password\":\"benchmark-password\"}"),
                201);
        String session = login(email, "benchmark-password");
        expect(post("/v1/wallet/deposits", session, "{\"amount_cents\":" + (PURCHASES * 80L) + ",\"method\":\"card\"}"),
                201);
        // the API allows 100 requests per second per key: the load is spread over several keys of one account, as a
        // busy integration would do
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            keys.add(field(expect(post("/v1/api-keys", session, "{\"name\":\"bench-" + k + "\"}"), 201), "key"));
        }
        Thread.sleep(1500); // the key reaches verification-service's view through the topic

        // warm-up, then the measured scenarios
        run("warm-up", 300, i -> get("/v1/services", null));
        run("GET /v1/services (public catalog)", REQUESTS, i -> get("/v1/services", null)).print();
        run("GET /v1/services/quote", REQUESTS,
                i -> get("/v1/services/quote?service=1&mode=long&days=" + new int[] {1, 7, 30, 90, 365}[i % 5], null))
                .print();
        run("GET /v1/wallet (session JWT)", REQUESTS, i -> get("/v1/wallet", session)).print();
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        Map<String, String> numberOf = new ConcurrentHashMap<>();
        run("POST /v1/verifications (API key, full saga)", PURCHASES, i -> {
            HttpResponse<String> r = post("/v1/verifications", keys.get(i % KEYS),
                    "{\"service\":4,\"area_code\":\"" + area + "\"}");
            if (r.statusCode() == 201) {
                String id = field(r.body(), "id");
                numberOf.put(id, "+1" + field(r.body(), "number").replaceAll("[^0-9]", ""));
                ids.add(id);
            }
            return r;
        }).print();
        run("GET /v1/verifications/{id} (polling)", REQUESTS,
                i -> get("/v1/verifications/" + ids.get(i % ids.size()), keys.get(i % KEYS))).print();

        // the modem gateway reports the code for half of the verifications; each client then polls until it sees it:
        // the latency is SMS posted → code visible to the customer (ingest, outbox, Kafka, verification, polling)
        int released = ids.size() / 2;
        run("SMS in → code polled out (end to end)", released, i -> {
            String id = ids.get(i);
            HttpResponse<String> r = post("/v1/ingest/messages", gatewayToken, "{\"to\":\"" + numberOf.get(id)
                    + "\",\"from\":\"Telegram\",\"text\":\"Telegram code: " + (10000 + i) + ". Do not give it to anyone\"}");
            if (r.statusCode() != 202) {
                return r;
            }
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            HttpResponse<String> poll;
            do {
                poll = get("/v1/verifications/" + id, keys.get(i % KEYS));
                if (poll.body().contains("\"code\":\"" + (10000 + i) + "\"")) {
                    return poll;
                }
                sleep(20);
            } while (System.nanoTime() < until);
            return poll.statusCode() == 200 ? timeout(poll) : poll;
        }).print();
        // ingest throughput: batches of 100 SMS for numbers nobody bought (detected, published, no code released)
        run("POST /v1/ingest/messages/batch (100 SMS each)", BATCHES, i -> {
            StringBuilder batch = new StringBuilder("[");
            for (int m = 0; m < 100; m++) {
                String number = numbers.get(PURCHASES + (i * 100 + m) % 100).replace("\"", "");
                batch.append(m == 0 ? "" : ",").append("{\"to\":\"").append(number)
                        .append("\",\"from\":\"WhatsApp\",\"text\":\"Your WhatsApp code: ")
                        .append(100 + i).append('-').append(100 + m).append("\"}");
            }
            return post("/v1/ingest/messages/batch", gatewayToken, batch.append(']').toString());
        }).print();

        run("POST /v1/verifications/{id}/cancel (half have their code: 409)", ids.size(),
                i -> post("/v1/verifications/" + ids.get(i) + "/cancel", keys.get(i % KEYS), "")).print();
        long expected = PURCHASES * 80L - released * 80L;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String balance;
        do {
            balance = field(get("/v1/wallet", session).body(), "balance_cents");
            Thread.sleep(200);
        } while (!balance.equals(String.valueOf(expected)) && System.nanoTime() < deadline);
        System.out.printf("after the codes and the cancellations the wallet holds %s cents, expected %d (%d deposited,"
                + " %d codes paid; refunds by events)%n", balance, expected, PURCHASES * 80L, released);
    }

    static Result run(String name, int count, IntFunction<HttpResponse<String>> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < CONCURRENCY; w++) {
            workers.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = call.apply(i);
                    micros.add((System.nanoTime() - t0) / 1000);
                    statuses.merge(r.statusCode(), 1, Integer::sum);
                }
            }));
        }
        for (var w : workers) {
            w.get();
        }
        pool.shutdown();
        return new Result(name, count, (System.nanoTime() - start) / 1e9, new TreeMap<>(statuses), micros);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A poll that never saw the code, counted under the pseudo-status 599. */
    static HttpResponse<String> timeout(HttpResponse<String> last) {
        return new HttpResponse<>() {
            public int statusCode() {
                return 599;
            }

            public HttpRequest request() {
                return last.request();
            }

            public java.util.Optional<HttpResponse<String>> previousResponse() {
                return java.util.Optional.empty();
            }

            public java.net.http.HttpHeaders headers() {
                return last.headers();
            }

            public String body() {
                return last.body();
            }

            public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
                return java.util.Optional.empty();
            }

            public URI uri() {
                return last.uri();
            }

            public HttpClient.Version version() {
                return last.version();
            }
        };
    }

    static String login(String email, String password) {
        return field(expect(post("/v1/auth/login", null,
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}"), 200), "token");
    }

    static HttpResponse<String> get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(BASE + path)).GET(), token);
    }

    static HttpResponse<String> post(String path, String token, String body) {
        return send(HttpRequest.newBuilder(URI.create(BASE + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), token);
    }

    static HttpResponse<String> send(HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]*)\"?").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
