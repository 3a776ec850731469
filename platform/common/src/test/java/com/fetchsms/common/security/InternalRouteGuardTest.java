package com.fetchsms.common.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.client.ServicesConfig;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.SmallRyeConfigBuilder;

class InternalRouteGuardTest {

    private static final String CURRENT = "current-service-credential-0123456789abcdef";
    private static final String PREVIOUS = "previous-service-credential-0123456789abcdef";

    @Test
    void acceptsTheCurrentAndPreviousCredentialsOnly() {
        InternalRouteGuard guard = new InternalRouteGuard(config(CURRENT, List.of(PREVIOUS)));
        assertTrue(guard.accepts(CURRENT));
        assertTrue(guard.accepts(PREVIOUS));
        assertFalse(guard.accepts(null));
        assertFalse(guard.accepts(""));
        assertFalse(guard.accepts(CURRENT.substring(1)));
        assertFalse(guard.accepts(CURRENT + "x"));
        assertFalse(guard.accepts("Bearer " + CURRENT));
    }

    @Test
    void refusesToStartWithAShortOrBlankCredential() {
        assertThrows(IllegalStateException.class, () -> new InternalRouteGuard(config("changeme", List.of())));
        assertThrows(IllegalStateException.class, () -> new InternalRouteGuard(config(" ".repeat(40), List.of())));
        assertThrows(IllegalStateException.class, () -> new InternalRouteGuard(config(CURRENT, List.of("short"))));
    }

    @Test
    void theCredentialHasNoDefaultSoAServiceWithoutOneDoesNotStart() {
        ConfigValidationException missing = assertThrows(ConfigValidationException.class, () -> config().build());
        assertTrue(missing.getMessage().contains("fetchsms.services.credential"), missing.getMessage());
        ServicesConfig configured = config().withDefaultValue("fetchsms.services.credential", CURRENT).build()
                .getConfigMapping(ServicesConfig.class);
        assertTrue(new InternalRouteGuard(configured).accepts(CURRENT));
    }

    @Test
    void recognisesEverySpellingOfAnInternalPath() {
        for (String path : List.of("/internal", "/internal/", "/internal/debits", "/INTERNAL/debits", "//internal/x",
                "/./internal/x", "/internal;a=b/debits", "/Internal;x/reservations/1/release")) {
            assertTrue(InternalRouteGuard.isInternal(path), path);
        }
        for (String path : List.of("/", "", "/internals", "/v1/internal", "/internalx/debits", "/q/health",
                "/v1/services")) {
            assertFalse(InternalRouteGuard.isInternal(path), path);
        }
    }

    /** The services' mapping as Quarkus builds it (durations like "3s"), without any value. */
    private static SmallRyeConfigBuilder config() {
        return new SmallRyeConfigBuilder().withMapping(ServicesConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter());
    }

    private static ServicesConfig config(String credential, List<String> previous) {
        return new ServicesConfig() {
            @Override
            public String catalogUrl() {
                return "http://127.0.0.1:1";
            }

            @Override
            public String walletUrl() {
                return "http://127.0.0.1:1";
            }

            @Override
            public String credential() {
                return credential;
            }

            @Override
            public Optional<List<String>> previousCredentials() {
                return Optional.of(previous);
            }

            @Override
            public Duration callTimeout() {
                return Duration.ofSeconds(1);
            }

            @Override
            public int maxPoolSize() {
                return 1;
            }

            @Override
            public boolean keepAlive() {
                return true;
            }

            @Override
            public Duration keepAliveTimeout() {
                return Duration.ofSeconds(1);
            }

            @Override
            public boolean pipelining() {
                return false;
            }
        };
    }
}
