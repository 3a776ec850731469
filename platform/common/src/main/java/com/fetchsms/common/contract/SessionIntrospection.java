package com.fetchsms.common.contract;

/**
 * The answer to a {@link SessionIntrospectionRequest}: whether the session is signed out. The caller reads an absent
 * {@code revoked} as {@code true} (fail closed).
 */
public record SessionIntrospection(Boolean revoked) {
}
