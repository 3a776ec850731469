package com.fetchsms.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the run buys with and from, made through the public API as an operator and customers would: a modem gateway
 * serving fresh numbers (a random area code nobody used, so every number is new to the service), several customer
 * accounts with money, and API keys spread over them (the API allows 100 requests per second per key).
 */
final class Fixture {

    static final String SERVICE = "telegram";
    static final String PASSWORD = "benchmark-password";
    private static final int IMPORT_CHUNK = 1000;
    private static final long MAX_DEPOSIT = 1_000_000;

    record Account(int index, String email, String session, List<String> keys, long deposited) {
    }

    /** A waiting verification: its number (E.164) will receive the code. */
    record Verification(String id, String number, int account, long costCents, Instant expiresAt) {
    }

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final Api api;
    final Settings settings;
    String admin;
    String gatewayId;
    String gatewayToken;
    String areaCode;
    final List<String> spareNumbers = new ArrayList<>();
    int imported;
    /** An exchange of the run's area code that the purchases' numbers do not use, and the next line in it. */
    private int spareExchange;
    private final AtomicInteger nextSpareLine = new AtomicInteger();
    final List<Account> accounts = new ArrayList<>();
    /** Waiting verifications by account, newest last. */
    final List<ConcurrentLinkedDeque<Verification>> waiting = new ArrayList<>();
    /** Every verification bought, for the polling scenario. */
    final List<Verification> bought = Collections.synchronizedList(new ArrayList<>());
    /** Per account, which of its keys is next (one counter for all would give each account a fixed subset of its keys). */
    private final Map<Integer, AtomicInteger> nextKey = new ConcurrentHashMap<>();

    private Fixture(Api api, Settings settings) {
        this.api = api;
        this.settings = settings;
    }

    static Fixture create(Api api, Settings settings, PrintStream out) {
        Fixture f = new Fixture(api, settings);
        f.admin = login(api, settings.adminEmail, settings.adminPassword);
        JsonNode services = api.getNow("/v1/services", null).expect(200, "GET /v1/services").json();
        boolean found = false;
        for (JsonNode service : services) {
            found |= SERVICE.equals(service.path("slug").asText());
        }
        if (!found) {
            throw new IllegalStateException("the catalog has no '" + SERVICE + "' service");
        }
        JsonNode gateway = api.postNow("/v1/admin/gateways", f.admin, Api.object().put("name", "bench-" + f.run))
                .expect(201, "POST /v1/admin/gateways").json();
        f.gatewayId = gateway.path("id").asText();
        f.gatewayToken = gateway.path("token").asText();
        f.importNumbers(settings.numbersAtMost() + 200, out);
        for (int a = 0; a < settings.accounts; a++) {
            f.accounts.add(f.signUp(a, settings));
            f.waiting.add(new ConcurrentLinkedDeque<>());
        }
        f.awaitKeys();
        f.awaitInventoryAtIngest();
        out.printf("Set-up: gateway bench-%s, %,d fresh numbers in area code %s, %d accounts × %d API keys%n", f.run,
                f.imported, f.areaCode, f.accounts.size(), settings.keysPerAccount);
        return f;
    }

    static String login(Api api, String email, String password) {
        return api.postNow("/v1/auth/login", null, Api.object().put("email", email).put("password", password))
                .expect(200, "POST /v1/auth/login " + email).json().path("token").asText();
    }

