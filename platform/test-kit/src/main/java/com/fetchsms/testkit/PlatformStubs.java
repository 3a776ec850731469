package com.fetchsms.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fetchsms.common.contract.Balance;
import com.fetchsms.common.contract.Debit;
import com.fetchsms.common.contract.NumberAssignment;
import com.fetchsms.common.contract.NumberLookup;
import com.fetchsms.common.contract.PurchaseMode;
import com.fetchsms.common.contract.Reservation;
import com.fetchsms.common.contract.ReservationStatus;
import com.fetchsms.common.contract.ServiceListing;
import com.fetchsms.common.contract.SessionIntrospection;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.error.ErrorBody;
import com.fetchsms.common.json.JsonConventions;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Real HTTP stand-ins for catalog-service's reservations and wallet-service's debits, with their contracts
 * (idempotent on the purchase id; 404 unknown service, 409 out of stock, 422 bad term, 402 short balance), so a
 * purchasing service is tested at its HTTP boundary. Short-term: services 2 (whatsapp, 140), 4 (telegram, 70) and
 * 7 (tiktok, always out of stock); long-term: service 1 (unlimited-services) on 1/7/30/90/365 days, on a separate
 * pool of 50 numbers held exclusively. An area code adds 10 cents. A price above the request's {@code max_price_cents}
 * is a 409 with {@code price_cents}, holding nothing, as catalog-service answers it;
 * {@code PUT /stub/ignore-price-cap/true|false} makes the stand-in reserve regardless (a catalog that does not know the
 * cap). A reservation with {@code "sandbox": true} (a test key's purchase) is given a sandbox number,
 * {@code (201) 555-0100} to {@code (201) 555-0199}, and answered with {@code sandbox: true}, as catalog-service answers
 * it; {@code PUT /stub/ignore-sandbox/true|false} makes the stand-in a catalog that does not know the sandbox (a live
 * number, no flag); {@code GET /stub/reservation-sandbox/{purchase}} lists the {@code sandbox} flag of every
 * reservation call made for the purchase ({@code true,true}; {@code none} without a call). Tests steer and inspect
 * the stubs through
 * {@code /stub/…}: {@code PUT /stub/balance/{account}/{cents}}, {@code GET /stub/balance/{account}},
 * {@code PUT /stub/hang-after-debit/{account}} (the next debit succeeds but answers too late),
 * {@code GET /stub/debits/{purchase}}, {@code GET /stub/reservation/{purchase}},
 * {@code GET /stub/active-reservations}, {@code GET /stub/traceparent/{purchase}} (the {@code traceparent} header of
 * the purchase's last reservation call, {@code none} without one). wallet-service's balance look-up
 * ({@code GET /internal/wallets/{account}}, 404 until a test set the account's balance), its session introspection
 * ({@code POST /internal/sessions/introspect}: never signed out, for a credential view gone stale while Kafka is away)
 * and catalog-service's list of
 * services ({@code GET /v1/services}, with SMS-Activate codes and the numbers not held) answer from the same state. Like the real services, the {@code /internal/…}
 * stand-ins answer 401 without the test service credential ({@link ServiceCredentials}).
 *
 * <p>
 * catalog-service's inventory look-up ({@code POST /internal/numbers/lookup {numbers}} → {@code {numbers: [{number,
 * gateway_id, state, changed_at}]}}, unknown numbers absent) answers from an inventory the tests set:
 * {@code PUT /stub/number/{number}/{gateway id}/{state}}; {@code PUT /stub/catalog-down/true|false} makes it answer
 * 503; {@code GET /stub/number-lookups/{number}} is how many look-ups asked for the number. Use with
 * {@code @WithTestResource(PlatformStubs.class)}.
 */
public class PlatformStubs implements QuarkusTestResourceLifecycleManager {

    private static final Map<String, Object[]> SERVICES = Map.of(
            "2", new Object[]{2, "whatsapp", "WhatsApp", 140},
            "whatsapp", new Object[]{2, "whatsapp", "WhatsApp", 140},
            "4", new Object[]{4, "telegram", "Telegram", 70},
            "telegram", new Object[]{4, "telegram", "Telegram", 70},
            "7", new Object[]{7, "tiktok", "TikTok", 45},
            "1", new Object[]{1, "unlimited-services", "Unlimited Services", 300},
            "unlimited-services", new Object[]{1, "unlimited-services", "Unlimited Services", 300});
    private static final Map<Integer, Integer> TERMS = Map.of(1, 300, 7, 600, 30, 1200, 90, 2500, 365, 9000);
    /** Answers are the contract's own records, written as the services write them. */
    private static final ObjectMapper JSON = JsonConventions
            .apply(new ObjectMapper().registerModule(new JavaTimeModule()));
    private static final int NUMBERS = 1000;
    private static final int LONG_NUMBERS = 50;
    /** The sandbox numbers: (201) 555-0100 to 0199, as catalog-service's first sandbox area code. */
    private static final int SANDBOX_NUMBERS = 100;

