package com.fetchsms.ingest.domain;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns the raw bytes of an SMS body into a Java string.
 *
 * <p>
 * Gateways hand over bodies in one of several encodings ({@link SmsCoding}). Decoding is total: malformed input
 * (a septet above {@code 0x7F}, a dangling escape, an odd UCS-2 length, a lone surrogate, invalid UTF-8) becomes
 * U+FFFD REPLACEMENT CHARACTER instead of an exception, because a half-readable SMS is still worth storing and may
 * still carry its code.
 *
 * <p>
 * Multipart messages must be reassembled <em>before</em> decoding: a UCS-2 surrogate pair or a GSM escape sequence
 * may be split across two parts, and decoding each part alone turns each half into U+FFFD. Concatenate the parts'
 * user data (without their headers) in part order, then call {@link #decode(byte[], SmsCoding)} once.
 */
public final class SmsText {

    /** U+FFFD, what every undecodable unit becomes. */
    public static final char REPLACEMENT = '\uFFFD';

    private static final int ESCAPE = 0x1B;

    /** GSM 03.38 default alphabet, index = septet. 0x1B (escape) is handled separately. */
    private static final String GSM7_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private static final char[] GSM7_EXTENSION = new char[128];

    static {
        if (GSM7_BASIC.length() != 128) {
            throw new IllegalStateException("GSM 03.38 table must have 128 entries, has " + GSM7_BASIC.length());
        }
        GSM7_EXTENSION[0x0A] = '\f';
        GSM7_EXTENSION[0x14] = '^';
        GSM7_EXTENSION[0x28] = '{';
        GSM7_EXTENSION[0x29] = '}';
        GSM7_EXTENSION[0x2F] = '\\';
        GSM7_EXTENSION[0x3C] = '[';
        GSM7_EXTENSION[0x3D] = '~';
        GSM7_EXTENSION[0x3E] = ']';
        GSM7_EXTENSION[0x40] = '|';
        GSM7_EXTENSION[0x65] = '€';
    }

    private SmsText() {
    }

    /**
     * Decodes an SMS body.
     *
     * <ul>
     * <li>{@code GSM7}: one septet per byte; bytes above {@code 0x7F} become U+FFFD. An escape followed by a septet
     * the extension table does not define shows that septet from the default table (3GPP TS 23.038 §6.2.1.1); an
     * escape at the very end or followed by another escape becomes U+FFFD.</li>
     * <li>{@code GSM7_PACKED}: all septets that fit in {@code data}, no fill bits; when the last octet leaves exactly
     * seven spare bits, a final CR (the padding TS 23.038 §6.1.2.3.1 prescribes) or {@code @} (zero padding) is
     * dropped. When the septet count or fill bits are known, use {@link #decodeGsm7Packed(byte[], int, int)}.</li>
     * <li>{@code LATIN1}: ISO-8859-1, byte = code point (also right for IA5/ASCII).</li>
     * <li>{@code UCS2}: UTF-16BE; surrogate pairs combine into one code point, lone surrogates and an odd last byte
     * become U+FFFD.</li>
     * <li>{@code UTF8}: malformed sequences become U+FFFD.</li>
     * <li>{@code BINARY}: not text; returns the bytes as upper-case hex (e.g. {@code "0A1B"}) so that a stored body
     * keeps the data and never looks like a code to the extractor's keywords.</li>
     * </ul>
     *
     * @param data
     *            the body; {@code null} is treated as empty
     * @param coding
     *            how the body is encoded; must not be {@code null}
     * @return the text, never {@code null}
     */
    public static String decode(byte[] data, SmsCoding coding) {
        Objects.requireNonNull(coding, "coding");
        if (data == null || data.length == 0) {
            return "";
        }
        switch (coding) {
            case GSM7 :
                return decodeGsm7(data);
            case GSM7_PACKED :
                return decodeGsm7PackedWholeOctets(data);
            case LATIN1 :
                return new String(data, StandardCharsets.ISO_8859_1);
            case UCS2 :
                return decodeUtf16Be(data);
            case UTF8 :
                return new String(data, StandardCharsets.UTF_8);
            case BINARY :
                return UserDataHeader.toHex(data);
            default :
                throw new IllegalStateException("unknown coding " + coding);
        }
    }

    /**
     * Decodes 7-bit packed GSM user data (TP-UD), for example a PDU from a modem.
     *
     * <p>
     * When the user data starts with a header, pass the octets after the header and the fill bits that align the
     * first septet to a septet boundary ({@link UserDataHeader#fillBits(int)}); {@code septets} is then TP-UDL minus
     * the septets the header occupies. Septets that {@code userData} is too short to hold are not produced.
     *
     * @param userData
     *            packed septets, least significant bit first; {@code null} is treated as empty
     * @param septets
     *            how many septets to decode; zero or negative gives an empty string
     * @param fillBits
     *            padding bits (0–6) before the first septet
     * @return the text, never {@code null}
     * @throws IllegalArgumentException
     *             if {@code fillBits} is outside 0–6 (a caller bug, not bad data)
     */
    public static String decodeGsm7Packed(byte[] userData, int septets, int fillBits) {
        if (fillBits < 0 || fillBits > 6) {
            throw new IllegalArgumentException("fill bits must be 0-6, was " + fillBits);
        }
        if (userData == null || septets <= 0) {
            return "";
        }
        int available = (userData.length * 8 - fillBits) / 7;
        int count = Math.min(septets, Math.max(available, 0));
        return decodeGsm7(unpack(userData, count, fillBits));
    }

    /**
     * Maps an SMPP 3.4 {@code data_coding} / 3GPP TS 23.038 Data Coding Scheme value to a coding.
     *
     * <p>
     * Values {@code 0x00}–{@code 0x0F} follow the SMPP 3.4 table, since that is what gateways speak:
     * <ul>
     * <li>{@code 0x00} SMSC default alphabet → {@link SmsCoding#GSM7} (some SMSCs mean Latin-1 here; configure the
     * gateway, not this table)</li>
     * <li>{@code 0x01} IA5 (CCITT T.50) = ASCII → {@link SmsCoding#LATIN1}; not GSM7, whose table differs from ASCII at
     * {@code @ $ _ [ \ ] ^ ` { | } ~}</li>
     * <li>{@code 0x02}, {@code 0x04} octet unspecified → {@link SmsCoding#BINARY}</li>
     * <li>{@code 0x03} Latin-1 → {@link SmsCoding#LATIN1}</li>
     * <li>{@code 0x08} UCS-2 → {@link SmsCoding#UCS2}</li>
     * <li>{@code 0x05} JIS, {@code 0x06} Cyrillic, {@code 0x07} Hebrew, {@code 0x09} pictogram,
     * {@code 0x0A} ISO-2022-JP,
     * {@code 0x0D} extended Kanji, {@code 0x0E} KS C 5601 and the reserved {@code 0x0B}, {@code 0x0C}, {@code 0x0F} →
     * empty (not supported)</li>
     * </ul>
     * Above that the TS 23.038 coding groups apply:
     * <ul>
     * <li>{@code 0x10}–{@code 0x7F} general data coding and automatic-deletion groups: bit 5 set (compressed) → empty;
     * otherwise bits 3–2 pick the alphabet: {@code 00} GSM7, {@code 01} 8-bit data (BINARY), {@code 10} UCS2,
     * {@code 11} reserved → empty</li>
     * <li>{@code 0x80}–{@code 0xBF} reserved → empty</li>
     * <li>{@code 0xC0}–{@code 0xDF} message waiting indication, discard or store → GSM7</li>
     * <li>{@code 0xE0}–{@code 0xEF} message waiting indication, store, UCS-2 → UCS2</li>
     * <li>{@code 0xF0}–{@code 0xFF} data coding / message class: bit 2 clear → GSM7, set → BINARY</li>
     * </ul>
     * Values outside {@code 0x00}–{@code 0xFF} → empty.
     *
     * @param dcs
     *            the {@code data_coding} octet as an unsigned value
     * @return the coding, or empty when this service cannot decode it
     */
    public static Optional<SmsCoding> ofDataCoding(int dcs) {
        if (dcs < 0 || dcs > 0xFF) {
            return Optional.empty();
        }
        if (dcs <= 0x0F) {
            switch (dcs) {
                case 0x00 :
                    return Optional.of(SmsCoding.GSM7);
                case 0x01 :
                case 0x03 :
                    return Optional.of(SmsCoding.LATIN1);
                case 0x02 :
                case 0x04 :
                    return Optional.of(SmsCoding.BINARY);
                case 0x08 :
                    return Optional.of(SmsCoding.UCS2);
                default :
                    return Optional.empty();
            }
        }
        if (dcs <= 0x7F) {
            if ((dcs & 0x20) != 0) {
                return Optional.empty();
            }
            switch ((dcs >> 2) & 0x03) {
                case 0 :
                    return Optional.of(SmsCoding.GSM7);
                case 1 :
                    return Optional.of(SmsCoding.BINARY);
                case 2 :
                    return Optional.of(SmsCoding.UCS2);
                default :
                    return Optional.empty();
            }
        }
        if (dcs <= 0xBF) {
            return Optional.empty();
        }
        if (dcs <= 0xDF) {
            return Optional.of(SmsCoding.GSM7);
        }
        if (dcs <= 0xEF) {
            return Optional.of(SmsCoding.UCS2);
        }
        return Optional.of((dcs & 0x04) == 0 ? SmsCoding.GSM7 : SmsCoding.BINARY);
    }

    private static String decodeGsm7(byte[] septets) {
        StringBuilder out = new StringBuilder(septets.length);
        for (int i = 0; i < septets.length; i++) {
            int s = septets[i] & 0xFF;
            if (s > 0x7F) {
                out.append(REPLACEMENT);
            } else if (s != ESCAPE) {
                out.append(GSM7_BASIC.charAt(s));
            } else if (i + 1 >= septets.length) {
                out.append(REPLACEMENT);
            } else {
                int next = septets[++i] & 0xFF;
                if (next > 0x7F || next == ESCAPE) {
                    out.append(REPLACEMENT);
                } else if (GSM7_EXTENSION[next] != 0) {
                    out.append(GSM7_EXTENSION[next]);
                } else {
                    out.append(GSM7_BASIC.charAt(next));
                }
            }
        }
        return out.toString();
    }

    private static String decodeGsm7PackedWholeOctets(byte[] data) {
        int count = data.length * 8 / 7;
        byte[] septets = unpack(data, count, 0);
        if (data.length % 7 == 0 && count > 0 && (septets[count - 1] == 0x0D || septets[count - 1] == 0x00)) {
            byte[] trimmed = new byte[count - 1];
            System.arraycopy(septets, 0, trimmed, 0, count - 1);
            septets = trimmed;
        }
        return decodeGsm7(septets);
    }

    private static byte[] unpack(byte[] data, int count, int fillBits) {
        byte[] septets = new byte[count];
        for (int i = 0; i < count; i++) {
            int bit = fillBits + i * 7;
            int index = bit / 8;
            int shift = bit % 8;
            int value = (data[index] & 0xFF) >> shift;
            if (shift > 1 && index + 1 < data.length) {
                value |= (data[index + 1] & 0xFF) << (8 - shift);
            }
            septets[i] = (byte) (value & 0x7F);
        }
        return septets;
    }

    private static String decodeUtf16Be(byte[] data) {
        StringBuilder out = new StringBuilder(data.length / 2 + 1);
        int units = data.length / 2;
        for (int i = 0; i < units; i++) {
            char c = (char) (((data[2 * i] & 0xFF) << 8) | (data[2 * i + 1] & 0xFF));
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < units) {
                    char low = (char) (((data[2 * i + 2] & 0xFF) << 8) | (data[2 * i + 3] & 0xFF));
                    if (Character.isLowSurrogate(low)) {
                        out.append(c).append(low);
                        i++;
                        continue;
                    }
                }
                out.append(REPLACEMENT);
            } else if (Character.isLowSurrogate(c)) {
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        if (data.length % 2 != 0) {
            out.append(REPLACEMENT);
        }
        return out.toString();
    }
}
