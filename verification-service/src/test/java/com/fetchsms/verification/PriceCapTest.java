package com.fetchsms.verification;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** {@code max_price_cents} on {@code POST /v1/verifications} (issue 15); the checks are the test kit's, shared. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class PriceCapTest {

    private static final String PRODUCT = "verification";
    /** Telegram at the stub catalog. */
    private static final int PRICE = 70;

    @Test
    void aCapAtOrAboveThePriceBuysAndIsShownOnTheVerification() {
        new Fixtures().withBalance(1000).assertBuysWithinCap(PRODUCT, PRICE);
    }

    @Test
    void aCapBelowThePriceIs409WithThePriceAndChargesAndReservesNothing() {
        new Fixtures().withBalance(1000).assertRefusedAboveCap(PRODUCT, PRICE);
    }

    @Test
    void aReservationAboveTheCapIsGivenBackBeforeAnyDebit() {
        new Fixtures().withBalance(1000).assertCapCheckedAgainBeforeTheDebit(PRODUCT, PRICE);
    }

    @Test
    void aPurchaseFinishedByRecoveryIsHeldToItsCap() {
        new Fixtures().withBalance(1000).assertRecoveryHeldToCap(PRODUCT, "4", PRICE, "", "");
    }

    @Test
    void aCapThatIsNotAPositiveWholeNumberOfCentsBuysNothing() {
        new Fixtures().withBalance(1000).assertInvalidCapRefused(PRODUCT);
    }
}
