package com.fetchsms.ingest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Decoding SMS bodies: GSM 03.38 (unpacked and packed), UCS-2 with surrogates, Latin-1, UTF-8, binary, DCS mapping. */
class SmsTextTest {

    @Test
    void gsm7DecodesTheDefaultAlphabetWhereItDiffersFromAscii() {
        byte[] data = {0x00, 0x01, 0x02, 0x03, 0x05, 0x11, 0x20, 0x40, 0x5B, 0x5F, 0x60, 0x7F, 0x10};
        assertEquals("@£$¥é_ ¡Ä§¿àΔ", SmsText.decode(data, SmsCoding.GSM7));
    }

    @Test
    void gsm7DecodesEveryExtensionCharacterAfterAnEscape() {
        byte[] data = {0x1B, 0x65, 0x1B, 0x3C, 0x1B, 0x3E, 0x1B, 0x28, 0x1B, 0x29, 0x1B, 0x2F, 0x1B, 0x3D, 0x1B, 0x14,
                0x1B, 0x40, 0x1B, 0x0A};
        assertEquals("€[]{}\\~^|\f", SmsText.decode(data, SmsCoding.GSM7));
    }

    @Test
    void gsm7PriceWithEuroSignDecodes() {
        // "Code 12 €" : C o d e SP 1 2 SP ESC 0x65
        byte[] data = {0x43, 0x6F, 0x64, 0x65, 0x20, 0x31, 0x32, 0x20, 0x1B, 0x65};
        assertEquals("Code 12 €", SmsText.decode(data, SmsCoding.GSM7));
    }

    @Test
    void gsm7BadInputBecomesReplacementCharacters() {
        assertEquals("A\uFFFD", SmsText.decode(new byte[]{0x41, 0x1B}, SmsCoding.GSM7), "dangling escape");
        assertEquals("A\uFFFDB", SmsText.decode(new byte[]{0x41, (byte) 0x80, 0x42}, SmsCoding.GSM7), "8-bit byte");
        assertEquals("\uFFFD", SmsText.decode(new byte[]{0x1B, 0x1B}, SmsCoding.GSM7), "double escape");
        assertEquals("A", SmsText.decode(new byte[]{0x1B, 0x41}, SmsCoding.GSM7),
                "undefined extension shows the default-table character (TS 23.038)");
    }

    @Test
    void packedGsm7DecodesTheClassicHellohelloVector() {
        byte[] pdu = UserDataHeader.hex("E8329BFD4697D9EC37");
        assertEquals("hellohello", SmsText.decode(pdu, SmsCoding.GSM7_PACKED));
        assertEquals("hellohello", SmsText.decodeGsm7Packed(pdu, 10, 0));
        assertEquals("hello", SmsText.decodeGsm7Packed(pdu, 5, 0));
    }

    @Test
    void packedGsm7AfterAUserDataHeaderUsesTheFillBits() {
        // UDH 050003CC0201 is 6 octets = 48 bits; the text starts at the next septet boundary (49 bits): 1 fill bit.
        String text = "Your code is 482913 [ok]";
        byte[] septets = gsm7Septets(text);
        int fill = UserDataHeader.fillBits(6);
        assertEquals(1, fill);
        byte[] packed = pack(septets, fill);
        assertEquals(text, SmsText.decodeGsm7Packed(packed, septets.length, fill));
    }

    @Test
    void packedGsm7DropsTheCarriageReturnPaddingOfAFullLastOctet() {
        // 7 septets fill 49 of 56 bits; TS 23.038 pads the 7 spare bits with CR so it is not read as '@'.
        byte[] withCr = pack(gsm7Septets("1234567\r"), 0);
        assertEquals(7, withCr.length);
        assertEquals("1234567", SmsText.decode(withCr, SmsCoding.GSM7_PACKED));
        assertEquals("1234567", SmsText.decodeGsm7Packed(withCr, 7, 0));
    }

