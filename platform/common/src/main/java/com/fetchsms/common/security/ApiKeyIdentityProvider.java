package com.fetchsms.common.security;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.common.events.KeyMode;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Turns a valid, active API key into an identity with the role {@code api} (never {@code user}), marked as a sandbox
 * caller when it is a test key.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    private final ApiKeyLookup keys;

    public ApiKeyIdentityProvider(ApiKeyLookup keys) {
        this.keys = keys;
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request,
            AuthenticationRequestContext context) {
        return keys.find(ApiKeys.hash(request.key())).map(found -> {
            ApiKeyView.KeyState key = found.filter(ApiKeyView.KeyState::active)
                    .orElseThrow(() -> new AuthenticationFailedException("Invalid or revoked API key"));
            keys.recordUse(key.keyId());
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(key.accountId().toString()))
                    .addRole(Caller.ROLE_API)
                    .addAttribute(Caller.KEY_ID_ATTRIBUTE, key.keyId())
                    .addAttribute(Caller.SANDBOX_ATTRIBUTE, key.mode() == KeyMode.TEST)
                    .build();
        });
    }
}
