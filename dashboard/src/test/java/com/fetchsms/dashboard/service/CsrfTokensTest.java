package com.fetchsms.dashboard.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fetchsms.dashboard.config.DashboardConfig;

/** The signed double-submit tokens: a token is good for the one cookie value it was made for, under one key. */
class CsrfTokensTest {

    private static final String KEY = "0123456789abcdef0123456789abcdef";

    private final CsrfTokens tokens = new CsrfTokens(config(Optional.of(KEY)));

    @Test
    void aTokenMatchesTheCookieValueItWasMadeFor() {
        String cookie = tokens.newCookieValue();
        assertTrue(tokens.matches(cookie, tokens.tokenFor(cookie)));
    }

    @Test
    void aTokenDoesNotMatchAnotherCookieValue() {
        String mine = tokens.newCookieValue();
        String theirs = tokens.newCookieValue();
        assertFalse(tokens.matches(theirs, tokens.tokenFor(mine)));
        assertFalse(tokens.matches(mine, tokens.tokenFor(theirs)));
    }

    @Test
    void aTamperedTokenDoesNotMatch() {
        String cookie = tokens.newCookieValue();
        String token = tokens.tokenFor(cookie);
        char first = token.charAt(0);
        String flipped = (first == 'A' ? 'B' : 'A') + token.substring(1);
        assertFalse(tokens.matches(cookie, flipped));
        assertFalse(tokens.matches(cookie, token.substring(0, token.length() - 1)));
        assertFalse(tokens.matches(cookie, token + "A"));
        assertFalse(tokens.matches(cookie, token.toUpperCase()));
        assertFalse(tokens.matches(cookie, ""));
        assertFalse(tokens.matches(cookie, null));
    }

    @Test
    void theCookieValueItselfIsNotAToken() {
        String cookie = tokens.newCookieValue();
        assertFalse(tokens.matches(cookie, cookie));
    }

    @Test
    void aMalformedCookieValueMatchesNothingNotEvenItsOwnToken() {
        String fortyThree = "A".repeat(42);
        for (String malformed : new String[]{"short", "", fortyThree + "+", fortyThree + "/", fortyThree + "=",
                fortyThree + "é", "A".repeat(44), fortyThree + " "}) {
            assertFalse(tokens.wellFormed(malformed), malformed);
            assertFalse(tokens.matches(malformed, tokens.tokenFor(malformed)), malformed);
        }
        assertFalse(tokens.wellFormed(null));
        assertFalse(tokens.matches(null, tokens.tokenFor("short")));
        assertFalse(tokens.matches(null, null));
    }

    @Test
    void newCookieValuesAreWellFormedAndNeverRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String value = tokens.newCookieValue();
            assertTrue(tokens.wellFormed(value), value);
            assertTrue(seen.add(value), "repeated " + value);
        }
    }

    @Test
    void aConfiguredKeyShorterThan32CharactersIsRefused() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new CsrfTokens(config(Optional.of(KEY.substring(1)))));
        assertTrue(refused.getMessage().contains("fetchsms.dashboard.csrf-key"), refused.getMessage());
        assertThrows(IllegalStateException.class, () -> new CsrfTokens(config(Optional.of(""))));
    }

    @Test
    void aConfiguredKeyOfExactly32CharactersIsAccepted() {
        CsrfTokens exact = new CsrfTokens(config(Optional.of(KEY)));
        String cookie = exact.newCookieValue();
        assertTrue(exact.matches(cookie, exact.tokenFor(cookie)));
    }

    @Test
    void twoProcessesWithTheSameConfiguredKeyAcceptEachOthersTokens() {
        CsrfTokens replica = new CsrfTokens(config(Optional.of(KEY)));
        String cookie = tokens.newCookieValue();
        assertEquals(tokens.tokenFor(cookie), replica.tokenFor(cookie));
        assertTrue(replica.matches(cookie, tokens.tokenFor(cookie)));
        assertTrue(tokens.matches(cookie, replica.tokenFor(cookie)));
    }

    @Test
    void aDifferentConfiguredKeyRefusesTheTokens() {
        CsrfTokens other = new CsrfTokens(config(Optional.of(KEY.replace('0', 'z'))));
        String cookie = tokens.newCookieValue();
        assertNotEquals(tokens.tokenFor(cookie), other.tokenFor(cookie));
        assertFalse(other.matches(cookie, tokens.tokenFor(cookie)));
    }

    @Test
    void processesWithoutAConfiguredKeyEachMakeTheirOwnAndRefuseEachOthersTokens() {
        CsrfTokens one = new CsrfTokens(config(Optional.empty()));
        CsrfTokens two = new CsrfTokens(config(Optional.empty()));
        String cookie = one.newCookieValue();
        assertTrue(one.matches(cookie, one.tokenFor(cookie)));
        assertTrue(two.matches(cookie, two.tokenFor(cookie)));
        assertNotEquals(one.tokenFor(cookie), two.tokenFor(cookie));
        assertFalse(two.matches(cookie, one.tokenFor(cookie)));
        assertFalse(one.matches(cookie, two.tokenFor(cookie)));
    }

    @Test
    void theSameCookieValueAlwaysGetsTheSameToken() {
        String cookie = tokens.newCookieValue();
        assertEquals(tokens.tokenFor(cookie), tokens.tokenFor(cookie));
    }

    /**
     * The settings with only {@code csrfKey}: the tokens read nothing else (any other setting read fails the test), and
     * the test does not have to follow the settings the dashboard gains.
     */
    static DashboardConfig config(Optional<String> csrfKey) {
        return (DashboardConfig) Proxy.newProxyInstance(DashboardConfig.class.getClassLoader(),
                new Class<?>[]{DashboardConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "csrfKey" -> csrfKey;
                    case "toString" -> "DashboardConfig[csrfKey]";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName() + " is not read by the tokens");
                });
    }
}
