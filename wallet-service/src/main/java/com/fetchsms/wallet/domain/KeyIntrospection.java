package com.fetchsms.wallet.domain;

import java.util.UUID;

/** What another service learns about a key hash it has not seen yet ({@code status}: active or revoked). */
public record KeyIntrospection(UUID keyId, UUID accountId, String prefix, String status) {
}
