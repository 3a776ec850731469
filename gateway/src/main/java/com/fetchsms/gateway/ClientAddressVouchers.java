package com.fetchsms.gateway;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The gateway's word for the address of the client behind a request (decision 0028). With each request it forwards to
 * a relay (the dashboard, which calls the public API back on the browser's behalf), the gateway adds a voucher in
 * {@link #HEADER}: the {@code X-Forwarded-For} it sent, an expiry and an HMAC-SHA256 of both with its own key. The
 * relay copies the voucher, unread, onto its calls back; a voucher that verifies makes the gateway forward that
 * {@code X-Forwarded-For} instead of the relay's own address, so the services' per-address throttles see the browser.
 * Nobody without the key can make one, a voucher is believed only until it expires, and the gateway strips the header
 * from every request it forwards (a relay only ever gets a fresh one), so no service ever sees or logs one.
 */
final class ClientAddressVouchers {

    static final String HEADER = "X-FetchSMS-Client-Address";
    static final int MIN_KEY_LENGTH = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;

    ClientAddressVouchers(String key, Duration ttl, Clock clock) {
        if (key == null || key.length() < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException(
                    "fetchsms.gateway.client-address.key must be at least " + MIN_KEY_LENGTH + " characters");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("fetchsms.gateway.client-address.ttl must be positive");
        }
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A voucher for {@code forwardedFor} (the {@code X-Forwarded-For} forwarded with the request), valid for ttl. */
    String issue(String forwardedFor) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        String address = ENCODER.encodeToString(forwardedFor.getBytes(StandardCharsets.UTF_8));
        return expires + "." + address + "." + ENCODER.encodeToString(sign(expires + "." + address));
    }

    /**
     * The {@code X-Forwarded-For} a voucher stands for, when it is the gateway's own (the right signature, compared
     * in constant time) and has not expired; empty for anything else.
     */
    Optional<String> verify(String voucher) {
        if (voucher == null) {
            return Optional.empty();
        }
        String[] parts = voucher.trim().split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            long expires = Long.parseLong(parts[0]);
            long now = clock.instant().getEpochSecond();
            byte[] presented = DECODER.decode(parts[2]);
            if (!MessageDigest.isEqual(sign(parts[0] + "." + parts[1]), presented) || expires < now
                    || expires > now + ttl.toSeconds() + 1) {
                return Optional.empty();
            }
            String forwardedFor = new String(DECODER.decode(parts[1]), StandardCharsets.UTF_8);
            return forwardedFor.isBlank() ? Optional.empty() : Optional.of(forwardedFor);
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    private byte[] sign(String value) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java runtime has " + ALGORITHM, e);
        }
    }
}
