package com.fetchsms.ingest.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;

import com.fetchsms.ingest.config.IngestConfig;

/**
 * The credentials of modem gateways.
 * <ul>
 * <li>Token: {@code fgw_} + 40 base62 characters (238 bits from {@link SecureRandom}), shown once, stored as its
 * SHA-256 (hex). A database dump does not reveal a usable token.</li>
 * <li>android-sms-gateway signing key: that software authenticates webhooks only with an HMAC (no header of our
 * choosing), so verifying needs the key itself. Instead of storing it, each gateway's key is derived:
 * {@code base64url(HMAC-SHA256(master, "android-sms-gateway|" + id + "|" + credential_version))}, with the master
 * secret {@code fetchsms.ingest.signing-key} held only in the service's configuration (a Kubernetes Secret). Rotating
 * the gateway's token bumps {@code credential_version}, which changes the signing key too.</li>
 * </ul>
 */
@ApplicationScoped
@Startup
public class GatewayCredentials {

    public static final String TOKEN_PREFIX = "fgw_";
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            .toCharArray();
    private static final int TOKEN_CHARS = 40;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] master;

    public GatewayCredentials(IngestConfig config) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(config.signingKey().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("fetchsms.ingest.signing-key must be base64");
        }
        if (decoded.length < 32) {
            throw new IllegalStateException("fetchsms.ingest.signing-key must hold at least 32 bytes");
        }
        this.master = decoded;
    }

    public static String newToken() {
        StringBuilder token = new StringBuilder(TOKEN_PREFIX);
        for (int i = 0; i < TOKEN_CHARS; i++) {
            token.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return token.toString();
    }

    /** SHA-256 of the token, lower-case hex: what is stored and looked up. */
    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The recognisable start of a token ({@code fgw_AbCd}), shown in lists. */
    public static String shownPrefix(String token) {
        return token.substring(0, Math.min(token.length(), TOKEN_PREFIX.length() + 4));
    }

    /** The android-sms-gateway signing key of a gateway at a credential version. */
    public String signingKey(UUID gatewayId, int credentialVersion) {
        byte[] key = hmac(master,
                ("android-sms-gateway|" + gatewayId + "|" + credentialVersion).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /**
     * Whether {@code signatureHex} is android-sms-gateway's signature of {@code body} + {@code timestamp}:
     * hex(HMAC-SHA256(signing key, raw body bytes followed by the {@code X-Timestamp} value)). Constant-time.
     */
    public boolean androidSignatureValid(UUID gatewayId, int credentialVersion, byte[] body, String timestamp,
            String signatureHex) {
        byte[] expected = androidSignature(signingKey(gatewayId, credentialVersion), body, timestamp);
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signatureHex.trim().toLowerCase());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, given);
    }

    /** android-sms-gateway's signature with a given key (also what its tests send). */
    public static byte[] androidSignature(String signingKey, byte[] body, String timestamp) {
        byte[] ts = timestamp.getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[body.length + ts.length];
        System.arraycopy(body, 0, signed, 0, body.length);
        System.arraycopy(ts, 0, signed, body.length, ts.length);
        return hmac(signingKey.getBytes(StandardCharsets.UTF_8), signed);
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
}
