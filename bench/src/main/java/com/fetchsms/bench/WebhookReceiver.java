package com.fetchsms.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A customer's webhook receiver on 127.0.0.1: checks each delivery's signatures as webhook-service/README.md tells
 * customers to ({@code X-FetchSMS-Signature}: hex HMAC-SHA256 of the raw body keyed by the secret; and the Standard
 * Webhooks {@code webhook-signature} over {@code id.timestamp.body}), answers 204, and completes the future of the
 * verification named in an {@code sms.received} event.
 */
final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, CompletableFuture<Integer>> expected = new ConcurrentHashMap<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong badSignatures = new AtomicLong();
    private volatile String secret;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext("/hook", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    void secret(String secret) {
        this.secret = secret;
    }

    /** Completes with 200 when a correctly signed {@code sms.received} for the verification arrives. */
    CompletableFuture<Integer> expect(String verificationId) {
        return expected.computeIfAbsent(verificationId, id -> new CompletableFuture<>());
    }

    long received() {
        return received.get();
    }

    long badSignatures() {
        return badSignatures.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] raw = in.readAllBytes();
            received.incrementAndGet();
            boolean signed = signedByThePublicRule(raw, exchange.getRequestHeaders().getFirst("X-FetchSMS-Signature"))
                    && signedByStandardWebhooks(raw, exchange.getRequestHeaders().getFirst("webhook-id"),
                            exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                            exchange.getRequestHeaders().getFirst("webhook-signature"));
            if (!signed) {
                badSignatures.incrementAndGet();
            }
            JsonNode event = Api.JSON.readTree(raw);
            if ("sms.received".equals(event.path("event").asText())) {
                String id = event.path("data").path("verification_id").asText();
                expect(id).complete(signed ? 200 : Samples.BAD_SIGNATURE);
            }
            exchange.sendResponseHeaders(signed ? 204 : 401, -1);
        }
    }

    private boolean signedByThePublicRule(byte[] raw, String signature) {
        if (signature == null || secret == null) {
            return false;
        }
        byte[] expectedHex = HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), raw))
                .getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expectedHex, signature.getBytes(StandardCharsets.US_ASCII));
    }

    private boolean signedByStandardWebhooks(byte[] raw, String id, String timestamp, String signatures) {
        if (id == null || timestamp == null || signatures == null || secret == null) {
            return false;
        }
        byte[] key = Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + raw.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(raw, 0, signed, prefix.length, raw.length);
        byte[] expectedSignature = ("v1," + Base64.getEncoder().encodeToString(hmac(key, signed)))
                .getBytes(StandardCharsets.US_ASCII);
        for (String candidate : signatures.split(" ")) {
            if (MessageDigest.isEqual(expectedSignature, candidate.getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
