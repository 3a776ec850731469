package com.fetchsms.ingest.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Concatenation information from User Data Headers as gateways report them. */
class UserDataHeaderTest {

    private static Optional<Concatenation> concat(String hex) {
        return UserDataHeader.concatenation(UserDataHeader.hex(hex));
    }

    @Test
    void readsAn8BitReferenceWithItsLengthOctet() {
        assertEquals(Optional.of(new Concatenation(0xCC, 2, 1)), concat("050003CC0201"));
    }

    @Test
    void readsAn8BitReferenceWithoutItsLengthOctet() {
        assertEquals(Optional.of(new Concatenation(0xCC, 2, 2)), concat("0003CC0202"));
    }

    @Test
    void readsA16BitReferenceWithAndWithoutItsLengthOctet() {
        assertEquals(Optional.of(new Concatenation(0xBEEF, 3, 2)), concat("060804BEEF0302"));
        assertEquals(Optional.of(new Concatenation(0xBEEF, 3, 3)), concat("0804BEEF0303"));
    }

    @Test
    void skipsOtherInformationElements() {
        // application port addressing (IEI 05, 4 octets) before the concatenation element
        assertEquals(Optional.of(new Concatenation(0xCC, 3, 3)), concat("0B05040B8423F00003CC0303"));
        // national language single shift (IEI 24) after it
        assertEquals(Optional.of(new Concatenation(0x12, 2, 1)), concat("08000312020124010D"));
    }

    @Test
    void acceptsAWholeUserDataFieldThatStartsWithAHeader() {
        assertEquals(Optional.of(new Concatenation(0xCC, 2, 1)), concat("050003CC020148656C6C6F"));
    }

    @Test
    void aHeaderWithoutConcatenationHasNone() {
        assertEquals(Optional.empty(), concat("0605040B8423F0"));
        assertEquals(Optional.empty(), UserDataHeader.concatenation(null));
        assertEquals(Optional.empty(), UserDataHeader.concatenation(new byte[0]));
    }

    @Test
    void rejectsImpossiblePartNumbers() {
        assertEquals(Optional.empty(), concat("050003CC0200"), "part 0");
        assertEquals(Optional.empty(), concat("050003CC0203"), "part above total");
        assertEquals(Optional.empty(), concat("050003CC0000"), "total 0");
    }

    @Test
    void rejectsTruncatedAndGarbledHeaders() {
        assertEquals(Optional.empty(), concat("050003CC02"), "truncated element");
        assertEquals(Optional.empty(), concat("0400020102"), "concatenation element of the wrong length");
        assertEquals(Optional.empty(), concat("FF"), "length only");
        assertEquals(Optional.empty(), concat("FFFFFFFF"), "garbage");
    }

    @Test
    void concatenationRejectsImpossibleValues() {
        assertThrows(IllegalArgumentException.class, () -> new Concatenation(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Concatenation(1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> new Concatenation(-1, 2, 1));
        assertTrue(new Concatenation(7, 2, 2).isLast());
    }

    @Test
    void hexParsesBothCasesAndRejectsAnythingElse() {
        assertArrayEquals(new byte[]{0x05, 0x00, (byte) 0xCC, (byte) 0xab}, UserDataHeader.hex("0500CCab"));
        assertArrayEquals(new byte[0], UserDataHeader.hex(""));
        assertThrows(IllegalArgumentException.class, () -> UserDataHeader.hex("0G"));
        assertThrows(IllegalArgumentException.class, () -> UserDataHeader.hex("050"));
        assertThrows(IllegalArgumentException.class, () -> UserDataHeader.hex("05 00"));
        assertThrows(IllegalArgumentException.class, () -> UserDataHeader.hex("٠١"));
        assertThrows(IllegalArgumentException.class, () -> UserDataHeader.hex(null));
        assertEquals("0500CCAB", UserDataHeader.toHex(UserDataHeader.hex("0500ccab")));
    }

    @Test
    void fillBitsAlignTextAfterTheHeaderToASeptetBoundary() {
        assertEquals(0, UserDataHeader.fillBits(0));
        assertEquals(1, UserDataHeader.fillBits(6), "8-bit concatenation header");
        assertEquals(6, UserDataHeader.fillBits(1));
        assertEquals(0, UserDataHeader.fillBits(7), "16-bit concatenation header");
        assertThrows(IllegalArgumentException.class, () -> UserDataHeader.fillBits(-1));
    }
}