    @Test
    void packedGsm7NeverReadsPastTheData() {
        byte[] pdu = UserDataHeader.hex("E8329BFD4697D9EC37");
        assertEquals("hellohello", SmsText.decodeGsm7Packed(pdu, 50, 0));
        assertEquals("", SmsText.decodeGsm7Packed(pdu, -1, 0));
        assertEquals("", SmsText.decodeGsm7Packed(null, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> SmsText.decodeGsm7Packed(pdu, 3, 7));
    }

    @Test
    void ucs2DecodesAnEmojiSurrogatePair() {
        // "Code 😀" — U+1F600 is D83D DE00 in UTF-16
        byte[] data = UserDataHeader.hex("0043006F006400650020D83DDE00");
        assertEquals("Code \uD83D\uDE00", SmsText.decode(data, SmsCoding.UCS2));
        assertEquals(1, SmsText.decode(data, SmsCoding.UCS2).codePoints().filter(cp -> cp == 0x1F600).count());
    }

    @Test
    void ucs2EmojiSplitAcrossTwoPartsDecodesOnlyWhenThePartsAreJoinedFirst() {
        // A sender split "Hi 👋" between the surrogates: part 1 ends with D83D, part 2 starts with DC4B.
        byte[] part1 = UserDataHeader.hex("004800690020D83D");
        byte[] part2 = UserDataHeader.hex("DC4B");
        String separately = SmsText.decode(part1, SmsCoding.UCS2) + SmsText.decode(part2, SmsCoding.UCS2);
        assertEquals("Hi \uFFFD\uFFFD", separately);
        byte[] joined = Arrays.copyOf(part1, part1.length + part2.length);
        System.arraycopy(part2, 0, joined, part1.length, part2.length);
        assertEquals("Hi \uD83D\uDC4B", SmsText.decode(joined, SmsCoding.UCS2));
    }

    @Test
    void ucs2BadInputBecomesReplacementCharacters() {
        assertEquals("A\uFFFD", SmsText.decode(UserDataHeader.hex("004100"), SmsCoding.UCS2), "odd length");
        assertEquals("\uFFFDA", SmsText.decode(UserDataHeader.hex("DE000041"), SmsCoding.UCS2), "lone low surrogate");
        assertEquals("\uFFFDA", SmsText.decode(UserDataHeader.hex("D83D0041"), SmsCoding.UCS2), "lone high surrogate");
        assertEquals("\uFFFD", SmsText.decode(UserDataHeader.hex("D83D"), SmsCoding.UCS2), "high surrogate at end");
    }

    @Test
    void latin1DecodesAccentedLetters() {
        assertEquals("café", SmsText.decode(new byte[]{0x63, 0x61, 0x66, (byte) 0xE9}, SmsCoding.LATIN1));
    }

    @Test
    void utf8DecodesAndReplacesMalformedSequences() {
        assertEquals("验证码", SmsText.decode("验证码".getBytes(StandardCharsets.UTF_8), SmsCoding.UTF8));
        assertEquals("a\uFFFD", SmsText.decode(new byte[]{0x61, (byte) 0xC3}, SmsCoding.UTF8));
    }

    @Test
    void binaryBecomesUpperCaseHex() {
        assertEquals("00FF1B", SmsText.decode(new byte[]{0x00, (byte) 0xFF, 0x1B}, SmsCoding.BINARY));
    }

    @Test
    void emptyOrNullDataDecodesToEmptyText() {
        for (SmsCoding coding : SmsCoding.values()) {
            assertEquals("", SmsText.decode(null, coding));
            assertEquals("", SmsText.decode(new byte[0], coding));
        }
    }

    @Test
    void smppDataCodingValuesMapToCodings() {
        assertEquals(Optional.of(SmsCoding.GSM7), SmsText.ofDataCoding(0x00));
        assertEquals(Optional.of(SmsCoding.LATIN1), SmsText.ofDataCoding(0x01), "IA5 is ASCII, not GSM 03.38");
        assertEquals(Optional.of(SmsCoding.BINARY), SmsText.ofDataCoding(0x02));
        assertEquals(Optional.of(SmsCoding.LATIN1), SmsText.ofDataCoding(0x03));
        assertEquals(Optional.of(SmsCoding.BINARY), SmsText.ofDataCoding(0x04));
        assertEquals(Optional.of(SmsCoding.UCS2), SmsText.ofDataCoding(0x08));
        assertEquals(Optional.empty(), SmsText.ofDataCoding(0x05), "JIS");
        assertEquals(Optional.empty(), SmsText.ofDataCoding(0x06), "ISO-8859-5");
        assertEquals(Optional.empty(), SmsText.ofDataCoding(0x0E), "KS C 5601");
    }

    @Test
    void gsmCodingGroupsMapByTheirAlphabetBits() {
        assertEquals(Optional.of(SmsCoding.GSM7), SmsText.ofDataCoding(0x10), "general group, class 0");
        assertEquals(Optional.of(SmsCoding.GSM7), SmsText.ofDataCoding(0x11), "general group, class 1");
        assertEquals(Optional.of(SmsCoding.BINARY), SmsText.ofDataCoding(0x15));
        assertEquals(Optional.of(SmsCoding.UCS2), SmsText.ofDataCoding(0x18));
        assertEquals(Optional.empty(), SmsText.ofDataCoding(0x1C), "reserved alphabet");
        assertEquals(Optional.empty(), SmsText.ofDataCoding(0x28), "compressed");
        assertEquals(Optional.of(SmsCoding.UCS2), SmsText.ofDataCoding(0x48), "automatic deletion group");
        assertEquals(Optional.empty(), SmsText.ofDataCoding(0x80), "reserved group");
        assertEquals(Optional.of(SmsCoding.GSM7), SmsText.ofDataCoding(0xC0), "MWI discard");
        assertEquals(Optional.of(SmsCoding.GSM7), SmsText.ofDataCoding(0xD8), "MWI store");
        assertEquals(Optional.of(SmsCoding.UCS2), SmsText.ofDataCoding(0xE0), "MWI store UCS2");
        assertEquals(Optional.of(SmsCoding.GSM7), SmsText.ofDataCoding(0xF0), "class group, 7-bit");
        assertEquals(Optional.of(SmsCoding.GSM7), SmsText.ofDataCoding(0xF1));
        assertEquals(Optional.of(SmsCoding.BINARY), SmsText.ofDataCoding(0xF4), "class group, 8-bit");
        assertEquals(Optional.of(SmsCoding.BINARY), SmsText.ofDataCoding(0xF6));
        assertEquals(Optional.empty(), SmsText.ofDataCoding(-1));
        assertEquals(Optional.empty(), SmsText.ofDataCoding(0x100));
    }

    /** Test-side GSM 03.38 encoder for the characters the tests use (basic table plus '[' and ']'). */
    private static byte[] gsm7Septets(String text) {
        String basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
                + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (char c : text.toCharArray()) {
            if (c == '[') {
                out.write(0x1B);
                out.write(0x3C);
            } else if (c == ']') {
                out.write(0x1B);
                out.write(0x3E);
            } else {
                int index = basic.indexOf(c);
                if (index < 0) {
                    throw new IllegalArgumentException("not in test table: " + c);
                }
                out.write(index);
            }
        }
        return out.toByteArray();
    }

    /** Test-side 7-bit packer: septet i occupies bits fill + 7i .. fill + 7i + 6, least significant bit first. */
    private static byte[] pack(byte[] septets, int fill) {
        int bits = fill + septets.length * 7;
        byte[] out = new byte[(bits + 7) / 8];
        for (int i = 0; i < septets.length; i++) {
            for (int b = 0; b < 7; b++) {
                if ((septets[i] >> b & 1) != 0) {
                    int bit = fill + i * 7 + b;
                    out[bit / 8] |= (byte) (1 << (bit % 8));
                }
            }
        }
        return out;
    }
}