    private HttpServer server;
    private final Object lock = new Object();
    /** purchase id → [number, service id, active, price, slug, name, long, days, area, sandbox] */
    private final Map<String, Object[]> reservations = new HashMap<>();
    private final Set<String> held = new HashSet<>();
    private final Map<String, Long> balances = new HashMap<>();
    /** purchase id → [account, amount] */
    private final Map<String, Object[]> debits = new HashMap<>();
    private final Set<String> hangAfterDebit = new HashSet<>();
    /** purchase id → traceparent header of its last reservation call */
    private final Map<String, String> traceparents = new HashMap<>();
    /** number → [gateway id, state, changed at] */
    private final Map<String, String[]> inventory = new HashMap<>();
    /** number → how many look-ups asked for it */
    private final Map<String, Integer> lookups = new HashMap<>();
    private boolean catalogDown;
    private boolean ignorePriceCap;
    private boolean ignoreSandbox;
    /** purchase id → the {@code sandbox} flag of each reservation call for it, in order */
    private final Map<String, List<Boolean>> sandboxCalls = new HashMap<>();

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/internal/reservations", internal(this::reservations));
        server.createContext("/internal/debits", internal(this::debit));
        server.createContext("/internal/numbers/lookup", internal(this::lookup));
        server.createContext("/internal/wallets/", internal(this::wallet));
        server.createContext("/internal/sessions/introspect", internal(this::session));
        server.createContext("/v1/services", this::services);
        server.createContext("/stub/", this::control);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("fetchsms.services.catalog-url", url, "fetchsms.services.wallet-url", url);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Like the real services: 401 without the platform's service credential ({@link ServiceCredentials}). */
    private static HttpHandler internal(HttpHandler handler) {
        return exchange -> {
            if (!ServiceCredentials.presented(exchange)) {
                read(exchange);
                answer(exchange, 401, "{\"detail\":\"A valid service credential is required\"}");
                return;
            }
            handler.handle(exchange);
        };
    }

    private void reservations(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = read(exchange);
        Matcher release = Pattern.compile("/internal/reservations/([^/]+)/release").matcher(path);
        if (release.matches()) {
            synchronized (lock) {
                Object[] r = reservations.get(release.group(1));
                if (r == null) {
                    answer(exchange, 404, "{\"detail\":\"No reservation\"}");
                    return;
                }
                if ((boolean) r[2]) {
                    r[2] = false;
                    held.remove(r[0] + "|" + r[1]);
                }
                answer(exchange, 200, json(reservation(release.group(1), r)));
            }
            return;
        }
        String purchase = field(body, "purchase_id");
        String service = field(body, "service");
        boolean rental = "long".equals(field(body, "mode"));
        boolean sandboxRequested = "true".equals(field(body, "sandbox"));
        String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
        synchronized (lock) {
            if (purchase != null && traceparent != null) {
                traceparents.put(purchase, traceparent);
            }
            if (purchase != null) {
                sandboxCalls.computeIfAbsent(purchase, p -> new ArrayList<>()).add(sandboxRequested);
            }
        }
        Object[] entry = SERVICES.get(service);
        if (entry == null || rental != ((int) entry[0] == 1)) {
            answer(exchange, 404, "{\"detail\":\"Unknown service: " + service + "\"}");
            return;
        }
        Integer term = null;
        if (rental) {
            String days = field(body, "days");
            term = days == null ? null : TERMS.get(Integer.valueOf(days));
            if (term == null) {
                answer(exchange, 422, "{\"detail\":\"Unsupported duration: " + days + " days\"}");
                return;
            }
        }
        synchronized (lock) {
            boolean sandbox = sandboxRequested && !ignoreSandbox;
            Object[] existing = reservations.get(purchase);
            if (existing != null && (boolean) existing[9] != sandbox) {
                answer(exchange, 409, "{\"detail\":\"Purchase " + purchase
                        + " already holds a different reservation\"}");
                return;
            }
            if (existing == null) {
                if ((int) entry[0] == 7) {
                    answer(exchange, 409, "{\"detail\":\"Out of stock for short-term verifications (7)\"}");
                    return;
                }
                String number = null;
                int count = sandbox ? SANDBOX_NUMBERS : rental ? LONG_NUMBERS : NUMBERS;
                for (int i = 0; i < count && number == null; i++) {
                    String candidate = sandbox
                            ? String.format("+1201555%04d", 100 + i)
                            : String.format(rental ? "+1415555%04d" : "+1332555%04d", i);
                    if (!held.contains(candidate + "|" + entry[0])) {
                        number = candidate;
                    }
                }
                if (number == null) {
                    answer(exchange, 409, "{\"detail\":\"Out of stock for long-term rentals\"}");
                    return;
                }
                int price = (rental ? term : (int) entry[3]) + (field(body, "area_code") != null ? 10 : 0);
                String cap = field(body, "max_price_cents");
                if (cap != null && !ignorePriceCap && price > Integer.parseInt(cap)) {
                    ApiException above = ApiException.priceAboveCap(price, Integer.parseInt(cap));
                    answer(exchange, above.status(), json(new ErrorBody(above.detail(), above.priceCents())));
                    return;
                }
                existing = new Object[]{number, entry[0], true, price, entry[1], entry[2], rental,
                        rental ? Integer.valueOf(field(body, "days")) : null, field(body, "area_code"), sandbox};
                reservations.put(purchase, existing);
                held.add(number + "|" + entry[0]);
            }
            answer(exchange, 201, json(reservation(purchase, existing)));
        }
    }

