package com.fetchsms.e2e;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * A steady mixed load through the gateway, as customers and modem gateways make it, that keeps going whatever fails:
 * purchases of verifications (most get their SMS, some are cancelled) and rentals (each gets an SMS), reads of
 * purchases, wallets, webhook endpoints and the catalog, deposits when money runs out. Like real clients it retries: a purchase
 * whose answer was lost (5xx, refused, timed out) is sent again with the same {@code Idempotency-Key} until it gets a
 * final answer, a cancel until it is answered, and a modem gateway re-posts an SMS (same {@code gateway_message_id})
 * until it gets a 2xx. Every answer is recorded ({@link Sample}), so each fault's client-visible errors can be counted.
 */
final class FaultLoad {

    /**
     * One request: when it was answered (ms since the epoch), what it was, its status (or {@link #REFUSED}, …) and
     * how the report names it ({@code 409 in progress}: a retried purchase whose first attempt is still running).
     */
    record Sample(long at, String op, int status, String label) {
    }

    /** No HTTP answer: the connection was refused or broken. */
    static final int REFUSED = -1;
    /** No HTTP answer within {@link #TIMEOUT}. */
    static final int TIMED_OUT = -2;
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** An HTTP answer, or none ({@code status} < 0). */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** A final answer of the platform to a purchase: success or a refusal about the request itself. */
        boolean settled() {
            return ok() || status == 400 || status == 402 || status == 404 || status == 422
                    || status == 409 && !body.path("detail").asText().contains("still being processed");
        }

