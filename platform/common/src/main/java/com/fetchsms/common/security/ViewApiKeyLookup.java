package com.fetchsms.common.security;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;

/** Keys as the credential view knows them (or, while it is stale, as wallet-service answers). */
@DefaultBean
@ApplicationScoped
public class ViewApiKeyLookup implements ApiKeyLookup {

    private final ApiKeyView view;

    public ViewApiKeyLookup(ApiKeyView view) {
        this.view = view;
    }

    @Override
    public Uni<Optional<ApiKeyView.KeyState>> find(String keyHash) {
        return view.find(keyHash);
    }

    @Override
    public void recordUse(UUID keyId) {
        view.recordUse(keyId);
    }
}
