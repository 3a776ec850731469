package com.fetchsms.wallet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ClientAddressResolverTest {

    private final ClientAddressResolver resolver = new ClientAddressResolver(List.of("10.0.0.0/8", "::1/128"));

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        assertEquals("198.51.100.1", resolver.resolve("198.51.100.1", List.of("203.0.113.9")));
    }

    @Test
    void aTrustedPeersForwardedForIsReadFromTheRightSkippingTrustedHops() {
        assertEquals("203.0.113.9", resolver.resolve("10.1.2.3", List.of("6.6.6.6, 203.0.113.9")));
        assertEquals("203.0.113.9", resolver.resolve("10.1.2.3", List.of("6.6.6.6, 203.0.113.9", "10.9.9.9")));
        assertEquals("203.0.113.9", resolver.resolve("::1", List.of("203.0.113.9")));
    }

    @Test
    void aTrustedPeerWithoutForwardedForIsItselfAndGarbageStopsTheChain() {
        assertEquals("10.1.2.3", resolver.resolve("10.1.2.3", List.of()));
        assertEquals("10.9.9.9", resolver.resolve("10.1.2.3", List.of("203.0.113.9, not-an-address, 10.9.9.9")));
    }

    @Test
    void spellingsOfOneAddressAreOneKey() {
        assertEquals("203.0.113.9", resolver.resolve("10.1.2.3", List.of("::ffff:203.0.113.9")));
        assertEquals("2001:db8:0:0:0:0:0:1", resolver.resolve("10.1.2.3", List.of("[2001:DB8::1]")));
    }
}
