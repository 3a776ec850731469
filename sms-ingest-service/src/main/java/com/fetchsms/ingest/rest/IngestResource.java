package com.fetchsms.ingest.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.error.DataExceptions;
import com.fetchsms.common.input.TextGuard;
import com.fetchsms.ingest.config.IngestConfig;
import com.fetchsms.ingest.domain.Concatenation;
import com.fetchsms.ingest.domain.Gateway;
import com.fetchsms.ingest.domain.InboundSms;
import com.fetchsms.ingest.domain.IngestResult;
import com.fetchsms.ingest.domain.SmsCoding;
import com.fetchsms.ingest.domain.UserDataHeader;
import com.fetchsms.ingest.service.GatewayService;
import com.fetchsms.ingest.service.IngestService;

import io.smallrye.mutiny.Uni;

/**
 * The native ingest routes: {@code POST /v1/ingest/messages} (one SMS) and {@code /batch} (up to 500, each with its
 * own result, all ingested in one transaction). A message is
 * {@code {gateway_message_id?, to, from, text | text_ucs2, received_at?, udh?}}: {@code to} in E.164,
 * {@code received_at} ISO-8601 with offset, {@code udh} the hex user data header of one part of a concatenated SMS
 * (its parts may arrive in any order and in different requests), {@code text_ucs2} the text as hexadecimal UTF-16BE
 * octets instead of {@code text} (the parts of a concatenated SMS are then joined as octets before decoding, so a
 * character split across two parts survives). {@code gateway_message_id}, when given, must be
 * unique per message on this gateway: a repeated id is a duplicate. Gammu's {@code RunOnReceive} script
 * ({@code deploy/gammu/}) posts here.
 */
@Path("/v1/ingest/messages")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "gatewayToken") // the merged OpenAPI document defines the scheme (gateway)
public class IngestResource {

    private static final Logger LOG = Logger.getLogger(IngestResource.class);

    /** One item's result in a batch: a result, or an error status with its detail. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BatchItem(int index, int status, java.util.UUID id, Boolean duplicate, String outcome,
            String detail) {
    }

    /** {@code POST /v1/ingest/messages/batch} answer. */
    public record BatchResult(int accepted, int duplicates, int partial, int failed, List<BatchItem> results) {
    }

    private final GatewayService gateways;
    private final IngestService ingest;
    private final IngestConfig config;

