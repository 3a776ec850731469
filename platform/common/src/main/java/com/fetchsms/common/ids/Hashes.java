package com.fetchsms.common.ids;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The platform's request fingerprints: what an Idempotency-Key replay compares with the first request. */
public final class Hashes {

    private Hashes() {
    }

    /** SHA-256 of {@code value}'s UTF-8 bytes, in lower-case hex (the form stored with purchases and deposits). */
    public static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
