package com.fetchsms.common.security;

import java.time.Duration;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import com.fetchsms.common.error.ApiException;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Enforces {@link RateLimiter} (one bucket per credential, shared by every replica) on {@link RateLimited} resources,
 * keyed by the credential that authentication accepted:
 * the API key's id for an API key, the account for a dashboard session (so all of an account's sessions share one
 * bucket). Nothing else of the request (other headers, spellings of the header) chooses the bucket, and a request with
 * two {@code Authorization} headers never gets this far ({@link SingleAuthorizationHeader}). Answers carry
 * {@code X-RateLimit-Limit} and {@code X-RateLimit-Remaining}; a refused request is 429 with {@code Retry-After}.
 */
public class RateLimitFilter {

    private static final String DECISION = "fetchsms.rate-limit.decision";

    private final RateLimiter limiter;
    private final CurrentIdentityAssociation identities;

    public RateLimitFilter(RateLimiter limiter, CurrentIdentityAssociation identities) {
        this.limiter = limiter;
        this.identities = identities;
    }

    /**
     * Authenticates (once per request: the identity is the one the resource's security check uses) and takes a token
     * from the caller's bucket; a credential that does not authenticate fails here as it would at the check (401). A
     * request without a credential takes from no bucket (no write to the shared store): every limited route requires a
     * role, so its security check answers 401 next.
     */
    @RateLimited
    @ServerRequestFilter(preMatching = false)
    public Uni<Void> limit(ContainerRequestContext request) {
        return identities.getDeferredIdentity().chain(identity -> {
            if (identity == null || identity.isAnonymous()) {
                return Uni.createFrom().voidItem();
            }
            return limiter.acquire(bucket(identity)).chain(decision -> {
                request.setProperty(DECISION, decision);
                return decision.allowed() ? Uni.createFrom().voidItem() : Uni.createFrom().failure(refusal(decision));
            });
        });
    }

    /** The 429 of a refused request: the limit in its detail, {@code Retry-After} when a token is back. */
    public static ApiException refusal(RateLimiter.Decision decision) {
        return ApiException.tooManyRequests("Too many requests: the limit is " + decision.limit()
                + " per second per credential", Duration.ofMillis(decision.retryAfterMillis()));
    }

    /** The bucket of an authenticated caller: {@code api-key:<key id>} or {@code account:<account id>}. */
    static String bucket(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return "anonymous";
        }
        Object keyId = identity.getAttribute(Caller.KEY_ID_ATTRIBUTE);
        if (keyId != null) {
            return keyBucket(keyId);
        }
        String subject = identity.getPrincipal() instanceof JsonWebToken jwt
                ? jwt.getSubject()
                : identity.getPrincipal().getName();
        return "account:" + subject;
    }

    /** The bucket of an API key, however the key was presented. */
    static String keyBucket(Object keyId) {
        return "api-key:" + keyId;
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