    public IngestResource(GatewayService gateways, IngestService ingest, IngestConfig config) {
        this.gateways = gateways;
        this.ingest = ingest;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(202)
    @APIResponse(responseCode = "202", description = "Accepted (or a duplicate of a message already accepted)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = IngestResult.class)))
    public Uni<IngestResult> message(JsonNode body, HttpHeaders headers, @RestQuery String token) {
        return authenticate(headers, token).chain(gateway -> {
            InboundSms sms = ingest.validate(parse(body, "native"));
            return ingest.ingest(gateway, sms);
        });
    }

    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(202)
    @APIResponse(responseCode = "202", description = "Each message's outcome, by index", content = @Content(mediaType = "application/json", schema = @Schema(implementation = BatchResult.class)))
    public Uni<BatchResult> batch(JsonNode body, HttpHeaders headers, @RestQuery String token) {
        return authenticate(headers, token).chain(gateway -> {
            if (body == null || !body.isArray()) {
                throw ApiException.badRequest("The body must be a JSON array of messages");
            }
            if (body.isEmpty()) {
                throw ApiException.unprocessable("The batch is empty");
            }
            if (body.size() > config.maxBatch()) {
                throw ApiException.unprocessable("A batch holds at most " + config.maxBatch() + " messages");
            }
            // every item is checked first; the valid ones are ingested together, in one transaction
            BatchItem[] results = new BatchItem[body.size()];
            List<Integer> indexes = new ArrayList<>();
            List<InboundSms> reports = new ArrayList<>();
            for (int index = 0; index < body.size(); index++) {
                try {
                    reports.add(ingest.validate(parse(body.get(index), "native")));
                    indexes.add(index);
                } catch (RuntimeException e) {
                    results[index] = item(gateway, index, IngestService.Outcome.failed(e));
                }
            }
            Uni<List<IngestService.Outcome>> ingested = reports.isEmpty()
                    ? Uni.createFrom().item(List.of())
                    : ingest.ingestAll(gateway, reports);
            return ingested.map(outcomes -> {
                for (int i = 0; i < outcomes.size(); i++) {
                    results[indexes.get(i)] = item(gateway, indexes.get(i), outcomes.get(i));
                }
                return summarise(List.of(results));
            });
        });
    }

    private static BatchItem item(Gateway gateway, int index, IngestService.Outcome outcome) {
        if (outcome.failure() == null) {
            IngestResult result = outcome.result();
            return new BatchItem(index, 202, result.id(), result.duplicate(), result.outcome(), null);
        }
        if (outcome.failure() instanceof ApiException api) {
            return new BatchItem(index, api.status(), null, null, null, api.getMessage());
        }
        if (DataExceptions.isDataException(outcome.failure())) {
            // a value the database refused (the checks above should have named it): sending it again cannot help
            LOG.warnf("Batch item %d of gateway %s refused by the database: %s", index, gateway.id(),
                    DataExceptions.describe(outcome.failure()));
            return new BatchItem(index, 400, null, null, null, "The message holds a value that cannot be stored");
        }
        LOG.warnf("Batch item %d of gateway %s failed: %s", index, gateway.id(), outcome.failure().toString());
        return new BatchItem(index, 503, null, null, null, "Temporarily unavailable: send it again");
    }

    private static BatchResult summarise(List<BatchItem> items) {
        int accepted = 0;
        int duplicates = 0;
        int partial = 0;
        int failed = 0;
        for (BatchItem item : items) {
            if (item.status() != 202) {
                failed++;
            } else if (Boolean.TRUE.equals(item.duplicate())) {
                duplicates++;
            } else if (IngestResult.PARTIAL.equals(item.outcome())) {
                partial++;
            } else {
                accepted++;
            }
        }
        return new BatchResult(accepted, duplicates, partial, failed, items);
    }

    private Uni<Gateway> authenticate(HttpHeaders headers, String token) {
        return gateways.authenticate(GatewayTokens.from(headers, token))
                .call(gateways::seen);
    }

    /** A native message object → a report (field errors are 422s naming the field). */
    static InboundSms parse(JsonNode item, String adapter) {
        if (item == null || !item.isObject()) {
            throw ApiException.badRequest("A message must be a JSON object {to, from, text}");
        }
        String udhHex = text(item, "udh");
        Concatenation concatenation = null;
        if (udhHex != null) {
            try {
                concatenation = UserDataHeader.concatenation(UserDataHeader.hex(udhHex)).orElse(null);
            } catch (IllegalArgumentException e) {
                throw ApiException.unprocessable("'udh' must be hexadecimal");
            }
        }
        String text = text(item, "text");
        String ucs2Hex = text(item, "text_ucs2");
        byte[] payload = null;
        if (ucs2Hex != null) {
            if (text != null) {
                throw ApiException.unprocessable("Give either 'text' or 'text_ucs2', not both");
            }
            try {
                payload = UserDataHeader.hex(ucs2Hex);
            } catch (IllegalArgumentException e) {
                throw ApiException.unprocessable("'text_ucs2' must be hexadecimal UTF-16BE octets");
            }
            if (payload.length % 2 != 0) {
                throw ApiException.unprocessable("'text_ucs2' must be whole UTF-16BE code units (a multiple of 4"
                        + " hex digits)");
            }
        }
        return new InboundSms(adapter, text(item, "gateway_message_id"), true, text(item, "to"), text(item, "from"),
                text, payload, payload == null ? SmsCoding.UTF8 : SmsCoding.UCS2, concatenation, udhHex,
                instant(item, "received_at"));
    }

    private static String text(JsonNode item, String field) {
        JsonNode value = item.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() && !value.isNumber()) {
            throw ApiException.unprocessable("'" + field + "' must be a string");
        }
        return value.asText();
    }

    private static Instant instant(JsonNode item, String field) {
        return TextGuard.timestamp(text(item, field), field, null, null);
    }
}
