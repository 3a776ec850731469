package com.fetchsms.dashboard.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** What each event of the account stream refreshes on the pages (the platform's stream data is flat JSON). */
class LiveTriggersTest {

    private static final String VERIFICATION = "0b6f1e2a-9c3d-4e5f-8a7b-1c2d3e4f5a6b";
    private static final String RENTAL = "7d8e9f0a-1b2c-4d3e-9f4a-5b6c7d8e9f0a";

    @Test
    void aCodeForAVerificationRefreshesItsCardAndTheList() {
        assertEquals(List.of("verification-" + VERIFICATION, "verifications"),
                LiveTriggers.of("sms.received", "{\"verification_id\":\"" + VERIFICATION + "\",\"ref\":\"VRF-1\","
                        + "\"number\":\"(332) 555-0184\",\"code\":\"123456\"}"));
    }

    @Test
    void aCancelledVerificationRefreshesItsCardAndTheListButNotYetTheWallet() {
        assertEquals(List.of("verification-" + VERIFICATION, "verifications"),
                LiveTriggers.of("verification.cancelled",
                        "{\"verification_id\":\"" + VERIFICATION + "\",\"reason\":\"customer\"}"));
    }

    @Test
    void anExpiredVerificationRefreshesItsCardAndTheList() {
        assertEquals(List.of("verification-" + VERIFICATION, "verifications"),
                LiveTriggers.of("verification.expired", "{\"verification_id\":\"" + VERIFICATION + "\"}"));
    }

    @Test
    void aBookedRefundRefreshesTheWalletOnly() {
        assertEquals(List.of("wallet"), LiveTriggers.of("wallet.refunded", "{\"verification_id\":\"" + VERIFICATION
                + "\",\"amount_cents\":70,\"balance_cents\":1070,\"reason\":\"cancelled\"}"));
        assertEquals(List.of("wallet"), LiveTriggers.of("wallet.refunded",
                "{\"rental_id\":\"" + RENTAL + "\",\"reason\":\"expired_without_code\"}"));
        assertTrue(LiveTriggers.of("wallet.refunded", "{\"amount_cents\":70}").isEmpty());
    }

    @Test
    void aMessageForARentalRefreshesItAndTheRentals() {
        assertEquals(List.of("rental-" + RENTAL, "rentals"),
                LiveTriggers.of("sms.received", "{\"rental_id\":\"" + RENTAL + "\",\"body\":\"hello\"}"));
    }

    @Test
    void aCancelledOrExpiredRentalRefreshesItAndTheRentals() {
        assertEquals(List.of("rental-" + RENTAL, "rentals"),
                LiveTriggers.of("rental.cancelled", "{\"rental_id\":\"" + RENTAL + "\",\"reason\":\"reported\"}"));
        assertEquals(List.of("rental-" + RENTAL, "rentals"),
                LiveTriggers.of("rental.expired", "{\"rental_id\":\"" + RENTAL + "\"}"));
    }

    @Test
    void anIdIsWrittenAsThePagesWriteIt() {
        assertEquals(List.of("verification-" + VERIFICATION, "verifications"),
                LiveTriggers.of("sms.received", "{\"verification_id\":\"" + VERIFICATION.toUpperCase() + "\"}"));
    }

    @Test
    void malformedDataTriggersNothing() {
        for (String data : new String[]{"not json", "{", "{\"verification_id\":", "", "   ", "null", "42",
                "\"" + VERIFICATION + "\"", "[\"" + VERIFICATION + "\"]"}) {
            assertTrue(LiveTriggers.of("sms.received", data).isEmpty(), data);
            assertTrue(LiveTriggers.of("verification.cancelled", data).isEmpty(), data);
        }
    }

    @Test
    void anEventWithoutAPurchaseIdTriggersNothingNotEvenTheWallet() {
        assertTrue(LiveTriggers.of("sms.received", "{}").isEmpty());
        assertTrue(LiveTriggers.of("verification.cancelled", "{\"ref\":\"VRF-1\"}").isEmpty());
        assertTrue(LiveTriggers.of("rental.expired", "{\"verification_id\":null,\"rental_id\":null}").isEmpty());
    }

    @Test
    void anIdThatIsNotAUuidTriggersNothing() {
        for (String id : new String[]{"\"abc\"", "\"\"", "42", "true", "{\"id\":\"" + VERIFICATION + "\"}",
                "[\"" + VERIFICATION + "\"]", "\"" + VERIFICATION + "x\"", "\"" + VERIFICATION + "\\\" onclick\"",
                "\"../" + VERIFICATION + "\""}) {
            assertTrue(LiveTriggers.of("verification.cancelled", "{\"verification_id\":" + id + "}").isEmpty(), id);
            assertTrue(LiveTriggers.of("rental.cancelled", "{\"rental_id\":" + id + "}").isEmpty(), id);
        }
    }

    @Test
    void noEventNameOrNoDataTriggersNothing() {
        assertTrue(LiveTriggers.of(null, "{\"verification_id\":\"" + VERIFICATION + "\"}").isEmpty());
        assertTrue(LiveTriggers.of("sms.received", null).isEmpty());
        assertTrue(LiveTriggers.of(null, null).isEmpty());
    }
}
