package com.fetchsms.ingest.rest;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.DateTimeException;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.input.TextGuard;
import com.fetchsms.ingest.domain.Concatenation;
import com.fetchsms.ingest.domain.InboundSms;
import com.fetchsms.ingest.domain.SmsCoding;
import com.fetchsms.ingest.domain.SmsText;
import com.fetchsms.ingest.domain.UserDataHeader;
import com.fetchsms.ingest.service.GatewayService;
import com.fetchsms.ingest.service.IngestService;

import io.smallrye.mutiny.Uni;

/**
 * Kannel's {@code sms-service} with {@code post-url}: the body is the message, the rest comes in headers
 * ({@code X-Kannel-From} (needs {@code send-sender = true}), {@code X-Kannel-To}, {@code X-Kannel-Time} as
 * {@code YYYY-MM-DD HH:MM:SS} UTC, {@code X-Kannel-UDH} in hex, {@code X-Kannel-Coding}). The body's encoding is its
 * {@code Content-Type}: {@code charset=UTF-16BE} for UCS-2 (kept as bytes until a concatenated message is complete),
 * another charset (ISO-8859-1 when none is named) for 7-bit text, {@code application/octet-stream} for 8-bit data.
 * The token travels as the Basic-auth password ({@code post-url = "https://gw:<token>@host/v1/ingest/kannel"}) or as
 * {@code ?token=}. The answer has no body: with {@code max-messages = 0} Kannel sends nothing back to the sender.
 * Kannel has no message ids: duplicates are found by content.
 */
@Path("/v1/ingest/kannel")
@SecurityRequirement(name = "gatewayToken") // the merged OpenAPI document defines the scheme (gateway)
public class KannelResource {

    static final String ADAPTER = "kannel";
    private static final DateTimeFormatter KANNEL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final GatewayService gateways;
    private final IngestService ingest;

    public KannelResource(GatewayService gateways, IngestService ingest) {
        this.gateways = gateways;
        this.ingest = ingest;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @APIResponse(responseCode = "202", description = "Accepted")
    public Uni<RestResponse<Void>> receive(byte[] body, HttpHeaders headers, @RestQuery String token) {
        return gateways.authenticate(GatewayTokens.from(headers, token)).call(gateways::seen).chain(gateway -> {
            InboundSms sms = ingest.validate(parse(body == null ? new byte[0] : body, headers));
            return ingest.ingest(gateway, sms);
        }).map(result -> RestResponse.accepted());
    }

    static InboundSms parse(byte[] body, HttpHeaders headers) {
        String udhHeader = headers.getHeaderString("X-Kannel-UDH");
        String udhHex = null;
        Concatenation concatenation = null;
        if (udhHeader != null && !udhHeader.isBlank()) {
            byte[] udh = udhBytes(udhHeader.strip());
            udhHex = UserDataHeader.toHex(udh);
            concatenation = UserDataHeader.concatenation(udh).orElse(null);
        }
        MediaType type = mediaType(headers);
        String charset = type == null ? null : type.getParameters().get("charset");
        String text = null;
        byte[] payload = null;
        SmsCoding coding;
        String kannelCoding = headers.getHeaderString("X-Kannel-Coding");
        boolean ucs2Body = charset != null && (charset.equalsIgnoreCase("UTF-16BE")
                || charset.equalsIgnoreCase("UCS-2") || charset.equalsIgnoreCase("UTF-16"));
        // Kannel 1.4 numbers codings 0 = 7-bit, 1 = 8-bit, 2 = UCS-2; some smsbox versions send UCS-2 as
        // application/octet-stream, so coding 2 alone says UCS-2 (1.3 numbered them 1, 2, 3: its 2 is 8-bit
        // data, which no OTP uses, and its UCS-2 came with charset=UTF-16BE, handled above)
        if (ucs2Body || "2".equals(kannelCoding == null ? null : kannelCoding.strip())) {
            coding = SmsCoding.UCS2;
            payload = body;
        } else if (type != null && MediaType.APPLICATION_OCTET_STREAM_TYPE.isCompatible(type)) {
            coding = SmsCoding.BINARY;
            payload = body;
        } else {
            coding = SmsCoding.UTF8;
            text = new String(body, charset(charset));
        }
        if (payload != null && concatenation == null) {
            text = SmsText.decode(payload, coding);
            payload = null;
            coding = SmsCoding.UTF8;
        }
        return new InboundSms(ADAPTER, null, false, headers.getHeaderString("X-Kannel-To"),
                headers.getHeaderString("X-Kannel-From"), text, payload, coding, concatenation,
                udhHex, time(headers.getHeaderString("X-Kannel-Time")));
    }

    /**
     * The UDH as Kannel sends it: URL-encoded raw octets ({@code %05%00%03%CC%02%01}, Kannel 1.4) or hex
     * ({@code 050003CC0201}, older releases and other tools).
     */
    static byte[] udhBytes(String value) {
        if (value.indexOf('%') >= 0) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '%') {
                    if (i + 2 >= value.length()) {
                        throw ApiException.unprocessable("X-Kannel-UDH is not valid URL encoding");
                    }
                    int hi = Character.digit(value.charAt(i + 1), 16);
                    int lo = Character.digit(value.charAt(i + 2), 16);
                    if (hi < 0 || lo < 0) {
                        throw ApiException.unprocessable("X-Kannel-UDH is not valid URL encoding");
                    }
                    bytes.write(hi << 4 | lo);
                    i += 2;
                } else {
                    bytes.write(c == '+' ? ' ' : c & 0xFF);
                }
            }
            return bytes.toByteArray();
        }
        try {
            return UserDataHeader.hex(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable("X-Kannel-UDH must be URL-encoded octets or hexadecimal");
        }
    }

    /** The body's Content-Type; 415 when it cannot be parsed at all. */
    private static MediaType mediaType(HttpHeaders headers) {
        try {
            return headers.getMediaType();
        } catch (IllegalArgumentException e) {
            throw new ApiException(415, "Content-Type '" + headers.getHeaderString(HttpHeaders.CONTENT_TYPE)
                    + "' cannot be read");
        }
    }

    private static Charset charset(String name) {
        if (name == null || name.isBlank()) {
            return StandardCharsets.ISO_8859_1;
        }
        try {
            return Charset.forName(name.strip());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw ApiException.unprocessable("Unsupported charset '" + name + "'");
        }
    }

    private static Instant time(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return TextGuard.within(LocalDateTime.parse(value.strip(), KANNEL_TIME).toInstant(ZoneOffset.UTC),
                    "X-Kannel-Time", null, null);
        } catch (DateTimeException e) {
            throw ApiException.unprocessable("X-Kannel-Time must be YYYY-MM-DD HH:MM:SS");
        }
    }
}
