package com.fetchsms.common.purchase;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.error.ApiExceptionMappers;
import com.fetchsms.common.input.IdempotencyKeys;
import com.fetchsms.common.security.Caller;
import com.fetchsms.common.security.RateLimited;
import com.fetchsms.common.validation.CleanText;
import com.fetchsms.common.validation.TypeHint;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * The routes every purchase product has (decision 0017), under the {@code @Path} of the product's resource: get, list,
 * cancel and report, and the answer of a create. Each service's resource ({@code VerificationResource},
 * {@code RentalResource}) extends it with its path, its view ({@code V}) and its {@code POST}, whose request body is
 * its own; rental adds its messages. With an API key or a dashboard session, under the per-credential rate limit.
 */
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Caller.ROLE_USER, Caller.ROLE_API})
@RateLimited
public abstract class PurchaseResource<P extends Purchase, V> {

    private final PurchaseService<P> purchases;
    private final SecurityIdentity identity;
    private final Function<P, V> view;
    @Inject
    ObjectMapper json;
    @Inject
    Validator validator;

    protected PurchaseResource(PurchaseService<P> purchases, SecurityIdentity identity, Function<P, V> view) {
        this.purchases = purchases;
        this.identity = identity;
        this.view = view;
    }

    /**
     * Buys {@code purchase} with the request's Idempotency-Key (400 when malformed): 201 with the view, also when a
     * repeated key answers the first result again.
     */
    protected Uni<RestResponse<V>> created(PurchaseRequest purchase, HttpServerRequest request) {
        String idempotencyKey = IdempotencyKeys.of(request);
        return purchases.create(caller(), purchase, idempotencyKey)
                .map(created -> RestResponse.status(RestResponse.Status.CREATED, view.apply(created.purchase())));
    }

    /**
     * One purchase. With {@code wait} (whole seconds, at most {@code fetchsms.purchase-watch.max-wait}) a long poll:
     * a purchase still waiting is answered as soon as it changes (its code, a message, a cancel, its expiry) or when
     * the wait ends, whichever is first.
     */
    @GET
    @Path("/{id}")
    public Uni<V> get(@RestPath String id,
            @Parameter(description = "Long poll: wait up to this many seconds (0-60) for a waiting purchase to change", schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "60")) @RestQuery String wait) {
        return purchases.get(caller(), purchases.id(id), purchases.waitOf(wait)).map(view);
    }

    @GET
    public Uni<List<V>> list(@RestQuery String tab, @RestQuery String before, @RestQuery String limit) {
        return purchases.list(caller(), purchases.page(tab, before, limit))
                .map(list -> list.stream().map(view).toList());
    }

    @POST
    @Path("/{id}/cancel")
    public Uni<V> cancel(@RestPath String id) {
        return purchases.cancel(caller(), purchases.id(id)).map(view);
    }

    /** Body of {@code POST …/{id}/report}, optional: what did not work, in the buyer's words. */
    public record ReportRequest(
            @CleanText @Size(max = REPORT_REASON_MAX, message = "must be at most " + REPORT_REASON_MAX
                    + " characters") @TypeHint("a text of at most " + REPORT_REASON_MAX
                            + " characters") @Schema(description = "What did not work, in your words (optional)", maxLength = REPORT_REASON_MAX) String reason) {
    }

    /** The longest {@code reason} of a report. */
    public static final int REPORT_REASON_MAX = 200;

    /**
     * Reports the number as not working (decision 0021): a purchase still waiting within the product's report window
     * is cancelled as {@code reported} and refunded in full. The body ({@link ReportRequest}) is optional, so the route
     * reads it itself: an empty body (whatever its Content-Type, as {@code curl -X POST} or a form client sends it) is
     * a report without text; any other body must be JSON, read and validated as every body is (400 or 422 naming the
     * field).
     */
    @POST
    @Path("/{id}/report")
    @Consumes(MediaType.WILDCARD)
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReportRequest.class)))
    @APIResponse(responseCode = "200", description = "The purchase, cancelled with cancel_reason \"reported\" (also when it was already reported)")
    @APIResponse(responseCode = "409", description = "Not reportable: a code or message arrived, the report window passed, or the purchase already ended")
    public Uni<V> report(@RestPath String id, String body, @RestHeader("Content-Type") String contentType) {
        ReportRequest request = reportRequest(body, contentType);
        return purchases.report(caller().accountId(), purchases.id(id), request.reason()).map(view);
    }

    private ReportRequest reportRequest(String body, String contentType) {
        if (body == null || body.isBlank()) {
            return new ReportRequest(null);
        }
        if (!isJson(contentType)) {
            throw new ApiException(415, "Unsupported media type: send application/json");
        }
        ReportRequest request;
        try {
            request = json.readValue(body, ReportRequest.class);
        } catch (JsonProcessingException e) {
            throw new WebApplicationException(e, 400); // answered naming the field (ApiExceptionMappers)
        }
        if (request == null || request.reason() == null || request.reason().isBlank()) {
            return new ReportRequest(null); // JSON null, {} or a blank reason: a report without text
        }
        Set<ConstraintViolation<ReportRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw ApiExceptionMappers.refusal(violations);
        }
        return request;
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.valueOf(contentType);
            return MediaType.APPLICATION_JSON_TYPE.isCompatible(type) || type.getSubtype().endsWith("+json");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Who calls: 401 without a credential. */
    protected Caller caller() {
        return Caller.of(identity);
    }
}
