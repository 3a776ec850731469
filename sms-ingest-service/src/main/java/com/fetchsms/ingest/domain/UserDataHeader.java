package com.fetchsms.ingest.domain;

import java.util.Optional;

/**
 * Reads the User Data Header (3GPP TS 23.040 §9.2.3.24) that gateways pass along with a message part, for example
 * Kannel's {@code X-Kannel-UDH: 050003CC0201}.
 *
 * <p>
 * Only the concatenation information elements matter here: they tell which parts form one message, so that their user
 * data can be joined before decoding. Every other information element (port addressing, national language shift,
 * text formatting, …) is skipped by its length.
 */
public final class UserDataHeader {

    private static final int IEI_CONCAT_8BIT = 0x00;
    private static final int IEI_CONCAT_16BIT = 0x08;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UserDataHeader() {
    }

    /**
     * Finds the concatenation information of a message part.
     *
     * <p>
     * Accepts the header with its leading length octet (UDHL, as in {@code 050003CC0201}) or without it
     * ({@code 0003CC0201}); it also accepts a whole user data field that starts with a header (UDHL followed by the
     * header and then the text). Information element {@code 0x00} gives an 8-bit reference, {@code 0x08} a 16-bit
     * reference; other elements are skipped. If an element repeats, the last one counts (TS 23.040).
     *
     * @param udh
     *            the header bytes; {@code null} or empty gives empty
     * @return the concatenation, or empty when there is none or the header is malformed (truncated element, wrong
     *         element length, total &lt; 1, part &lt; 1 or part &gt; total)
     */
    public static Optional<Concatenation> concatenation(byte[] udh) {
        if (udh == null || udh.length == 0) {
            return Optional.empty();
        }
        int udhl = udh[0] & 0xFF;
        if (udhl == udh.length - 1) {
            return parse(udh, 1, udh.length);
        }
        Optional<Concatenation> bare = parse(udh, 0, udh.length);
        if (bare.isEmpty() && udhl > 0 && udhl < udh.length - 1) {
            return parse(udh, 1, 1 + udhl);
        }
        return bare;
    }

    /**
     * The number of fill bits that align the first septet after a header of {@code headerOctets} octets (UDHL
     * included) to a septet boundary in 7-bit packed user data; pass it to
     * {@link SmsText#decodeGsm7Packed(byte[], int, int)}.
     *
     * @param headerOctets
     *            UDHL + 1, e.g. 6 for {@code 050003CC0201}
     * @return 0–6
     */
    public static int fillBits(int headerOctets) {
        if (headerOctets < 0) {
            throw new IllegalArgumentException("header length must not be negative, was " + headerOctets);
        }
        return (7 - (headerOctets * 8) % 7) % 7;
    }

    /**
     * Parses hexadecimal text such as {@code "050003CC0201"} (either case, no separators) into bytes.
     *
     * @param hex
     *            an even number of hex digits
     * @return the bytes
     * @throws IllegalArgumentException
     *             if {@code hex} is {@code null}, has an odd length or contains a non-hex character
     */
    public static byte[] hex(String hex) {
        if (hex == null) {
            throw new IllegalArgumentException("hex string is null");
        }
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("hex string has an odd length: " + hex.length());
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0 || hex.charAt(2 * i) > 0x7F || hex.charAt(2 * i + 1) > 0x7F) {
                throw new IllegalArgumentException("not a hex digit at offset " + (hi < 0 ? 2 * i : 2 * i + 1));
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /**
     * Formats bytes as upper-case hex, the inverse of {@link #hex(String)}.
     *
     * @param bytes
     *            the bytes; {@code null} gives an empty string
     * @return e.g. {@code "050003CC0201"}
     */
    public static String toHex(byte[] bytes) {
        if (bytes == null) {
            return "";
        }
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0x0F];
            out[2 * i + 1] = HEX[bytes[i] & 0x0F];
        }
        return new String(out);
    }

    private static Optional<Concatenation> parse(byte[] b, int from, int to) {
        Concatenation found = null;
        int i = from;
        while (i < to) {
            if (i + 1 >= to) {
                return Optional.empty();
            }
            int iei = b[i] & 0xFF;
            int length = b[i + 1] & 0xFF;
            int data = i + 2;
            if (data + length > to) {
                return Optional.empty();
            }
            if (iei == IEI_CONCAT_8BIT || iei == IEI_CONCAT_16BIT) {
                boolean wide = iei == IEI_CONCAT_16BIT;
                if (length != (wide ? 4 : 3)) {
                    return Optional.empty();
                }
                int reference = wide ? ((b[data] & 0xFF) << 8) | (b[data + 1] & 0xFF) : b[data] & 0xFF;
                int total = b[data + length - 2] & 0xFF;
                int part = b[data + length - 1] & 0xFF;
                if (total < 1 || part < 1 || part > total) {
                    return Optional.empty();
                }
                found = new Concatenation(reference, total, part);
            }
            i = data + length;
        }
        return Optional.ofNullable(found);
    }
}
