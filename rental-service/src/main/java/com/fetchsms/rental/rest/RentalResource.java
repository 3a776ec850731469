package com.fetchsms.rental.rest;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.json.Params;
import com.fetchsms.common.purchase.PurchasePage;
import com.fetchsms.common.purchase.PurchaseRequest;
import com.fetchsms.common.purchase.PurchaseResource;
import com.fetchsms.common.security.Caller;
import com.fetchsms.common.purchase.RentalTerms;
import com.fetchsms.common.security.RateLimited;
import com.fetchsms.common.validation.AreaCode;
import com.fetchsms.common.validation.BadRequest;
import com.fetchsms.common.validation.CleanText;
import com.fetchsms.common.validation.PriceCap;
import com.fetchsms.common.validation.RentalTerm;
import com.fetchsms.common.validation.Required;
import com.fetchsms.common.validation.ServiceReference;
import com.fetchsms.common.validation.TypeHint;
import com.fetchsms.rental.config.RentalConfig;
import com.fetchsms.rental.domain.Rental;
import com.fetchsms.rental.domain.RentalView;
import com.fetchsms.rental.domain.Sms;
import com.fetchsms.rental.domain.SmsView;
import com.fetchsms.rental.service.RentalService;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** Long-term rentals ("Rentals (long-term)"), with an API key or a dashboard session. */
@Path("/v1/rentals")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Caller.ROLE_USER, Caller.ROLE_API})
@RateLimited
public class RentalResource extends PurchaseResource<Rental, RentalView> {

    private final RentalService rentals;
    private final RentalConfig config;

    public RentalResource(RentalService rentals, SecurityIdentity identity, RentalConfig config) {
        super(rentals, identity, RentalView::of);
        this.rentals = rentals;
        this.config = config;
    }

    /**
     * Body of {@code POST /v1/rentals}: {@code service} is 1 or {@code "unlimited-services"} (read as its text),
     * {@code days} one of the {@link RentalTerms}, {@code area_code} an optional US area code, {@code max_price_cents}
     * an optional price cap.
     */
    public record CreateRequest(
            @Required(message = "is required: the long-term product id 1 (or its slug \"unlimited-services\")") @CleanText @Size(max = ServiceReference.MAX_LENGTH, message = "must be "
                    + ServiceReference.TYPE_HINT, payload = BadRequest.class) @JsonDeserialize(using = ServiceReference.class) @TypeHint(ServiceReference.TYPE_HINT) String service,
            @Required(message = "is required: one of "
                    + RentalTerms.TEXT) @RentalTerm @TypeHint("an integer number of days: one of "
                            + RentalTerms.TEXT) Integer days,
            @AreaCode @TypeHint(AreaCode.TYPE_HINT) String areaCode,
            @PriceCap @TypeHint(PriceCap.TYPE_HINT) @Schema(description = PriceCap.DESCRIPTION, minimum = "1") Integer maxPriceCents) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, required = false, schema = @Schema(type = SchemaType.STRING), description = "Makes a retry safe: the same key with the same request answers the first result again, with a different request 422")
    @APIResponse(responseCode = "201", description = "Rental created (or the first answer again, for a repeated Idempotency-Key)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = RentalView.class)))
    @APIResponse(responseCode = "409", description = "Refused, nothing charged: no number left, the same Idempotency-Key still running, or the current price above max_price_cents (then price_cents says it)")
    public Uni<RestResponse<RentalView>> create(
            @Valid @NotNull(message = "A JSON body is required: \\{\"service\": 1, \"days\": 30\\}", payload = BadRequest.class) CreateRequest body,
            HttpServerRequest request) {
        return created(new PurchaseRequest(body.service(), body.areaCode(), body.days(), body.maxPriceCents()),
                request);
    }

    @GET
    @Path("/{id}/messages")
    public Uni<List<SmsView>> messages(@RestPath String id, @RestQuery String before, @RestQuery String limit,
            @Parameter(description = "Long poll: the id of the newest message already seen; with wait, the answer "
                    + "comes when a newer one exists") @RestQuery String after,
            @Parameter(description = "Long poll: wait up to this many seconds (0-60) for a message newer than after", schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "60")) @RestQuery String wait) {
        UUID rental = rentals.id(id);
        UUID cursor = PurchasePage.cursor(before, "'before' must be the id of a message");
        int size = Params.intInRange(limit, "limit", config.maxPageSize(), 1, config.maxPageSize());
        Duration waitFor = rentals.waitOf(wait);
        UUID seen = PurchasePage.cursor(after, "'after' must be the id of a message");
        if (!waitFor.isZero() && cursor != null) {
            throw ApiException
                    .unprocessable("'wait' asks for the newest messages: it cannot be combined with 'before'");
        }
        Uni<List<Sms>> found = waitFor.isZero()
                ? rentals.messages(caller(), rental, cursor, size)
                : rentals.newMessages(caller(), rental, seen, size, waitFor);
        return found.map(list -> list.stream().map(SmsView::of).toList());
    }
}
