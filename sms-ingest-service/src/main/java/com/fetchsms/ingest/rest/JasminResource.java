package com.fetchsms.ingest.rest;

import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import com.fetchsms.common.error.ApiException;
import com.fetchsms.ingest.domain.InboundSms;
import com.fetchsms.ingest.domain.SmsCoding;
import com.fetchsms.ingest.domain.SmsText;
import com.fetchsms.ingest.domain.UserDataHeader;
import com.fetchsms.ingest.service.GatewayService;
import com.fetchsms.ingest.service.IngestService;

import io.smallrye.mutiny.Uni;

/**
 * Jasmin's HTTP MO delivery ({@code httpccm} connector with {@code method=POST}, URL
 * {@code https://<host>/v1/ingest/jasmin?token=<token>}): form fields {@code id}, {@code from}, {@code to},
 * {@code origin-connector}, {@code priority}, {@code coding}, {@code validity}, {@code content} and {@code binary}
 * (the short message in hex, preferred: it is decoded by {@code coding}, the SMPP data_coding). Jasmin's ids are
 * unique, so a repeated id is a duplicate. The answer is {@code ACK/Jasmin} (anything else makes Jasmin retry).
 */
@Path("/v1/ingest/jasmin")
@SecurityRequirement(name = "gatewayToken") // the merged OpenAPI document defines the scheme (gateway)
public class JasminResource {

    static final String ADAPTER = "jasmin";
    static final String ACK = "ACK/Jasmin";

    private final GatewayService gateways;
    private final IngestService ingest;

    public JasminResource(GatewayService gateways, IngestService ingest) {
        this.gateways = gateways;
        this.ingest = ingest;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_PLAIN)
    public Uni<String> receive(@RestForm String id, @RestForm String from, @RestForm String to,
            @RestForm String coding, @RestForm String content, @RestForm String binary, HttpHeaders headers,
            @RestQuery String token) {
        return gateways.authenticate(GatewayTokens.from(headers, token)).call(gateways::seen).chain(gateway -> {
            InboundSms sms = ingest.validate(new InboundSms(ADAPTER, id, true, to, from,
                    text(coding, content, binary), null, SmsCoding.UTF8, null, null, null));
            return ingest.ingest(gateway, sms);
        }).map(result -> ACK);
    }

    private static String text(String coding, String content, String binary) {
        int dataCoding;
        try {
            dataCoding = coding == null || coding.isBlank() ? 0 : Integer.parseInt(coding.strip());
        } catch (NumberFormatException e) {
            throw ApiException.unprocessable("'coding' must be an SMPP data_coding number");
        }
        if (dataCoding < 0 || dataCoding > 255) {
            throw ApiException.unprocessable("'coding' must be an SMPP data_coding number");
        }
        SmsCoding smsCoding = SmsText.ofDataCoding(dataCoding).orElse(SmsCoding.BINARY);
        if (binary != null && !binary.isBlank()) {
            byte[] bytes;
            try {
                bytes = UserDataHeader.hex(binary.strip());
            } catch (IllegalArgumentException e) {
                throw ApiException.unprocessable("'binary' must be hexadecimal");
            }
            return SmsText.decode(bytes, smsCoding);
        }
        if (content == null) {
            return null;
        }
        // without 'binary' the form value is all there is; UCS-2 content arrives as its raw bytes
        return smsCoding == SmsCoding.UCS2
                ? SmsText.decode(content.getBytes(StandardCharsets.ISO_8859_1), SmsCoding.UCS2)
                : content;
    }
}
