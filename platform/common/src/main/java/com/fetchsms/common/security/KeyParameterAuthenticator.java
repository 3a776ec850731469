package com.fetchsms.common.security;

import java.util.Optional;
import com.fetchsms.common.events.KeyMode;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * Authenticates an API key that arrives as a request parameter rather than a bearer header (the SMS-Activate
 * compatible API's {@code api_key}) exactly as the bearer mechanism does: the same key view, the same record of use,
 * and the same rate-limit bucket as the key's bearer requests ({@link RateLimitFilter#bucket}).
 */
@ApplicationScoped
public class KeyParameterAuthenticator {

    private final ApiKeyLookup keys;
    private final RateLimiter limiter;

    public KeyParameterAuthenticator(ApiKeyLookup keys, RateLimiter limiter) {
        this.keys = keys;
        this.limiter = limiter;
    }

    /** The caller of an active key; empty for anything else (absent, malformed, unknown or revoked). */
    public Uni<Optional<Caller>> authenticate(String key) {
        if (!ApiKeys.looksLikeKey(key)) {
            return Uni.createFrom().item(Optional.empty());
        }
        return keys.find(ApiKeys.hash(key)).map(found -> found.filter(ApiKeyView.KeyState::active).map(state -> {
            keys.recordUse(state.keyId());
            return new Caller(state.accountId(), state.keyId(), false, state.mode() == KeyMode.TEST);
        }));
    }

    /** Takes one request from the key's bucket, the one its bearer requests use. */
    public Uni<RateLimiter.Decision> acquire(Caller caller) {
        return limiter.acquire(RateLimitFilter.keyBucket(caller.keyId()));
    }
}
