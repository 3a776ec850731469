package com.fetchsms.verification;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Verifications bought with a test key are sandbox purchases (issue 15); the checks are the test kit's, shared. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class SandboxPurchaseTest {

    /** Telegram at the stub catalog. */
    private static final int PRICE = 70;

    @Test
    void aTestKeysVerificationIsASandboxPurchaseAndASessionsIsLive() {
        new Fixtures().withBalance(1000).assertATestKeyBuysInTheSandbox((c, key) -> c.create(4, null, key), PRICE);
    }

    @Test
    void recoveryAsksForASandboxNumberAgain() {
        new Fixtures().assertRecoveryKeepsASandboxPurchaseInTheSandbox((c, key) -> c.create(4, null, key),
                "v_sbxcr1", "4", PRICE, Duration.ofSeconds(30));
    }

    @Test
    void aLiveNumberForATestKeysVerificationIsGivenBackUnpaid() {
        new Fixtures().assertASandboxPurchaseIsNeverPaidOnALiveNumber((c, key) -> c.create(4, null, key));
    }
}
