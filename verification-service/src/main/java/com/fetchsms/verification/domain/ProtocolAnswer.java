package com.fetchsms.verification.domain;

/**
 * An answer of the SMS-Activate compatible API: the protocol's plain-text words ({@code ACCESS_NUMBER:…},
 * {@code NO_BALANCE}) or a JSON document, always with HTTP 200 as the protocol's clients expect — but for a rate
 * limit, which is 429 with {@code Retry-After} seconds like every other route.
 */
public record ProtocolAnswer(String body, boolean json, Long retryAfterSeconds) {

    public static ProtocolAnswer text(String body) {
        return new ProtocolAnswer(body, false, null);
    }

    public static ProtocolAnswer json(String body) {
        return new ProtocolAnswer(body, true, null);
    }

    public static ProtocolAnswer tooManyRequests(long retryAfterSeconds) {
        return new ProtocolAnswer("TOO_MANY_REQUESTS", false, retryAfterSeconds);
    }
}
