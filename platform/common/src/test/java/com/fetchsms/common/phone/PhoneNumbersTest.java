package com.fetchsms.common.phone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class PhoneNumbersTest {

    @Test
    void usNumbersInEveryCommonSpellingBecomeE164() {
        assertEquals(Optional.of("+13325550184"), PhoneNumbers.toE164("+13325550184"));
        assertEquals(Optional.of("+13325550184"), PhoneNumbers.toE164("13325550184"));
        assertEquals(Optional.of("+13325550184"), PhoneNumbers.toE164("3325550184"));
        assertEquals(Optional.of("+13325550184"), PhoneNumbers.toE164("(332) 555-0184"));
        assertEquals(Optional.of("+13325550184"), PhoneNumbers.toE164("+1 332.555.0184"));
    }

    @Test
    void numbersOutsideTheNorthAmericanPlanAreRefused() {
        assertFalse(PhoneNumbers.toE164("+442079460958").isPresent());
        assertFalse(PhoneNumbers.toE164("+11325550184").isPresent(), "area codes never start with 1");
        assertFalse(PhoneNumbers.toE164("+13321550184").isPresent(), "exchanges never start with 1");
        assertFalse(PhoneNumbers.toE164("332555018").isPresent());
        assertFalse(PhoneNumbers.toE164("call me").isPresent());
        assertFalse(PhoneNumbers.toE164(null).isPresent());
    }

    @Test
    void displayAndAreaCodeFollowThePublicFormat() {
        assertEquals("(332) 555-0184", PhoneNumbers.display("+13325550184"));
        assertEquals("332", PhoneNumbers.areaCode("+13325550184"));
        assertTrue(PhoneNumbers.isAreaCode("415"));
        assertFalse(PhoneNumbers.isAreaCode("41"));
        assertFalse(PhoneNumbers.isAreaCode("041"));
    }
}
