package com.fetchsms.common.input;

import java.util.List;
import java.util.regex.Pattern;

import com.fetchsms.common.error.ApiException;

import io.vertx.core.http.HttpServerRequest;

/**
 * The {@code Idempotency-Key} header of a purchase or a deposit, read from the request itself: the REST layer reads an
 * empty header as no header, which would make a client's retry with an empty key a second purchase. Absent: null (the
 * request is not idempotent). Present: once, 1 to 255 printable ASCII characters without spaces (a UUID, say);
 * anything else is 400 naming the header. One rule for purchases, deposits and administrators' credits alike: the
 * first request's outcome is stored with its key and a hash of the request, and a retry with the same key is answered
 * that outcome again when its hash is the same ({@link #requireSameRequest}), else 422.
 */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    private static final Pattern VALID = Pattern.compile("[\\x21-\\x7e]{1,255}");
    private static final String RULE = HEADER + " must be 1 to 255 printable ASCII characters without spaces";
    /** The refusal of a key reused with another request (422). */
    public static final String DIFFERENT_REQUEST = "This Idempotency-Key was already used with a different request";

    private IdempotencyKeys() {
    }

    /** The request's key, null when it sent none; 400 when it sent an empty, blank, long, broken or doubled one. */
    public static String of(HttpServerRequest request) {
        List<String> values = request.headers().getAll(HEADER);
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest(HEADER + " must be sent once");
        }
        String key = values.get(0);
        if (key == null || !VALID.matcher(key).matches()) {
            throw ApiException.badRequest(RULE);
        }
        return key;
    }

    /**
     * Checks that a retry under a key already used is the same request as the first one (their stored and current
     * hashes, {@link com.fetchsms.common.ids.Hashes#sha256Hex}); 422 {@link #DIFFERENT_REQUEST} otherwise.
     */
    public static void requireSameRequest(String firstRequestHash, String requestHash) {
        if (firstRequestHash == null || !firstRequestHash.equals(requestHash)) {
            throw ApiException.unprocessable(DIFFERENT_REQUEST);
        }
    }
}
