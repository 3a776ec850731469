package com.fetchsms.rental;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Rentals bought with a test key are sandbox purchases (issue 15); the checks are the test kit's, shared. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class RentalSandboxTest {

    /** A 7-day rental at the stub catalog. */
    private static final int PRICE = 600;

    @Test
    void aTestKeysRentalIsASandboxPurchaseAndASessionsIsLive() {
        new Fixtures().withBalance(1000).assertATestKeyBuysInTheSandbox((c, key) -> c.rent(1, 7, null, key), PRICE);
    }

    @Test
    void recoveryAsksForASandboxNumberAgain() {
        new Fixtures().assertRecoveryKeepsASandboxPurchaseInTheSandbox((c, key) -> c.rent(1, 7, null, key),
                "r_sbxcr1", "1", PRICE, Duration.ofSeconds(60), "days", 7);
    }

    @Test
    void aLiveNumberForATestKeysRentalIsGivenBackUnpaid() {
        new Fixtures().assertASandboxPurchaseIsNeverPaidOnALiveNumber((c, key) -> c.rent(1, 7, null, key));
    }
}
