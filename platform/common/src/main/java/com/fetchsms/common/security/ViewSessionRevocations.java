package com.fetchsms.common.security;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;

/** Sign-outs as the credential view knows them (or, while it is stale, as wallet-service answers). */
@DefaultBean
@ApplicationScoped
public class ViewSessionRevocations implements SessionRevocations {

    private final ApiKeyView view;
    private final SessionsConfig config;

    public ViewSessionRevocations(ApiKeyView view, SessionsConfig config) {
        this.view = view;
        this.config = config;
    }

    @Override
    public Uni<Boolean> revoked(UUID accountId, UUID sessionId, Instant issuedAt) {
        if (!config.revocationView()) {
            return Uni.createFrom().item(false);
        }
        return view.sessionRevoked(accountId, sessionId, issuedAt);
    }
}
