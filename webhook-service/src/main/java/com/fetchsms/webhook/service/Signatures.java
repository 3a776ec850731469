package com.fetchsms.webhook.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Delivery signatures. {@code X-FetchSMS-Signature}: lowercase hex HMAC-SHA256 of the raw body keyed by the
 * secret string's UTF-8 bytes (exactly Node's {@code createHmac('sha256', endpointSecret)}). {@code webhook-signature}:
 * the Standard Webhooks form, {@code v1,} + base64 HMAC-SHA256 of {@code id.timestamp.body} keyed by the base64
 * bytes after {@code whsec_}, which also signs the timestamp (replay protection).
 */
public final class Signatures {

    private Signatures() {
    }

    /** The documented signature. */
    public static String fetchSms(String secret, String rawBody) {
        return HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), rawBody));
    }

    /** The Standard Webhooks signature ({@code v1,<base64>}). */
    public static String standard(String secret, String deliveryId, long timestamp, String rawBody) {
        String encoded = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        byte[] key = Base64.getDecoder().decode(encoded);
        return "v1," + Base64.getEncoder().encodeToString(hmac(key, deliveryId + "." + timestamp + "." + rawBody));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
