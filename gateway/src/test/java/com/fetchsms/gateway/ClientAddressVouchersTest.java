package com.fetchsms.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** A client-address voucher is believed only when the gateway's own key signed it and it has not expired. */
class ClientAddressVouchersTest {

    static final String KEY = "k".repeat(32);
    private static final Instant NOW = Instant.parse("2026-06-17T22:14:05Z");
    private static final Duration TTL = Duration.ofMinutes(2);

    private static ClientAddressVouchers at(Instant now, String key) {
        return new ClientAddressVouchers(key, TTL, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aVoucherOfTheGatewayIsBelievedUntilItExpires() {
        String voucher = at(NOW, KEY).issue("203.0.113.9, 10.0.0.7");
        assertEquals(Optional.of("203.0.113.9, 10.0.0.7"), at(NOW, KEY).verify(voucher));
        assertEquals(Optional.of("203.0.113.9, 10.0.0.7"), at(NOW.plus(TTL), KEY).verify(voucher));
        assertEquals(Optional.empty(), at(NOW.plus(TTL).plusSeconds(1), KEY).verify(voucher));
    }

    @Test
    void aVoucherSignedWithAnotherKeyOrChangedIsNot() {
        String voucher = at(NOW, KEY).issue("203.0.113.9");
        assertEquals(Optional.empty(), at(NOW, "x".repeat(32)).verify(voucher));
        String[] parts = voucher.split("\\.");
        String otherAddress = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("198.51.100.1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), at(NOW, KEY).verify(parts[0] + "." + otherAddress + "." + parts[2]));
        assertEquals(Optional.empty(), at(NOW, KEY).verify((Long.parseLong(parts[0]) + 60) + "." + parts[1] + "."
                + parts[2]));
    }

    @Test
    void aVoucherFromTooFarInTheFutureIsNot() {
        String fromTheFuture = at(NOW.plus(Duration.ofHours(1)), KEY).issue("203.0.113.9");
        assertEquals(Optional.empty(), at(NOW, KEY).verify(fromTheFuture));
    }

    @Test
    void anythingElseIsNoVoucher() {
        ClientAddressVouchers vouchers = at(NOW, KEY);
        for (String junk : new String[]{null, "", "203.0.113.9", "1.2.3", "a.b.c", "..", "1.%%%.x", "1.AA.AA.AA"}) {
            assertEquals(Optional.empty(), vouchers.verify(junk), String.valueOf(junk));
        }
    }

    @Test
    void aShortKeyStopsTheGatewayAtStart() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> at(NOW, "too-short"));
        assertTrue(refused.getMessage().contains("fetchsms.gateway.client-address.key"), refused.getMessage());
    }
}
