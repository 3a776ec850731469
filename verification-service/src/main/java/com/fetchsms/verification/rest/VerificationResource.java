package com.fetchsms.verification.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fetchsms.common.purchase.PurchaseRequest;
import com.fetchsms.common.purchase.PurchaseResource;
import com.fetchsms.common.security.Caller;
import com.fetchsms.common.security.RateLimited;
import com.fetchsms.common.validation.AreaCode;
import com.fetchsms.common.validation.BadRequest;
import com.fetchsms.common.validation.CleanText;
import com.fetchsms.common.validation.PriceCap;
import com.fetchsms.common.validation.Required;
import com.fetchsms.common.validation.ServiceReference;
import com.fetchsms.common.validation.TypeHint;
import com.fetchsms.verification.domain.Verification;
import com.fetchsms.verification.domain.VerificationView;
import com.fetchsms.verification.service.VerificationService;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** Short-term verifications ("Verifications"), with an API key or a dashboard session. */
@Path("/v1/verifications")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Caller.ROLE_USER, Caller.ROLE_API})
@RateLimited
public class VerificationResource extends PurchaseResource<Verification, VerificationView> {

    private final VerificationService verifications;

    public VerificationResource(VerificationService verifications, SecurityIdentity identity) {
        super(verifications, identity, VerificationView::of);
        this.verifications = verifications;
    }

    /**
     * Body of {@code POST /v1/verifications}: {@code service} is an id or a slug (read as its text, a slug in lower
     * case), {@code area_code} an optional US area code, {@code max_price_cents} an optional price cap.
     */
    public record CreateRequest(
            @Required(message = "is required: a service id (e.g. 4) or slug (e.g. \"telegram\")") @CleanText @Size(max = ServiceReference.MAX_LENGTH, message = "must be "
                    + ServiceReference.TYPE_HINT, payload = BadRequest.class) @JsonDeserialize(using = ServiceReference.class) @TypeHint(ServiceReference.TYPE_HINT) String service,
            @AreaCode @TypeHint(AreaCode.TYPE_HINT) String areaCode,
            @PriceCap @TypeHint(PriceCap.TYPE_HINT) @Schema(description = PriceCap.DESCRIPTION, minimum = "1") Integer maxPriceCents) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, required = false, schema = @Schema(type = SchemaType.STRING), description = "Makes a retry safe: the same key with the same request answers the first result again, with a different request 422")
    @APIResponse(responseCode = "201", description = "Verification created (or the first answer again, for a repeated Idempotency-Key)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = VerificationView.class)))
    @APIResponse(responseCode = "409", description = "Refused, nothing charged: no number left, the same Idempotency-Key still running, or the current price above max_price_cents (then price_cents says it)")
    public Uni<RestResponse<VerificationView>> create(
            @Valid @NotNull(message = "A JSON body is required: \\{\"service\": <id or slug>\\}", payload = BadRequest.class) CreateRequest body,
            HttpServerRequest request) {
        return created(new PurchaseRequest(body.service(), body.areaCode(), null, body.maxPriceCents()), request);
    }

    /**
     * Asks for another code (decision 0021): a verification whose code arrived, within its window, then receives the
     * next code of its number and service; charged nothing more.
     */
    @POST
    @Path("/{id}/another-code")
    @APIResponse(responseCode = "200", description = "The verification, waiting for another code (awaiting_another_code true; also when already asked)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = VerificationView.class)))
    @APIResponse(responseCode = "409", description = "No code yet, cancelled or expired, or the window has closed")
    public Uni<VerificationView> anotherCode(@RestPath String id) {
        return verifications.anotherCode(caller().accountId(), verifications.id(id)).map(VerificationView::of);
    }
}
