package com.fetchsms.rental;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** {@code max_price_cents} on {@code POST /v1/rentals} (issue 15); the checks are the test kit's, shared. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class RentalPriceCapTest {

    private static final String PRODUCT = "rental";
    /** Seven days of the long-term product at the stub catalog. */
    private static final int PRICE = 600;

    @Test
    void aCapAtOrAboveThePriceRentsAndIsShownOnTheRental() {
        new Fixtures().withBalance(5000).assertBuysWithinCap(PRODUCT, PRICE);
    }

    @Test
    void aCapBelowThePriceIs409WithThePriceAndChargesAndHoldsNothing() {
        new Fixtures().withBalance(5000).assertRefusedAboveCap(PRODUCT, PRICE);
    }

    @Test
    void aReservationAboveTheCapIsGivenBackBeforeAnyDebit() {
        new Fixtures().withBalance(5000).assertCapCheckedAgainBeforeTheDebit(PRODUCT, PRICE);
    }

    @Test
    void aRentalFinishedByRecoveryIsHeldToItsCap() {
        new Fixtures().withBalance(5000).assertRecoveryHeldToCap(PRODUCT, "1", PRICE, ", days", ", 7");
    }

    @Test
    void aCapThatIsNotAPositiveWholeNumberOfCentsBuysNothing() {
        new Fixtures().withBalance(5000).assertInvalidCapRefused(PRODUCT);
    }
}
