package com.fetchsms.dashboard.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Where a browser goes after signing in: a page of the dashboard, never another site. */
class SignInNextTest {

    private static final String DEFAULT = "/app/verifications";

    @Test
    void aDashboardPageIsKeptWithItsQuery() {
        assertEquals("/app/wallet?x=1", AuthResource.safeNext("/app/wallet?x=1"));
        assertEquals("/app/wallet", AuthResource.safeNext("/app/wallet"));
        assertEquals("/app/", AuthResource.safeNext("/app/"));
        assertEquals("/app/verifications/0b6f1e2a-9c3d-4e5f-8a7b-1c2d3e4f5a6b",
                AuthResource.safeNext("/app/verifications/0b6f1e2a-9c3d-4e5f-8a7b-1c2d3e4f5a6b"));
    }

    @Test
    void noNextGoesToTheVerifications() {
        assertEquals(DEFAULT, AuthResource.safeNext(null));
        assertEquals(DEFAULT, AuthResource.safeNext(""));
    }

    @Test
    void anotherHostIsRefused() {
        for (String elsewhere : new String[]{"//evil.com", "//evil.com/app/", "https://evil.com",
                "https://evil.com/app/wallet", "http:/app/wallet", "javascript:alert(1)", "/app//evil.com",
                "/app//evil.com/x", "/app\\evil", "/app/\\evil.com", "/app/\\\\evil.com", "\\\\evil.com"}) {
            assertEquals(DEFAULT, AuthResource.safeNext(elsewhere), elsewhere);
        }
    }

    @Test
    void controlCharactersAndSpacesAreRefused() {
        for (String sneaky : new String[]{"/app/wallet\r\nSet-Cookie: x=1", "/app/\n/evil.com", "/app/\t/evil.com",
                "/app/wallet\u0000", "/app/wallet\u007f", "/app/ wallet", " /app/wallet", "/app/wallet "}) {
            assertEquals(DEFAULT, AuthResource.safeNext(sneaky), sneaky);
        }
    }

    @Test
    void aPathOutsideTheDashboardIsRefused() {
        for (String outside : new String[]{"/other", "/", "/app", "/application", "/App/wallet", "/docs",
                "/v1/wallet", "app/wallet"}) {
            assertEquals(DEFAULT, AuthResource.safeNext(outside), outside);
        }
    }
}
