package com.fetchsms.common.input;

import java.util.List;
import java.util.regex.Pattern;

import com.fetchsms.common.error.ApiException;

import io.vertx.core.http.HttpServerRequest;

/**
 * The {@code Idempotency-Key} header of a purchase or a deposit, read from the request itself: the REST layer reads an
 * empty header as no header, which would make a client's retry with an empty key a second purchase. Absent: null (the
 * request is not idempotent). Present: once, 1 to 255 printable ASCII characters without spaces (a UUID, say);
 * anything else is 400 naming the header. One rule for purchases and deposits alike.
 */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    private static final Pattern VALID = Pattern.compile("[\\x21-\\x7e]{1,255}");
    private static final String RULE = HEADER + " must be 1 to 255 printable ASCII characters without spaces";

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
}
