package com.fetchsms.ingest.rest;

import java.time.Instant;

import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.input.TextGuard;
import com.fetchsms.common.validation.Required;
import com.fetchsms.common.validation.TypeHint;
import com.fetchsms.ingest.domain.Concatenation;
import com.fetchsms.ingest.domain.InboundSms;
import com.fetchsms.ingest.domain.SmsCoding;
import com.fetchsms.ingest.domain.UserDataHeader;

/**
 * One SMS as a modem gateway reports it to the native ingest routes ({@code POST /v1/ingest/messages}, and each item
 * of {@code /batch}). A field of the wrong JSON type is 400 naming it; {@code to}, {@code from} and
 * {@code gateway_message_id} also take a JSON integer (modem software writes numbers as numbers), read as its digits.
 * The constraints here are checked first (400 a missing {@code to} or {@code from}, 422 a {@code udh} or
 * {@code text_ucs2} that is not hex); {@link #toReport()} and {@code IngestService.validate} then apply the rules that
 * need the decoded message (one of {@code text} and {@code text_ucs2}, E.164, lengths after control characters are
 * removed, the time window), each a 422 naming the field.
 */
@Schema(name = "NativeMessage", description = "One SMS (or one part of a concatenated SMS) reported by a modem gateway")
@TypeHint("a message object {to, from, text}")
public record NativeMessageRequest(
        @Schema(description = "The gateway's id for this SMS (for a concatenated SMS: for this part, or the message's id"
                + " on every part). When given it must be unique per message on this gateway: a repeated id is a "
                + "duplicate. At most 200 characters.", example = "gammu-modem-1-IN20261122_081530_00_+13325550184_00.txt-1894512") @JsonDeserialize(using = GatewayJson.StringOrInteger.class) @TypeHint(STRING_OR_INTEGER) String gatewayMessageId,

        @Schema(description = "The receiving number (the SIM's), a US number in E.164", required = true, example = "+13325550184") @Required @JsonDeserialize(using = GatewayJson.StringOrInteger.class) @TypeHint(STRING_OR_INTEGER) String to,

        @Schema(description = "The sender: a number, a short code or an alphanumeric id (at most 64 characters)", required = true, example = "Telegram") @Required(allowBlank = true) @JsonDeserialize(using = GatewayJson.StringOrInteger.class) @TypeHint(STRING_OR_INTEGER) String from,

        @Schema(description = "The text, decoded. Give either this or text_ucs2.", example = "Telegram code: 20549") @TypeHint("a string") String text,

        @Schema(description = "The text as hexadecimal UTF-16BE octets instead of text: the parts of a concatenated "
                + "SMS are then joined as octets, so a character split across two parts survives", pattern = HEX, example = "00540065006C0065006700720061006D") @TypeHint("a string of hex digits") @Pattern(regexp = HEX, message = "must be hexadecimal UTF-16BE octets") String textUcs2,

        @Schema(description = "When the carrier delivered it to the gateway, ISO-8601 with offset; the time of ingestion"
                + " when absent or in the future", type = SchemaType.STRING, format = "date-time", example = "2026-11-22T08:15:30Z") @TypeHint("an ISO-8601 time with offset, e.g. 2026-11-22T08:15:30Z") String receivedAt,

        @Schema(description = "The hex user data header of one part of a concatenated SMS (its parts may arrive in any "
                + "order and in different requests)", pattern = HEX, example = "050003420301") @TypeHint("a string of hex digits") @Pattern(regexp = HEX, message = "must be hexadecimal") String udh) {

    /** Hex digits (that they come in pairs, whole octets, {@link #toReport()} checks: same answer). */
    static final String HEX = "^[0-9A-Fa-f]*$";
    static final String STRING_OR_INTEGER = "a string (or an integer)";
    /** The route a native message comes in on ({@link InboundSms#adapter()}). */
    static final String ADAPTER = "native";

    /**
     * The report this message is, before {@code IngestService.validate}: 422 naming the field for a {@code udh} or
     * {@code text_ucs2} that is not hex, {@code text} beside {@code text_ucs2}, {@code text_ucs2} that is not whole
     * UTF-16 code units, a {@code received_at} that is no time.
     */
    InboundSms toReport() {
        Concatenation concatenation = null;
        if (udh != null) {
            try {
                concatenation = UserDataHeader.concatenation(UserDataHeader.hex(udh)).orElse(null);
            } catch (IllegalArgumentException e) {
                throw ApiException.unprocessable("'udh' must be hexadecimal");
            }
        }
        byte[] payload = null;
        if (textUcs2 != null) {
            if (text != null) {
                throw ApiException.unprocessable("Give either 'text' or 'text_ucs2', not both");
            }
            try {
                payload = UserDataHeader.hex(textUcs2);
            } catch (IllegalArgumentException e) {
                throw ApiException.unprocessable("'text_ucs2' must be hexadecimal UTF-16BE octets");
            }
            if (payload.length % 2 != 0) {
                throw ApiException.unprocessable("'text_ucs2' must be whole UTF-16BE code units (a multiple of 4"
                        + " hex digits)");
            }
        }
        Instant received = TextGuard.timestamp(receivedAt, "received_at", null, null);
        return new InboundSms(ADAPTER, gatewayMessageId, true, to, from, text, payload,
                payload == null ? SmsCoding.UTF8 : SmsCoding.UCS2, concatenation, udh, received);
    }
}
