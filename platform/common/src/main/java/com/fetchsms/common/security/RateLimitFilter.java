package com.fetchsms.common.security;

import java.time.Duration;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import com.fetchsms.common.error.ApiException;

/**
 * Enforces {@link RateLimiter} on {@link RateLimited} resources, keyed by the bearer credential (its SHA-256, so no
 * secret is kept as a map key). Answers carry {@code X-RateLimit-Limit} and {@code X-RateLimit-Remaining}; a refused
 * request is 429 with {@code Retry-After}.
 */
public class RateLimitFilter {

    private static final String DECISION = "fetchsms.rate-limit.decision";

    private final RateLimiter limiter;

    public RateLimitFilter(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @RateLimited
    @ServerRequestFilter(preMatching = false)
    public void limit(ContainerRequestContext request) {
        String credential = credential(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        RateLimiter.Decision decision = limiter.acquire(credential);
        request.setProperty(DECISION, decision);
        if (!decision.allowed()) {
            throw ApiException.tooManyRequests("Too many requests: the limit is " + decision.limit()
                    + " per second per credential", Duration.ofMillis(decision.retryAfterMillis()));
        }
    }

    /**
     * The bucket of a request: the bearer token as authentication reads it (scheme in any case, surrounding blanks
     * dropped), hashed; so {@code bearer  fsk_…} and {@code Bearer fsk_…} share one bucket.
     */
    static String credential(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return "anonymous";
        }
        String value = authorization.trim();
        int space = value.indexOf(' ');
        String token = space > 0 && value.substring(0, space).equalsIgnoreCase("Bearer")
                ? value.substring(space + 1).trim()
                : value;
        return ApiKeys.hash(token);
    }

    @RateLimited
    @ServerResponseFilter
    public void headers(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(DECISION) instanceof RateLimiter.Decision decision) {
            response.getHeaders().putSingle("X-RateLimit-Limit", decision.limit());
            response.getHeaders().putSingle("X-RateLimit-Remaining", decision.remaining());
        }
    }
}
