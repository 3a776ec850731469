package com.fetchsms.common.purchase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/**
 * The request hash decides whether an Idempotency-Key replay is the same request: it must stay what each service
 * stored before the purchase core was shared, or a retry of a purchase made before the upgrade would be refused 422.
 */
class PurchaseRequestTest {

    @Test
    void aVerificationHashesItsServiceAndAreaCodeAsVerificationServiceStoredThem() throws Exception {
        assertEquals(sha256("4|"), new PurchaseRequest("4", null).hash());
        assertEquals(sha256("telegram|332"), new PurchaseRequest("telegram", "332").hash());
    }

    @Test
    void aRentalHashesItsServiceDaysAndAreaCodeAsRentalServiceStoredThem() throws Exception {
        assertEquals(sha256("1|30|"), new PurchaseRequest("1", null, 30).hash());
        assertEquals(sha256("unlimited-services|7|415"), new PurchaseRequest("unlimited-services", "415", 7).hash());
    }

    @Test
    void anyDifferenceMakesAnotherRequest() {
        assertNotEquals(new PurchaseRequest("1", null, 30).hash(), new PurchaseRequest("1", null, 7).hash());
        assertNotEquals(new PurchaseRequest("4", null).hash(), new PurchaseRequest("4", "332").hash());
    }

    @Test
    void aPriceCapIsPartOfTheRequestOnlyWhenSetSoEarlierHashesStillMatch() throws Exception {
        assertEquals(sha256("4|"), new PurchaseRequest("4", null, null, null).hash());
        assertEquals(sha256("1|30|"), new PurchaseRequest("1", null, 30, null).hash());
        assertEquals(sha256("4|332|max=100"), new PurchaseRequest("4", "332", null, 100).hash());
        assertEquals(sha256("1|7||max=600"), new PurchaseRequest("1", null, 7, 600).hash());
        assertNotEquals(new PurchaseRequest("4", null, null, 100).hash(),
                new PurchaseRequest("4", null, null, 101).hash());
    }

    private static String sha256(String value) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(value.getBytes(StandardCharsets.UTF_8)));
    }
}