    /** Numbers the purchases use (a random, unused area code), then a few spare ones for batch ingest. */
    private void importNumbers(int count, PrintStream out) {
        int exchanges = (count + 9999) / 10000;
        for (int attempt = 0; areaCode == null; attempt++) {
            if (attempt == 50) {
                throw new IllegalStateException("no unused area code found in 50 attempts");
            }
            String candidate = Integer.toString(ThreadLocalRandom.current().nextInt(200, 1000));
            if (candidate.charAt(1) == '1' && candidate.charAt(2) == '1') {
                continue; // N11 codes are not area codes
            }
            JsonNode existing = api.getNow("/v1/admin/numbers?limit=1&area_code=" + candidate, admin)
                    .expect(200, "GET /v1/admin/numbers").json();
            if (existing.isEmpty()) {
                areaCode = candidate;
            }
        }
        int firstExchange = ThreadLocalRandom.current().nextInt(200, 1000 - exchanges);
        spareExchange = firstExchange + exchanges;
        List<String> numbers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            numbers.add(String.format("+1%s%03d%04d", areaCode, firstExchange + i / 10000, i % 10000));
        }
        spareNumbers.addAll(numbers.subList(count - 200, count));
        long started = System.nanoTime();
        for (int from = 0; from < count; from += IMPORT_CHUNK) {
            List<String> chunk = numbers.subList(from, Math.min(count, from + IMPORT_CHUNK));
            var body = Api.object().put("gateway_id", gatewayId);
            chunk.forEach(body.putArray("numbers")::add);
            imported += importChunk(body, chunk.size());
        }
        out.printf("Imported %,d numbers in %.1f s%n", imported, (System.nanoTime() - started) / 1e9);
    }

    /**
     * One import call, retried when the stack is too busy to answer in time (the import is idempotent: numbers a lost
     * attempt added come back as skipped).
     */
    private int importChunk(JsonNode body, int size) {
        for (int attempt = 1;; attempt++) {
            Api.Response answer;
            try {
                answer = api.postNow("/v1/admin/numbers", admin, body, Duration.ofMinutes(5));
            } catch (IllegalStateException timedOut) {
                answer = new Api.Response(Samples.NO_ANSWER, String.valueOf(timedOut.getMessage()));
            }
            if (answer.status() == 201) {
                JsonNode counts = answer.json();
                if (attempt == 1 && counts.path("skipped").asInt() != 0) {
                    throw new IllegalStateException("area code " + areaCode + " was not fresh: " + counts);
                }
                return counts.path("added").asInt() + (attempt == 1 ? 0 : counts.path("skipped").asInt());
            }
            if (attempt == 5 || (answer.status() != 503 && answer.status() != 504 && answer.status() >= 0)) {
                answer.expect(201, "POST /v1/admin/numbers (" + size + " numbers, attempt " + attempt + ")");
            }
            Load.sleep(Duration.ofSeconds(2L * attempt));
        }
    }

    private Account signUp(int index, Settings settings) {
        String email = "bench-" + run + "-" + index + "@example.com";
        api.postNow("/v1/auth/signup", null, Api.object().put("email", email).put("password", PASSWORD))
                .expect(201, "POST /v1/auth/signup");
        String session = login(api, email, PASSWORD);
        // generous: each purchase costs well under 2 dollars
        long needed = 200L * (settings.purchasesAtMost() / settings.accounts + 100);
        long deposited = 0;
        while (deposited < needed) {
            long amount = Math.min(MAX_DEPOSIT, needed - deposited);
            api.postNow("/v1/wallet/deposits", session, Api.object().put("amount_cents", amount).put("method", "card"))
                    .expect(201, "POST /v1/wallet/deposits");
            deposited += amount;
        }
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < settings.keysPerAccount; k++) {
            keys.add(api.postNow("/v1/api-keys", session, Api.object().put("name", "bench-" + k))
                    .expect(201, "POST /v1/api-keys").json().path("key").asText());
        }
        return new Account(index, email, session, keys, deposited);
    }

    /** A new key reaches verification-service's view through a topic: wait until each one is accepted. */
    private void awaitKeys() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (Account account : accounts) {
            for (String key : account.keys()) {
                while (api.getNow("/v1/verifications?tab=active&limit=1", key).status() != 200) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("an API key was not accepted within 60 s");
                    }
                    Load.sleep(Duration.ofMillis(200));
                }
            }
        }
    }

    /** sms-ingest learns which gateway serves a number from the inventory topic: wait until it knows all of ours. */
    private void awaitInventoryAtIngest() {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (true) {
            for (JsonNode gateway : api.getNow("/v1/admin/gateways", admin).expect(200, "GET /v1/admin/gateways")
                    .json()) {
                if (gatewayId.equals(gateway.path("id").asText()) && gateway.path("numbers").asInt() >= imported) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("sms-ingest did not learn the imported numbers within 180 s");
            }
            Load.sleep(Duration.ofMillis(500));
        }
    }

    /** Purchase {@code i}: accounts and their keys in turn. A 201 adds the verification to the waiting pool. */
    CompletableFuture<Integer> purchase(int i) {
        Account account = accounts.get(Math.floorMod(i, accounts.size()));
        String key = account.keys().get(Math.floorMod(i / accounts.size(), account.keys().size()));
        return api.post("/v1/verifications", key, Api.object().put("service", SERVICE).put("area_code", areaCode))
                .thenApply(r -> {
                    if (r.status() == 201) {
                        JsonNode v = r.json();
                        Verification bought = new Verification(v.path("id").asText(),
                                "+1" + v.path("number").asText().replaceAll("[^0-9]", ""), account.index(),
                                v.path("cost_cents").asLong(), Instant.parse(v.path("expires_at").asText()));
                        waiting.get(account.index()).addLast(bought);
                        this.bought.add(bought);
                    }
                    return r.status();
                });
    }

    /** A number of the run's area code that was never imported (at most 10,000 per run). */
    String freshNumber() {
        return String.format("+1%s%03d%04d", areaCode, spareExchange, nextSpareLine.getAndIncrement());
    }

    /** A key of the account, in turn (spreads one account's requests over its keys). */
    String key(int account) {
        List<String> keys = accounts.get(account).keys();
        int next = nextKey.computeIfAbsent(account, a -> new AtomicInteger()).getAndIncrement();
        return keys.get(Math.floorMod(next, keys.size()));
    }

    /**
     * Up to {@code n} waiting verifications, newest first, from {@code account} (or any when negative), skipping those
     * that expire within 90 s (they will expire and be refunded).
     */
    List<Verification> takeWaiting(int n, int account) {
        List<Verification> taken = new ArrayList<>(n);
        Instant soonest = Instant.now().plusSeconds(90);
        int empty = 0;
        int a = 0;
        while (taken.size() < n && empty < accounts.size()) {
            int from = account >= 0 ? account : a++ % accounts.size();
            Verification v = waiting.get(from).pollLast();
            if (v == null) {
                empty = account >= 0 ? accounts.size() : empty + 1;
                continue;
            }
            empty = 0;
            if (v.expiresAt().isAfter(soonest)) {
                taken.add(v);
            }
        }
        return taken;
    }

    int waitingCount() {
        return waiting.stream().mapToInt(ConcurrentLinkedDeque::size).sum();
    }

    /** The SMS a modem gateway reports for a verification's number, with a Telegram code. */
    static String smsText(String code) {
        return "Telegram code: " + code + ". Do not give it to anyone";
    }
}
