package com.fetchsms.common.security;

import java.util.Optional;
import java.util.UUID;

import io.smallrye.mutiny.Uni;

/**
 * Where a service that takes API keys finds a key's state: the credential view of the {@code api-key.changed} topic
 * ({@link ViewApiKeyLookup}) everywhere, except in wallet-service, which owns the keys and answers from its own database
 * (its bean replaces the view's, and it runs no key view: {@code fetchsms.api-keys.view=false}).
 */
public interface ApiKeyLookup {

    /**
     * The state of the key with this hash (active or revoked); empty when unknown. May fail with a 503
     * {@code ApiException} when the key cannot be checked now.
     */
    Uni<Optional<ApiKeyView.KeyState>> find(String keyHash);

    /** Notes a successful use of the key (its {@code last_used_at}). */
    void recordUse(UUID keyId);
}
