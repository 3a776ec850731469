package com.fetchsms.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;

import io.restassured.path.json.JsonPath;

/**
 * A customer's webhook endpoint: a real HTTP server on 127.0.0.1 that keeps every delivery (headers and the raw body)
 * and answers 204, as the receiver example of webhook-service's README does.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One POST as received. */
    record Delivery(String event, String signature, String deliveryId, byte[] rawBody) {

        String body() {
            return new String(rawBody, StandardCharsets.UTF_8);
        }

        JsonPath json() {
            return JsonPath.from(body());
        }

        /** The documented check: hex HMAC-SHA256 of the raw body keyed by the endpoint secret, compared in constant time. */
        boolean signedWith(String endpointSecret) {
            return verify(rawBody, signature, endpointSecret);
        }
    }

    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hooks/fetchsms", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] raw = in.readAllBytes();
                if ("POST".equals(exchange.getRequestMethod())) {
                    deliveries.add(new Delivery(exchange.getRequestHeaders().getFirst("X-FetchSMS-Event"),
                            exchange.getRequestHeaders().getFirst("X-FetchSMS-Signature"),
                            exchange.getRequestHeaders().getFirst("X-FetchSMS-Delivery"), raw));
                }
                exchange.sendResponseHeaders(204, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** Where the platform may post: http on 127.0.0.1, allowed by the local stack. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/fetchsms";
    }

    List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The first delivery that matches, waiting for it. */
    Delivery await(String what, Duration timeout, Predicate<Delivery> matches) {
        return Poll.until(what, timeout, () -> deliveries.stream().filter(matches).findFirst().orElse(null),
                d -> d != null);
    }

    static boolean verify(byte[] rawBody, String signature, String endpointSecret) {
        if (signature == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(endpointSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = HexFormat.of().formatHex(mac.doFinal(rawBody)).getBytes(StandardCharsets.UTF_8);
            return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
