package com.fetchsms.dashboard.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;

import com.fetchsms.dashboard.config.DashboardConfig;

/**
 * Signed double-submit CSRF tokens. Each browser holds a random value in an HttpOnly cookie ({@code fs_csrf}); every
 * form and every script-made request carries {@code HMAC-SHA256(key, value)}, which a page of another site can neither
 * read nor compute. The key is {@code fetchsms.dashboard.csrf-key}, or a random one per process.
 */
// Made at start, so that a configured key that is too short stops the process instead of failing every page.
@Startup
@ApplicationScoped
public class CsrfTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;

    CsrfTokens(DashboardConfig config) {
        byte[] secret = config.csrfKey().map(k -> {
            if (k.length() < 32) {
                throw new IllegalStateException("fetchsms.dashboard.csrf-key must be at least 32 characters");
            }
            return k.getBytes(StandardCharsets.UTF_8);
        }).orElseGet(() -> {
            byte[] random = new byte[32];
            RANDOM.nextBytes(random);
            return random;
        });
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** A new browser value for the cookie. */
    public String newCookieValue() {
        byte[] value = new byte[32];
        RANDOM.nextBytes(value);
        return ENCODER.encodeToString(value);
    }

    /** Whether a cookie value is one this dashboard could have made (length and alphabet). */
    public boolean wellFormed(String cookieValue) {
        return cookieValue != null && cookieValue.length() == 43 && cookieValue.chars()
                .allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_');
    }

    /** The token that forms of the browser holding {@code cookieValue} carry. */
    public String tokenFor(String cookieValue) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return ENCODER.encodeToString(mac.doFinal(cookieValue.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Whether {@code token} is the one for {@code cookieValue} (compared in constant time). */
    public boolean matches(String cookieValue, String token) {
        if (!wellFormed(cookieValue) || token == null) {
            return false;
        }
        return MessageDigest.isEqual(tokenFor(cookieValue).getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII));
    }
}