        String text(String field) {
            JsonNode node = body.path(field);
            return node.isMissingNode() || node.isNull() ? null : node.asText();
        }
    }

    /** A purchase the load made or is still making (its key is retried until {@link #settled}). */
    static final class Purchase {
        final String kind; // "verifications" or "rentals"
        final String key = "fault-" + UUID.randomUUID();
        final Map<String, Object> body;
        final Customer customer;
        final boolean cancel;
        volatile boolean settled;
        volatile int finalStatus;
        volatile String id;
        volatile String number;
        volatile Instant expiresAt;
        volatile boolean cancelled;

        Purchase(String kind, Map<String, Object> body, Customer customer, boolean cancel) {
            this.kind = kind;
            this.body = body;
            this.customer = customer;
            this.cancel = cancel;
        }

        @Override
        public String toString() {
            return kind + " " + (id == null ? key : id) + " " + body;
        }
    }

    /** An SMS a modem gateway holds until the platform answers 2xx. */
    static final class Sms {
        final String gatewayMessageId = "fault-" + UUID.randomUUID();
        final Purchase purchase;
        final String sender;
        final String text;
        final String code;
        /** When the modem received it: sent with every attempt, as a modem gateway stamps its reports. */
        final Instant receivedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        /** When the attempt that got the 2xx was sent, and when its answer came. */
        volatile Instant sentAt;
        volatile Instant acceptedAt;
        volatile Instant lastSent;
        volatile int attempts;

        void accepted() {
            sentAt = lastSent;
            acceptedAt = Instant.now();
        }

        Sms(Purchase purchase, String sender, String text, String code) {
            this.purchase = purchase;
            this.sender = sender;
            this.text = text;
            this.code = code;
        }

        @Override
        public String toString() {
            return "SMS " + gatewayMessageId + " to " + purchase.number + " (" + purchase + "): " + text;
        }
    }

    /** Short-term services the load buys, with the sender id that identifies each (detection/services.json). */
    static final List<Map.Entry<Integer, String>> SERVICES = List.of(Map.entry(2, "WhatsApp"), Map.entry(3, "Google"),
            Map.entry(4, "Telegram"), Map.entry(5, "Facebook"), Map.entry(6, "Instagram"), Map.entry(7, "TikTok"),
            Map.entry(8, "Discord"), Map.entry(9, "Microsoft"), Map.entry(11, "Amazon"), Map.entry(12, "Uber"),
            Map.entry(14, "PayPal"), Map.entry(15, "Venmo"));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    final List<Sample> samples = new CopyOnWriteArrayList<>();
    final List<Purchase> purchases = new CopyOnWriteArrayList<>();
    final List<Sms> messages = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Purchase> unsettled = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Purchase> toCancel = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Sms> toDeliver = new ConcurrentLinkedQueue<>();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final String baseUrl;
    private final String gatewayToken;
    private final List<String> verificationAreaCodes;
    private final String rentalAreaCode;
    private final AtomicInteger rentalsLeft;
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicInteger serviceTurn = new AtomicInteger();

    FaultLoad(String baseUrl, String gatewayToken, List<String> verificationAreaCodes, String rentalAreaCode,
            int rentals) {
        this.baseUrl = baseUrl + "/v1";
        this.gatewayToken = gatewayToken;
        this.verificationAreaCodes = verificationAreaCodes;
        this.rentalAreaCode = rentalAreaCode;
        this.rentalsLeft = new AtomicInteger(rentals);
    }

    // ---------------------------------------------------------------- the workers

    /** One worker per customer, each pausing {@code pace} between its operations. */
    void start(List<Customer> customers, Duration pace) {
        running.set(true);
        for (Customer customer : customers) {
            Thread worker = new Thread(() -> work(customer, pace), "fault-load-" + customer.email);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    /** Stops making new requests (the retries of what is unfinished go on in {@link #drain}). */
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread worker : workers) {
            worker.join(TIMEOUT.toMillis() * 3);
        }
        workers.clear();
    }

    private void work(Customer customer, Duration pace) {
        while (running.get()) {
            try {
                retryOnce();
                int dice = RANDOM.nextInt(100);
                if (dice < 45) {
                    buyVerification(customer, dice < 10);
                } else if (dice < 50) {
                    buyRental(customer);
                } else if (dice < 65) {
                    readPurchase(customer);
                } else if (dice < 75) {
                    record("wallet", send(customer.session, "GET", "/wallet", null, null));
                } else if (dice < 80) {
                    record("rentals", send(customer.apiKey, "GET", "/rentals?tab=active", null, null));
                } else if (dice < 85) {
                    record("webhooks", send(customer.session, "GET", "/webhooks", null, null));
                } else {
                    record("services", send(null, "GET", "/services", null, null));
                }
                Thread.sleep(pace.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                System.out.println("[faults] load worker: " + e);
            }
        }
    }

    /** One round of retries: a purchase without a final answer, a cancel, and the SMS the modem still holds. */
    void retryOnce() {
        Purchase purchase = unsettled.poll();
        if (purchase != null) {
            purchase(purchase);
        }
        Purchase cancel = toCancel.poll();
        if (cancel != null) {
            cancel(cancel);
        }
        for (int i = 0; i < 10; i++) {
            Sms sms = toDeliver.poll();
            if (sms == null) {
                break;
            }
            deliver(sms);
        }
    }

    /** Retries whatever is unfinished until nothing is left or {@code timeout} passed; returns what is left. */
    List<Object> drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !(unsettled.isEmpty() && toCancel.isEmpty() && toDeliver.isEmpty())) {
            retryOnce();
            Thread.sleep(200);
        }
        List<Object> left = new ArrayList<>(unsettled);
        left.addAll(toCancel);
        left.addAll(toDeliver);
        return left;
    }

    // ---------------------------------------------------------------- operations

    Purchase buyVerification(Customer customer, boolean thenCancel) {
        Map.Entry<Integer, String> service = SERVICES.get(Math.floorMod(serviceTurn.getAndIncrement(),
                SERVICES.size()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", service.getKey());
        body.put("area_code", verificationAreaCodes.get(RANDOM.nextInt(verificationAreaCodes.size())));
        Purchase purchase = new Purchase("verifications", body, customer, thenCancel);
        purchases.add(purchase);
        purchase(purchase);
        return purchase;
    }

    void buyRental(Customer customer) {
        if (rentalsLeft.getAndDecrement() <= 0) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", 1);
        body.put("days", 1);
        body.put("area_code", rentalAreaCode);
        Purchase purchase = new Purchase("rentals", body, customer, false);
        purchases.add(purchase);
        purchase(purchase);
    }

    private void readPurchase(Customer customer) {
        for (int i = purchases.size() - 1; i >= Math.max(0, purchases.size() - 20); i--) {
            Purchase p = purchases.get(i);
            if (p.customer == customer && p.id != null) {
                record("read " + p.kind, send(customer.apiKey, "GET", "/" + p.kind + "/" + p.id, null, null));
                return;
            }
        }
        record("list verifications", send(customer.apiKey, "GET", "/verifications?tab=active", null, null));
    }

    /** Sends (or re-sends, same key and body) a purchase; a final answer settles it, anything else queues a retry. */
    private void purchase(Purchase purchase) {
        Answer answer = send(purchase.customer.apiKey, "POST", "/" + purchase.kind, purchase.body, purchase.key);
        record("buy " + purchase.kind, answer);
        if (!answer.settled()) {
            unsettled.add(purchase);
            return;
        }
        purchase.finalStatus = answer.status();
        purchase.settled = true;
        if (answer.status() == 402) {
            topUp(purchase.customer);
            return;
        }
        if (!answer.ok()) {
            return;
        }
        purchase.id = answer.text("id");
        purchase.number = answer.text("number");
        purchase.expiresAt = Instant.parse(answer.text("expires_at"));
        if (purchase.cancel) {
            cancel(purchase);
        } else if (Instant.now().isAfter(purchase.expiresAt.minusSeconds(1))) {
            // Its answer came after its window (a purchase settled by a retry much later): no code is sent to a
            // number nobody waits on any more; the purchase expires and is refunded.
            return;
        } else {
            String sender = "rentals".equals(purchase.kind)
                    ? "Telegram"
                    : SERVICES.stream().filter(s -> s.getKey().equals(purchase.body.get("service"))).findFirst()
                            .orElseThrow().getValue();
            String code = E2eTest.code(6);
            Sms sms = new Sms(purchase, sender, sender + " code: " + code + ". Do not share it with anyone.", code);
            messages.add(sms);
            deliver(sms);
        }
    }

    private void cancel(Purchase purchase) {
        Answer answer = send(purchase.customer.apiKey, "POST", "/" + purchase.kind + "/" + purchase.id + "/cancel",
                null, null);
        record("cancel " + purchase.kind, answer);
        if (answer.ok()) {
            purchase.cancelled = true;
        } else if (answer.status() < 0 || answer.status() >= 500 || answer.status() == 429) {
            toCancel.add(purchase);
        }
    }

    /** The modem gateway posts the SMS; anything but a 2xx keeps it for another attempt. */
    void deliver(Sms sms) {
        Answer answer = postSms(sms);
        record("sms", answer);
        if (answer.ok()) {
            sms.accepted();
        } else {
            toDeliver.add(sms);
        }
    }

    Answer postSms(Sms sms) {
        sms.attempts++;
        sms.lastSent = Instant.now();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("gateway_message_id", sms.gatewayMessageId);
        body.put("to", World.e164(sms.purchase.number));
        body.put("from", sms.sender);
        body.put("text", sms.text);
        body.put("received_at", sms.receivedAt.toString());
        return send(gatewayToken, "POST", "/ingest/messages", body, null);
    }

    private void topUp(Customer customer) {
        String key = "fault-deposit-" + UUID.randomUUID();
        for (int attempt = 0; attempt < 20; attempt++) {
            Answer answer = send(customer.session, "POST", "/wallet/deposits",
                    Map.of("amount_cents", 100_000, "method", "card"), key);
            record("deposit", answer);
            if (answer.settled()) {
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---------------------------------------------------------------- HTTP

    void record(String op, Answer answer) {
        samples.add(new Sample(System.currentTimeMillis(), op, answer.status(), label(answer)));
    }

    static String label(Answer answer) {
        return switch (answer.status()) {
            case REFUSED -> "refused";
            case TIMED_OUT -> "timed out";
            case 409 -> answer.body().path("detail").asText().contains("still being processed")
                    ? "409 in progress"
                    : "409";
            default -> Integer.toString(answer.status());
        };
    }

    Answer send(String bearer, String method, String path, Object body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT);
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), parse(response.body()));
        } catch (HttpTimeoutException e) {
            return new Answer(TIMED_OUT, MissingNode.getInstance());
        } catch (ConnectException e) {
            return new Answer(REFUSED, MissingNode.getInstance());
        } catch (IOException e) {
            return new Answer(REFUSED, MissingNode.getInstance());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(REFUSED, MissingNode.getInstance());
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }
}
