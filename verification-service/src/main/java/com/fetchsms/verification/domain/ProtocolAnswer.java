package com.fetchsms.verification.domain;

/**
 * An answer of the SMS-Activate compatible API: the protocol's plain-text words ({@code ACCESS_NUMBER:…},
 * {@code NO_BALANCE}) or a JSON document, always with HTTP 200 as the protocol's clients expect. (A request above the
 * key's rate limit is the platform's 429 {@code {"detail"}} with {@code Retry-After}, like every other route.)
 */
public record ProtocolAnswer(String body, boolean json) {

    public static ProtocolAnswer text(String body) {
        return new ProtocolAnswer(body, false);
    }

    public static ProtocolAnswer json(String body) {
        return new ProtocolAnswer(body, true);
    }
}
