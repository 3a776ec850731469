package com.fetchsms.common.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

import com.fetchsms.common.events.KeyMode;

/**
 * API keys: {@code fsk_live_} (or {@code fsk_test_} for a sandbox key, {@link KeyMode}) followed by 32 base62 characters
 * (190 bits from {@link SecureRandom}), recognisable by secret scanners, shown once; only the hex SHA-256 of the whole
 * key is ever stored or sent between services.
 */
public final class ApiKeys {

    /** Characters of a key shown in listings ({@code fsk_live_AbCd}), enough to tell keys apart, not to guess one. */
    public static final int SHOWN_PREFIX_LENGTH = KeyMode.LIVE.prefix().length() + 4;

    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            .toCharArray();
    private static final int RANDOM_CHARS = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * One SHA-256 instance per thread: every authenticated request hashes its key, and looking the algorithm up in the
     * security providers each time cost more than the hash.
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private static final HexFormat HEX = HexFormat.of();

    private ApiKeys() {
    }

    /** A new random live key. */
    public static String generate() {
        return generate(KeyMode.LIVE);
    }

    /** A new random key of that mode. */
    public static String generate(KeyMode mode) {
        StringBuilder key = new StringBuilder(mode.prefix());
        for (int i = 0; i < RANDOM_CHARS; i++) {
            key.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return key.toString();
    }

    /** Whether a bearer token looks like an API key (as opposed to a dashboard JWT). */
    public static boolean looksLikeKey(String token) {
        return token != null && token.startsWith("fsk_");
    }

    /** Hex SHA-256 of the key: what is stored, published and looked up. */
    public static String hash(String key) {
        // digest() resets the thread's instance for its next use
        return HEX.formatHex(SHA_256.get().digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    /** The part of a key shown in listings. */
    public static String shownPrefix(String key) {
        return key.substring(0, Math.min(SHOWN_PREFIX_LENGTH, key.length()));
    }
}
