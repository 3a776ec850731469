package com.fetchsms.common.ids;

import java.security.SecureRandom;

/** Short public references: {@code v_} and six base62 characters (e.g. {@code v_8R3p2K}). */
public final class Refs {

    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            .toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Refs() {
    }

    public static String next(String prefix) {
        StringBuilder ref = new StringBuilder(prefix);
        for (int i = 0; i < 6; i++) {
            ref.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return ref.toString();
    }
}
