package com.fetchsms.common.security;

import java.util.function.Function;
import java.util.function.Predicate;

import com.fetchsms.common.error.ApiException;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * What the filters of {@link SandboxOnly} and {@link SessionOrTestKey} routes share: once the request's caller is known
 * (without blocking: the deferred identity), a caller the route does not take is refused with 403 and a detail that
 * says why.
 */
final class CallerGate {

    private CallerGate() {
    }

    static Uni<Void> refuseUnless(CurrentIdentityAssociation identities, Predicate<Caller> takes,
            Function<Caller, String> refusal) {
        return identities.getDeferredIdentity().map(identity -> {
            Caller caller = Caller.of(identity);
            if (!takes.test(caller)) {
                throw ApiException.forbidden(refusal.apply(caller));
            }
            return null;
        });
    }
}
