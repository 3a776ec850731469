package com.fetchsms.ingest.rest;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import com.fetchsms.common.error.ApiException;
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
    public Uni<RestResponse<Void>> receive(byte[] body, HttpHeaders headers, @RestQuery String token) {
        return gateways.authenticate(GatewayTokens.from(headers, token)).call(gateways::seen).chain(gateway -> {
            InboundSms sms = ingest.validate(parse(body == null ? new byte[0] : body, headers));
            return ingest.ingest(gateway, sms);
        }).map(result -> RestResponse.accepted());
    }

    static InboundSms parse(byte[] body, HttpHeaders headers) {
        String udhHex = headers.getHeaderString("X-Kannel-UDH");
        Concatenation concatenation = null;
        if (udhHex != null && !udhHex.isBlank()) {
            try {
                concatenation = UserDataHeader.concatenation(UserDataHeader.hex(udhHex.strip())).orElse(null);
            } catch (IllegalArgumentException e) {
                throw ApiException.unprocessable("X-Kannel-UDH must be hexadecimal");
            }
        }
        MediaType type = headers.getMediaType();
        String charset = type == null ? null : type.getParameters().get("charset");
        String text = null;
        byte[] payload = null;
        SmsCoding coding;
        if (charset != null && (charset.equalsIgnoreCase("UTF-16BE") || charset.equalsIgnoreCase("UCS-2")
                || charset.equalsIgnoreCase("UTF-16"))) {
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
                udhHex == null || udhHex.isBlank() ? null : udhHex.strip(),
                time(headers.getHeaderString("X-Kannel-Time")));
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
            return LocalDateTime.parse(value.strip(), KANNEL_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw ApiException.unprocessable("X-Kannel-Time must be YYYY-MM-DD HH:MM:SS");
        }
    }
}