    /**
     * A stub reservation as catalog-service answers it: {number, service id, active, price, slug, name, long, days,
     * area, sandbox}.
     */
    private static Reservation reservation(String purchase, Object[] r) {
        String number = (String) r[0];
        return new Reservation(UUID.nameUUIDFromBytes(purchase.getBytes(StandardCharsets.UTF_8)),
                UUID.fromString(purchase),
                number, number, (int) r[1], (String) r[4], (String) r[5],
                (boolean) r[6] ? PurchaseMode.LONG : PurchaseMode.SHORT, (Integer) r[7], (String) r[8], (int) r[3],
                (boolean) r[2] ? ReservationStatus.ACTIVE : ReservationStatus.RELEASED, Instant.now(), null,
                (boolean) r[9]);
    }

    private static String json(Object answer) {
        try {
            return JSON.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void lookup(HttpExchange exchange) throws IOException {
        String body = read(exchange);
        List<NumberAssignment> found = new ArrayList<>();
        synchronized (lock) {
            if (catalogDown) {
                answer(exchange, 503, "{\"detail\":\"Temporarily unavailable: try again shortly\"}");
                return;
            }
            Matcher numbers = Pattern.compile("\\+1[0-9]{10}").matcher(body);
            while (numbers.find()) {
                String number = numbers.group();
                lookups.merge(number, 1, Integer::sum);
                String[] entry = inventory.get(number);
                if (entry != null) {
                    found.add(new NumberAssignment(number, UUID.fromString(entry[0]), entry[1],
                            Instant.parse(entry[2])));
                }
            }
        }
        answer(exchange, 200, json(new NumberLookup(found)));
    }

    /** wallet-service's balance look-up: an account is known once a test set its balance. */
    private void wallet(HttpExchange exchange) throws IOException {
        read(exchange);
        String account = exchange.getRequestURI().getPath().substring("/internal/wallets/".length());
        synchronized (lock) {
            Long balance = balances.get(account);
            if (balance == null) {
                answer(exchange, 404, "{\"detail\":\"Unknown account: " + account + "\"}");
                return;
            }
            answer(exchange, 200, json(new Balance(UUID.fromString(account), balance, "USD")));
        }
    }

    /**
     * wallet-service's session introspection, which a service's credential view asks while it is stale (Kafka away):
     * no session of the tests is signed out.
     */
    private void session(HttpExchange exchange) throws IOException {
        read(exchange);
        answer(exchange, 200, json(new SessionIntrospection(false)));
    }

    /**
     * catalog-service's {@code GET /v1/services}: the stub's services with their SMS-Activate codes ({@code full},
     * {@code wa}, {@code tg}, {@code lf}) and the numbers not held for each (TikTok: none).
     */
    private void services(HttpExchange exchange) throws IOException {
        read(exchange);
        List<ServiceListing> list = new ArrayList<>();
        synchronized (lock) {
            for (Object[] entry : List.of(SERVICES.get("1"), SERVICES.get("2"), SERVICES.get("4"),
                    SERVICES.get("7"))) {
                int id = (int) entry[0];
                // sandbox numbers are no stock
                long heldForIt = held.stream().filter(h -> h.endsWith("|" + id) && !h.startsWith("+1201555"))
                        .count();
                long available = id == 1 || id == 7 ? 0 : NUMBERS - heldForIt;
                String code = switch (id) {
                    case 1 -> "full";
                    case 2 -> "wa";
                    case 4 -> "tg";
                    default -> "lf";
                };
                list.add(new ServiceListing(id, (String) entry[1], (String) entry[2], code, (int) entry[3],
                        available));
            }
        }
        answer(exchange, 200, json(list));
    }

    private void debit(HttpExchange exchange) throws IOException {
        String body = read(exchange);
        String purchase = field(body, "purchase_id");
        String account = field(body, "account_id");
        long amount = Long.parseLong(field(body, "amount_cents"));
        boolean hang;
        synchronized (lock) {
            Object[] existing = debits.get(purchase);
            if (existing != null) {
                if (!existing[0].equals(account) || (long) existing[1] != amount) {
                    answer(exchange, 409, "{\"detail\":\"Purchase already debited with another amount\"}");
                    return;
                }
            } else {
                long balance = balances.getOrDefault(account, 0L);
                if (balance < amount) {
                    answer(exchange, 402, "{\"detail\":\"Insufficient balance: " + amount + " cents needed, "
                            + balance + " available\"}");
                    return;
                }
                balances.put(account, balance - amount);
                debits.put(purchase, new Object[]{account, amount});
            }
            hang = hangAfterDebit.remove(account);
        }
        if (hang) {
            sleep(6000); // the debit happened, but the caller times out before it hears so
        }
        long balanceAfter;
        synchronized (lock) {
            balanceAfter = balances.getOrDefault(account, 0L);
        }
        answer(exchange, 201, json(new Debit(UUID.fromString(purchase), UUID.fromString(account), amount, balanceAfter,
                UUID.randomUUID(), field(body, "ref"), Instant.now())));
    }

    private void control(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getPath().split("/");
        // /stub/<what>/<id>[/<value>]
        synchronized (lock) {
            switch (parts[2]) {
                case "balance" -> {
                    if ("PUT".equals(exchange.getRequestMethod())) {
                        balances.put(parts[3], Long.parseLong(parts[4]));
                    }
                    answer(exchange, 200, String.valueOf(balances.getOrDefault(parts[3], 0L)));
                }
                case "hang-after-debit" -> {
                    hangAfterDebit.add(parts[3]);
                    answer(exchange, 200, "true");
                }
                case "debits" -> answer(exchange, 200, debits.containsKey(parts[3]) ? "1" : "0");
                case "reservation" -> {
                    Object[] r = reservations.get(parts[3]);
                    answer(exchange, 200, r == null ? "none" : ((boolean) r[2] ? "active" : "released"));
                }
                case "traceparent" -> answer(exchange, 200, traceparents.getOrDefault(parts[3], "none"));
                case "number" -> {
                    inventory.put(parts[3], new String[]{parts[4], parts[5],
                            java.time.Instant.now().toString()});
                    answer(exchange, 200, "true");
                }
                case "catalog-down" -> {
                    catalogDown = Boolean.parseBoolean(parts[3]);
                    answer(exchange, 200, String.valueOf(catalogDown));
                }
                case "ignore-sandbox" -> {
                    ignoreSandbox = Boolean.parseBoolean(parts[3]);
                    answer(exchange, 200, String.valueOf(ignoreSandbox));
                }
                case "reservation-sandbox" -> {
                    List<Boolean> calls = sandboxCalls.get(parts[3]);
                    answer(exchange, 200, calls == null
                            ? "none"
                            : String.join(",", calls.stream().map(String::valueOf).toList()));
                }
                case "ignore-price-cap" -> {
                    ignorePriceCap = Boolean.parseBoolean(parts[3]);
                    answer(exchange, 200, String.valueOf(ignorePriceCap));
                }
                case "number-lookups" -> answer(exchange, 200, String.valueOf(lookups.getOrDefault(parts[3], 0)));
                case "active-reservations" -> answer(exchange, 200, String.valueOf(
                        reservations.values().stream().filter(r -> (boolean) r[2]).count()));
                default -> answer(exchange, 404, "{}");
            }
        }
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\"?)([^\",}]*)\"?").matcher(json);
        // a JSON null (the contract records write absent values as null) is no value
        return !m.find() || (m.group(1).isEmpty() && m.group(2).trim().equals("null")) ? null : m.group(2);
    }

    private static String read(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
