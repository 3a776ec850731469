package com.fetchsms.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.path.json.JsonPath;

/**
 * Thousands of generated malformed and hostile requests over every public route, sent through the gateway to the
 * real stack: none may be answered 5xx, none that must be refused may be answered 2xx, and every refusal is a 4xx
 * with a JSON {@code {"detail": "…"}} (the gateway's HTTP codec, which refuses broken HTTP before any route, may
 * answer without a body or close the connection). Afterwards nothing the refused requests aimed at has changed: the
 * attacking accounts still have exactly their deposit and no purchase or webhook (nor has the test key's sandbox), the
 * victim's resources are intact, the prices are the same.
 *
 * <p>
 * Reproducible: {@code -Dfetchsms.e2e.hostile.run=<run number>} (printed at the start) generates the same requests (ids
 * and tokens are the run's own); {@code -Dfetchsms.e2e.hostile.requests=<n>} sets how many (10,500 by default).
 * Runs after every other scenario (it signs up and fails logins from one address, and sends many requests per key),
 * before the money invariant, which also checks the accounts created here.
 */
@Order(900)
class HostileInputTest extends E2eTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WORKERS = 16;
    /** Routes that hash a password (bcrypt, two threads, a queue of 32 in wallet-service): at most this many at once. */
    private static final int HASHING_IN_FLIGHT = 3;

    /** What a request must get. */
    enum Kind {
        /** 4xx only (no 2xx, no 3xx, no 5xx). */
        REFUSE,
        /** Valid if unusual: anything but 5xx. */
        ANY
    }

    /**
     * {@code statuses}: when not empty, the only statuses allowed (429 is always allowed: the rate limit may answer
     * first). {@code protocol}: broken HTTP, which the gateway's codec may refuse without a JSON body or by closing.
     */
    record Expect(Kind kind, Set<Integer> statuses, boolean protocol) {
        static final Expect REFUSE = new Expect(Kind.REFUSE, Set.of(), false);
        static final Expect ANY = new Expect(Kind.ANY, Set.of(), false);

        static Expect exactly(Integer... statuses) {
            return new Expect(Kind.REFUSE, Set.of(statuses), false);
        }

        static Expect protocol(Kind kind) {
            return new Expect(kind, Set.of(), true);
        }
    }

    /** One generated request. {@code headers} are sent as they are; Host and Content-Length are added. */
    record Case(int n, String family, String route, String method, String target, List<RawHttp.Header> headers,
            byte[] body, Expect expect, boolean fresh, boolean rawFraming) {

        String describe() {
            StringBuilder text = new StringBuilder().append('#').append(n).append(' ').append(family).append(" [")
                    .append(route).append("] ").append(expect.kind()).append(expect.statuses().isEmpty()
                            ? ""
                            : " " + expect.statuses())
                    .append("\n    ").append(method).append(' ').append(truncate(target, 300));
            for (RawHttp.Header header : headers) {
                text.append("\n    ").append(truncate(header.name(), 60)).append(": ")
                        .append(truncate(header.value(), 200));
            }
            if (body != null && body.length > 0) {
                text.append("\n    body (").append(body.length).append(" bytes): ")
                        .append(truncate(new String(body, StandardCharsets.UTF_8), 300));
            }
            return text.toString();
        }
    }

    /** The run's credentials and ids the generators use. */
    static final class Context {
        final Random random;
        final List<Customer> attackers = new ArrayList<>();
        String adminToken;
        /** A test key of one attacker (its sandbox): the sandbox's routes take nothing else. */
        String testKey;
        World.ModemGateway modemC;
        String modemCNumber;
        Customer victim;
        String victimKeyId;
        String victimDepositId;
        String victimWebhookId;
        String victimDeliveryId;
        String victimVerificationId;
        String victimRentalId;
        String victimTicketId;
        /** Purchases of other accounts (id → owner), and their status before the run. */
        final Map<String, Customer> victimPurchases = new TreeMap<>();
        Set<Integer> platformPorts = new TreeSet<>();

        Context(long run) {
            this.random = new Random(run);
        }

        Customer attacker() {
            return attackers.get(random.nextInt(attackers.size()));
        }

        String freshNumber() {
            return "+1646555" + String.format("%04d", 2000 + random.nextInt(8000));
        }
    }

    static Context ctx;
    /** The random generator's starting value of this run (printed, and taken from -Dfetchsms.e2e.hostile.run). */
    static long run;
    static List<HostileRoutes.Route> routes;
    static Map<Integer, String> pricesBefore;
    static final Map<String, String> victimStatusesBefore = new TreeMap<>();

    @BeforeAll
    static void setUp() {
        run = Long.getLong("fetchsms.e2e.hostile.run", System.nanoTime());
        System.out.printf("[hostile] run %d (reproduce: -Dfetchsms.e2e.hostile.run=%d)%n", run, run);
        ctx = new Context(run);
        World world = world();
        ctx.adminToken = world.adminToken;
        for (int i = 0; i < 6; i++) {
            ctx.attackers.add(world.newCustomer("attacker", 1000));
        }
        ctx.testKey = ctx.attackers.get(0).withSession().body(Map.of("name", "hostile test key", "mode", "test"))
                .post("/api-keys").then().statusCode(201).body("key", startsWith("fsk_test_")).extract().path("key");
        // A modem gateway of its own, with one number, for the ingest routes' valid-but-odd reports.
        JsonPath gateway = world.admin().body(Map.of("name", "hostile modem C")).post("/admin/gateways").then()
                .statusCode(201).extract().jsonPath();
        ctx.modemC = new World.ModemGateway(gateway.getString("id"), "hostile modem C", gateway.getString("token"));
        ctx.modemCNumber = world.newNumbers("212", 1).get(0);
        world.importNumbers(ctx.modemC, List.of(ctx.modemCNumber));

        // The victim: another account whose resources the attackers try to reach.
        ctx.victim = world.newCustomer("victim", 500);
        ctx.victimKeyId = ctx.victim.withSession().get("/api-keys").then().statusCode(200).extract()
                .path("[0].id");
        ctx.victimDepositId = ctx.victim.withSession().body(Map.of("amount_cents", 100, "method", "card"))
                .post("/wallet/deposits").then().statusCode(201).extract().path("id");
        WebhookReceiver hooks = webhookReceiver();
        ctx.victimWebhookId = ctx.victim.withSession().body(Map.of("url", hooks.url())).post("/webhooks").then()
                .statusCode(201).extract().path("id");
        ctx.victim.withSession().post("/webhooks/{id}/test", ctx.victimWebhookId).then().statusCode(202);
        ctx.victimTicketId = ctx.victim.withSession().body(Map.of("subject", "The victim's ticket", "body",
                "Only the victim and the operators may read this")).post("/support/tickets").then().statusCode(201)
                .extract().path("id");
        ctx.victimDeliveryId = Poll.until("the victim's test delivery", ASYNC,
                () -> ctx.victim.withSession().get("/webhooks/{id}/deliveries", ctx.victimWebhookId),
                r -> r.statusCode() == 200 && !r.jsonPath().getList("$").isEmpty()).jsonPath().getString("[0].id");
        // Purchases of another account: whatever an earlier scenario bought (the class may also run alone).
        for (Customer other : world.customers) {
            if (ctx.attackers.contains(other) || other == ctx.victim) {
                continue;
            }
            List<Map<String, Object>> verifications = other.purchases("verifications");
            List<Map<String, Object>> rentals = other.purchases("rentals");
            if (ctx.victimVerificationId == null && !verifications.isEmpty()) {
                ctx.victimVerificationId = (String) verifications.get(0).get("id");
                victimStatusesBefore.put(ctx.victimVerificationId, (String) verifications.get(0).get("status"));
                ctx.victimPurchases.put(ctx.victimVerificationId, other);
            }
            if (ctx.victimRentalId == null && !rentals.isEmpty()) {
                ctx.victimRentalId = (String) rentals.get(0).get("id");
                victimStatusesBefore.put(ctx.victimRentalId, (String) rentals.get(0).get("status"));
                ctx.victimPurchases.put(ctx.victimRentalId, other);
            }
        }
        ctx.platformPorts.add(world.stack.gatewayPort);
        ctx.platformPorts.add(world.stack.kafkaPort);
        for (int port = 8081; port <= 8087; port++) { // the launcher's table: six services and the dashboard
            ctx.platformPorts.add(port + world.stack.portOffset);
        }
        routes = HostileRoutes.all();
        pricesBefore = prices();
    }

    private static Map<Integer, String> prices() {
        Map<Integer, String> prices = new TreeMap<>();
        for (Map<String, Object> service : World.anonymous().get("/services").then().statusCode(200).extract()
                .jsonPath().<Map<String, Object>>getList("$")) {
            prices.put(((Number) service.get("id")).intValue(), service.get("name") + " " + service.get("price_cents"));
        }
        return prices;
    }

    // ------------------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void everyPublicRouteHasAGenerator() throws Exception {
        Set<String> documented = new TreeSet<>();
        JsonNode index = JSON.readTree(World.anonymous().get(world().stack.baseUrl + "/openapi").then().statusCode(200)
                .extract().asByteArray());
        index.path("documents").fields().forEachRemaining(document -> {
            try {
                JsonNode openApi = JSON.readTree(World.anonymous().get(world().stack.baseUrl + document.getValue()
                        .asText()).then().statusCode(200).extract().asByteArray());
                openApi.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                        .forEachRemaining(method -> {
                            if (Set.of("get", "post", "put", "patch", "delete").contains(method)) {
                                documented.add(method.toUpperCase() + " " + shape(path.getKey()));
                            }
                        }));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Set<String> generated = new TreeSet<>();
        routes.stream().filter(r -> !HostileRoutes.GATEWAY_OWN.contains(r.key()))
                .forEach(r -> generated.add(r.method() + " " + shape(r.template())));
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(generated);
        Set<String> stale = new TreeSet<>(generated);
        stale.removeAll(documented);
        System.out.printf("[hostile] %d public routes in the gateway's OpenAPI documents%n", documented.size());
        assertTrue(missing.isEmpty(), "public routes without a hostile-input generator (add them to HostileRoutes): "
                + missing);
        assertTrue(stale.isEmpty(), "HostileRoutes lists routes that no service documents: " + stale);
    }

    private static String shape(String template) {
        return template.replaceAll("\\{[^}]+}", "{}");
    }

    @Test
    @Order(2)
    void hostileRequestsAreRefusedAndNeverFail() throws Exception {
        int count = Integer.getInteger("fetchsms.e2e.hostile.requests", 10_500);
        List<Case> cases = new HostileGenerators(ctx, routes).generate(count);
        Collections.shuffle(cases, ctx.random);
        Stack stack = world().stack;
        RawHttp http = new RawHttp("127.0.0.1", stack.gatewayPort, 30_000);
        Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
        Map<String, LongAdder> byFamily = new ConcurrentHashMap<>();
        Map<String, LongAdder> refusedByGatewayCodec = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Map<String, LongAdder> failureKinds = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        Semaphore hashing = new Semaphore(HASHING_IN_FLIGHT);
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            for (int w = 0; w < WORKERS; w++) {
                pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < cases.size()) {
                        Case c = cases.get(i);
                        boolean hashes = c.route().contains(" /v1/auth/")
                                || c.route().endsWith(" /v1/account/password");
                        if (hashes) {
                            hashing.acquireUninterruptibly();
                        }
                        RawHttp.Answer answer;
                        try {
                            answer = send(http, stack, c);
                        } finally {
                            if (hashes) {
                                hashing.release();
                            }
                        }
                        byStatus.computeIfAbsent(answer.status(), s -> new LongAdder()).increment();
                        byFamily.computeIfAbsent(c.family(), s -> new LongAdder()).increment();
                        String problem = judge(c, answer);
                        if (problem != null && problem.startsWith("codec:")) {
                            refusedByGatewayCodec.computeIfAbsent(problem.substring(6), s -> new LongAdder())
                                    .increment();
                        } else if (problem != null) {
                            failureKinds.computeIfAbsent(problem.replaceAll(": .*", "") + " | " + c.family() + " | "
                                    + c.route(), k -> new LongAdder()).increment();
                            failures.add(problem + "\n  " + c.describe() + "\n  answer: " + answer.status() + " "
                                    + truncate(answer.transportError() != null
                                            ? answer.transportError()
                                            : answer.bodyText(), 300));
                        }
                    }
                });
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.MINUTES), "the hostile requests did not finish");
        } finally {
            pool.shutdownNow();
            http.close();
        }
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        Map<Integer, Long> statuses = new TreeMap<>();
        byStatus.forEach((s, n) -> statuses.put(s, n.sum()));
        Map<String, Long> families = new TreeMap<>();
        byFamily.forEach((f, n) -> families.put(f, n.sum()));
        Map<String, Long> codec = new TreeMap<>();
        refusedByGatewayCodec.forEach((f, n) -> codec.put(f, n.sum()));
        long refused = cases.stream().filter(c -> c.expect().kind() == Kind.REFUSE).count();
        System.out.printf("[hostile] %d requests (%d must be refused, %d may succeed) in %.1f s, %d in flight%n",
                cases.size(), refused, cases.size() - refused, millis / 1000.0, WORKERS);
        System.out.printf("[hostile] by status: %s%n", statuses);
        System.out.printf("[hostile] by generator: %s%n", families);
        System.out.printf("[hostile] refused by the gateway's HTTP codec (no JSON body or connection closed): %s%n",
                codec);
        statuses.forEach((s, n) -> world().statuses.add(s));
        if (!failures.isEmpty()) {
            java.nio.file.Path report = java.nio.file.Path.of(System.getProperty("fetchsms.e2e.state-dir", "target"))
                    .resolveSibling("hostile-failures.txt");
            java.nio.file.Files.write(report, failures, StandardCharsets.UTF_8);
            Map<String, Long> kinds = new TreeMap<>();
            failureKinds.forEach((k, v) -> kinds.put(k, v.sum()));
            kinds.forEach((k, v) -> System.out.printf("[hostile] FAILED %5d × %s%n", v, k));
            System.out.println("[hostile] every wrong answer: " + report);
            List<String> shown = failures.stream().limit(40).toList();
            fail(failures.size() + " of " + cases.size() + " hostile requests were answered wrongly (run "
                    + run + "), the first " + shown.size() + ":\n"
                    + String.join("\n", shown));
        }
        long throttled = statuses.getOrDefault(429, 0L);
        assertTrue(throttled * 20 < cases.size(), "more than 5 % of the requests were rate limited (" + throttled
                + "): too few reached validation");
        assertTrue(cases.size() >= count, "generated " + cases.size());
    }

    private static RawHttp.Answer send(RawHttp http, Stack stack, Case c) {
        StringBuilder head = new StringBuilder().append(c.method()).append(' ').append(c.target())
                .append(" HTTP/1.1\r\n");
        if (!c.rawFraming()) {
            head.append("Host: 127.0.0.1:").append(stack.gatewayPort).append("\r\n");
        }
        for (RawHttp.Header header : c.headers()) {
            head.append(header.name()).append(": ").append(header.value()).append("\r\n");
        }
        byte[] body = c.body() == null ? new byte[0] : c.body();
        if (!c.rawFraming()) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        if (c.fresh()) {
            head.append("Connection: close\r\n");
        }
        head.setLength(head.length() - 2);
        return http.send(c.method(), head.toString().getBytes(StandardCharsets.UTF_8), body, c.fresh());
    }

    /**
     * Null when the answer is right; "codec:…" when the gateway's HTTP codec refused broken HTTP without a JSON
     * body (allowed for protocol cases, counted); otherwise what is wrong.
     */
    static String judge(Case c, RawHttp.Answer answer) {
        int status = answer.status();
        Expect expect = c.expect();
        if (answer.header("x-injected") != null) {
            return "a header was injected into the answer";
        }
        if (status == 0) {
            return expect.protocol() ? "codec:connection closed" : "no answer: " + answer.transportError();
        }
        if (status >= 500) {
            return "5xx";
        }
        if (expect.kind() == Kind.REFUSE && status < 400) {
            return "must be refused, got " + status;
        }
        if (!expect.statuses().isEmpty() && !expect.statuses().contains(status) && status != 429) {
            return "expected " + expect.statuses() + ", got " + status;
        }
        if (status >= 400 && !c.method().equals("HEAD")) {
            String detail = detail(answer);
            if (detail == null) {
                return expect.protocol()
                        ? "codec:" + status + " without a JSON body"
                        : "a " + status + " without a JSON {\"detail\"}";
            }
        }
        for (RawHttp.Header header : c.headers()) {
            String credential = header.value().replaceFirst("^Bearer ", "");
            if (header.name().equalsIgnoreCase("Authorization") && credential.length() > 20
                    && answer.bodyText().contains(credential)) {
                return "the answer echoes the request's credential";
            }
        }
        if (status < 300 && !c.route().contains("/v1/admin/") && leaksVictim(answer)) {
            return "an answer shows the victim's data";
        }
        return null;
    }

    private static String detail(RawHttp.Answer answer) {
        try {
            JsonNode body = JSON.readTree(answer.body());
            JsonNode detail = body == null ? null : body.get("detail");
            return detail != null && detail.isTextual() && !detail.asText().isBlank() ? detail.asText() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static boolean leaksVictim(RawHttp.Answer answer) {
        String body = answer.bodyText();
        for (String secret : new String[]{ctx.victim.email, ctx.victim.id, ctx.victimKeyId, ctx.victimDepositId,
                ctx.victimWebhookId, ctx.victimDeliveryId, ctx.victimVerificationId, ctx.victimRentalId,
                ctx.victimTicketId}) {
            if (secret != null && body.contains(secret)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------------------

    @Test
    @Order(3)
    void refusedRequestsChangedNothing() {
        for (Customer attacker : ctx.attackers) {
            List<Customer.LedgerItem> ledger = attacker.ledger();
            assertEquals(List.of("deposit"), ledger.stream().map(Customer.LedgerItem::type).toList(),
                    attacker + ": only the first deposit, nothing charged, credited or refunded");
            assertEquals(1000, attacker.balance(), attacker + ": the balance is the deposit");
            assertEquals(List.of(), attacker.purchases("verifications"), attacker + ": no verification");
            assertEquals(List.of(), attacker.purchases("rentals"), attacker + ": no rental");
            assertEquals(List.of(), attacker.withSession().get("/webhooks").then().statusCode(200).extract()
                    .jsonPath().getList("$"), attacker + ": no webhook endpoint");
            // Still signed in (no hostile request signed the attacker out) and the key still works.
            attacker.withSession().get("/account").then().statusCode(200).body("id", equalTo(attacker.id));
            attacker.withKey().get("/verifications").then().statusCode(200);
        }
        assertEquals(List.of(), World.as(ctx.testKey).get("/webhooks").then().statusCode(200).extract().jsonPath()
                .getList("$"), "the test key's sandbox: no webhook endpoint");
        Customer victim = ctx.victim;
        assertEquals(600, victim.balance(), "the victim's money");
        victim.withKey().get("/verifications").then().statusCode(200);
        assertTrue(victim.withSession().get("/api-keys").then().statusCode(200).extract().jsonPath()
                .getList("id").contains(ctx.victimKeyId), "the victim's key is not revoked");
        assertTrue(victim.withSession().get("/webhooks").then().statusCode(200).extract().jsonPath()
                .getList("id").contains(ctx.victimWebhookId), "the victim's webhook endpoint is still there");
        victim.withSession().get("/support/tickets/{id}", ctx.victimTicketId).then().statusCode(200)
                .body("status", equalTo("open")).body("messages.size()", equalTo(1));
        for (Map.Entry<String, String> purchase : victimStatusesBefore.entrySet()) {
            String kind = purchase.getKey().equals(ctx.victimRentalId) ? "rentals" : "verifications";
            String now = ctx.victimPurchases.get(purchase.getKey()).withSession()
                    .get("/" + kind + "/{id}", purchase.getKey()).then().statusCode(200).extract().path("status");
            assertTrue(now.equals(purchase.getValue()) || !now.equals("cancelled"),
                    "another account's " + kind + " " + purchase.getKey() + " was " + purchase.getValue()
                            + " and is now " + now);
        }
        assertEquals(pricesBefore, prices(), "the catalog's names and prices");
    }

    // ------------------------------------------------------------------------------------------------------------

    static String truncate(String text, int max) {
        String visible = text.replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\0");
        return visible.length() <= max ? visible : visible.substring(0, max) + "… (" + visible.length() + " chars)";
    }
}
