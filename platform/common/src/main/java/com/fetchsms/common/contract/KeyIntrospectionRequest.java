package com.fetchsms.common.contract;

/**
 * {@code POST /internal/api-keys/introspect} (wallet-service): the state of the key with this hash, asked by a
 * service's key view ({@code ApiKeyView}) for a key it does not hold yet or while it is stale. {@code key_hash} is the
 * hex SHA-256 of the key ({@code ApiKeys.hash}); wallet-service checks it (400 absent, 422 not 64 hex digits).
 */
public record KeyIntrospectionRequest(String keyHash) {
}
