package com.fetchsms.ingest.domain;

/**
 * The character encodings an inbound SMS body can arrive in, as far as this service decodes them.
 *
 * <p>
 * Modem gateways (Kannel, Jasmin, SMPP binds) report the raw bytes of a message together with its data coding; the
 * coding decides how {@link SmsText#decode(byte[], SmsCoding)} turns the bytes into text. Use
 * {@link SmsText#ofDataCoding(int)} to map an SMPP {@code data_coding} / GSM 03.38 DCS value to a constant.
 */
public enum SmsCoding {
    /**
     * GSM 03.38 default alphabet, one septet per byte (unpacked), as Kannel, Jasmin and SMPP deliver it; escape
     * {@code 0x1B} selects the extension table (€ [ ] { } \ ~ ^ | and form feed).
     */
    GSM7,
    /** GSM 03.38 default alphabet packed eight septets into seven octets, as in the TP-User-Data of a PDU. */
    GSM7_PACKED,
    /** ISO-8859-1; also used for IA5/ASCII, of which it is a superset. */
    LATIN1,
    /** UCS-2 as sent by phones, decoded as UTF-16BE so that surrogate pairs (emoji) come out right. */
    UCS2,
    /** UTF-8, as some HTTP gateways re-encode bodies. */
    UTF8,
    /** 8-bit data that is not text (WAP push, SIM toolkit, port-addressed binary). */
    BINARY
}
