package com.fetchsms.ingest.rest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.error.ApiExceptionMappers;
import com.fetchsms.common.error.DataExceptions;
import com.fetchsms.ingest.config.IngestConfig;
import com.fetchsms.ingest.domain.Gateway;
import com.fetchsms.ingest.domain.InboundSms;
import com.fetchsms.ingest.domain.IngestResult;
import com.fetchsms.ingest.service.GatewayService;
import com.fetchsms.ingest.service.IngestService;

import io.smallrye.mutiny.Uni;

/**
 * The native ingest routes: {@code POST /v1/ingest/messages} (one SMS) and {@code /batch} (up to 500, each with its
 * own result, all ingested in one transaction). A message is a {@link NativeMessageRequest}
 * {@code {gateway_message_id?, to, from, text | text_ucs2, received_at?, udh?}}: {@code to} in E.164,
 * {@code received_at} ISO-8601 with offset, {@code udh} the hex user data header of one part of a concatenated SMS
 * (its parts may arrive in any order and in different requests), {@code text_ucs2} the text as hexadecimal UTF-16BE
 * octets instead of {@code text} (the parts of a concatenated SMS are then joined as octets before decoding, so a
 * character split across two parts survives). {@code gateway_message_id}, when given, must be
 * unique per message on this gateway: a repeated id is a duplicate. Gammu's {@code RunOnReceive} script
 * ({@code deploy/gammu/}) posts here.
 *
 * <p>
 * The gateway's token is checked before the message's fields. A body that is not JSON, or of the wrong shape (not an
 * object, not an array for {@code /batch}, a field of the wrong JSON type) is refused as a whole with 400; in a
 * batch the detail names the item and the field ({@code Field '[3].to' must be …}). Every other refusal of a batch's
 * item is that item's own result.
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

    static final String NOT_A_MESSAGE = "A message must be a JSON object {to, from, text}";
    static final String NOT_AN_ARRAY = "The body must be a JSON array of messages";

    private final GatewayService gateways;
    private final IngestService ingest;
    private final IngestConfig config;
    private final Validator validator;

    public IngestResource(GatewayService gateways, IngestService ingest, IngestConfig config, Validator validator) {
        this.gateways = gateways;
        this.ingest = ingest;
        this.config = config;
        this.validator = validator;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(202)
    @APIResponse(responseCode = "202", description = "Accepted (or a duplicate of a message already accepted)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = IngestResult.class)))
    public Uni<IngestResult> message(NativeMessageRequest body, HttpHeaders headers, @RestQuery String token) {
        return authenticate(headers, token).chain(gateway -> ingest.ingest(gateway, report(body)));
    }

    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(202)
    @APIResponse(responseCode = "202", description = "Each message's outcome, by index", content = @Content(mediaType = "application/json", schema = @Schema(implementation = BatchResult.class)))
    public Uni<BatchResult> batch(List<NativeMessageRequest> body, HttpHeaders headers, @RestQuery String token) {
        return authenticate(headers, token).chain(gateway -> {
            if (body == null) {
                throw ApiException.badRequest(NOT_AN_ARRAY);
            }
            if (body.isEmpty()) {
                throw ApiException.unprocessable("The batch is empty");
            }
            if (body.size() > config.maxBatch()) {
                throw ApiException.unprocessable("A batch holds at most " + config.maxBatch() + " messages");
            }
            // every item is checked first, on its own; the valid ones are ingested together, in one transaction
            BatchItem[] results = new BatchItem[body.size()];
            List<Integer> indexes = new ArrayList<>();
            List<InboundSms> reports = new ArrayList<>();
            for (int index = 0; index < body.size(); index++) {
                try {
                    reports.add(report(body.get(index)));
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

    /**
     * A body these routes cannot read as their type. Not an object (not an array, for {@code /batch}) at all: this
     * route's own sentence; anything else (a field of the wrong type, an item of a batch that is no object) names the
     * field as everywhere ({@code Field '[3].to' must be a string (or an integer)}).
     */
    @ServerExceptionMapper
    public Response unreadable(MismatchedInputException e) {
        if (e.getPath().isEmpty() && e.getTargetType() != null) {
            if (Collection.class.isAssignableFrom(e.getTargetType())) {
                return ApiExceptionMappers.answer(ApiException.badRequest(NOT_AN_ARRAY));
            }
            if (NativeMessageRequest.class.equals(e.getTargetType())) {
                return ApiExceptionMappers.answer(ApiException.badRequest(NOT_A_MESSAGE));
            }
        }
        return ApiExceptionMappers.jsonProblem(e);
    }

    /**
     * A message → a validated report: the record's constraints ({@link ApiExceptionMappers#refusal}: 400 or 422
     * naming the field), then the conversion and {@code IngestService.validate} (422 naming the field).
     */
    private InboundSms report(NativeMessageRequest message) {
        if (message == null) {
            throw ApiException.badRequest(NOT_A_MESSAGE);
        }
        Set<ConstraintViolation<NativeMessageRequest>> violations = validator.validate(message);
        if (!violations.isEmpty()) {
            throw ApiExceptionMappers.refusal(violations);
        }
        return ingest.validate(message.toReport());
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
}
