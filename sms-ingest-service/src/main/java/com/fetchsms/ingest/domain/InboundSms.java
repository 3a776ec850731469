package com.fetchsms.ingest.domain;

import java.time.Instant;

/**
 * One SMS (or one part of a concatenated SMS) as a gateway reported it, after its adapter translated the gateway's
 * format. Exactly one of {@code text} (already decoded) and {@code payload} (raw user data in {@code coding}) is set.
 *
 * @param adapter which route it came in on ({@code native}, {@code android-sms-gateway}, {@code kannel},
 *        {@code jasmin}, {@code gammu})
 * @param gatewayMessageId the gateway's id for it, or {@code null}
 * @param idsUnique whether that gateway's ids identify a message (then a repeated id is a duplicate)
 * @param to receiving number, E.164
 * @param from sender (a number, a short code or an alphanumeric id)
 * @param concatenation multipart header, or {@code null} for a single SMS
 * @param udh the user data header as the gateway sent it (hex, audit only), or {@code null}
 * @param receivedAt when the carrier delivered it to the gateway; {@code null} for "now"
 */
public record InboundSms(
        String adapter,
        String gatewayMessageId,
        boolean idsUnique,
        String to,
        String from,
        String text,
        byte[] payload,
        SmsCoding coding,
        Concatenation concatenation,
        String udh,
        Instant receivedAt) {

    /** A decoded single SMS. */
    public static InboundSms text(String adapter, String gatewayMessageId, boolean idsUnique, String to, String from,
            String text, Instant receivedAt) {
        return new InboundSms(adapter, gatewayMessageId, idsUnique, to, from, text, null, SmsCoding.UTF8, null, null,
                receivedAt);
    }

    public boolean multipart() {
        return concatenation != null && concatenation.total() > 1;
    }
}
