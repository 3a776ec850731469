package com.fetchsms.rental.rest;

import java.util.List;
import java.util.Set;
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

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.input.IdempotencyKeys;
import com.fetchsms.common.json.Params;
import com.fetchsms.common.security.Caller;
import com.fetchsms.common.purchase.RentalTerms;
import com.fetchsms.common.security.RateLimited;
import com.fetchsms.common.validation.AreaCode;
import com.fetchsms.common.validation.BadRequest;
import com.fetchsms.common.validation.CleanText;
import com.fetchsms.common.validation.RentalTerm;
import com.fetchsms.common.validation.Required;
import com.fetchsms.common.validation.ServiceReference;
import com.fetchsms.common.validation.TypeHint;
import com.fetchsms.rental.config.RentalConfig;
import com.fetchsms.rental.domain.RentalView;
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
public class RentalResource {

    /**
     * Body of {@code POST /v1/rentals}: {@code service} is 1 or {@code "unlimited-services"} (read as its text),
     * {@code days} one of the {@link RentalTerms}, {@code area_code} an optional US area code.
     */
    public record CreateRequest(
            @Required(message = "is required: the long-term product id 1 (or its slug \"unlimited-services\")") @CleanText @Size(max = ServiceReference.MAX_LENGTH, message = "must be "
                    + ServiceReference.TYPE_HINT, payload = BadRequest.class) @JsonDeserialize(using = ServiceReference.class) @TypeHint(ServiceReference.TYPE_HINT) String service,
            @Required(message = "is required: one of "
                    + RentalTerms.TEXT) @RentalTerm @TypeHint("an integer number of days: one of "
                            + RentalTerms.TEXT) Integer days,
            @AreaCode @TypeHint(AreaCode.TYPE_HINT) String areaCode) {
    }

    private final RentalService rentals;
    private final SecurityIdentity identity;
    private final RentalConfig config;

    public RentalResource(RentalService rentals, SecurityIdentity identity, RentalConfig config) {
        this.rentals = rentals;
        this.identity = identity;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<RentalView>> create(
            @Valid @NotNull(message = "A JSON body is required: \\{\"service\": 1, \"days\": 30\\}", payload = BadRequest.class) CreateRequest body,
            HttpServerRequest request) {
        String idempotencyKey = IdempotencyKeys.of(request);
        return rentals.create(Caller.of(identity), body.service(), body.days(), body.areaCode(), idempotencyKey)
                .map(created -> RestResponse.status(RestResponse.Status.CREATED, RentalView.of(created.rental())));
    }

    @GET
    @Path("/{id}")
    public Uni<RentalView> get(@RestPath String id) {
        return rentals.get(Caller.of(identity), parse(id)).map(RentalView::of);
    }

    @GET
    @Path("/{id}/messages")
    public Uni<List<SmsView>> messages(@RestPath String id, @RestQuery String before, @RestQuery String limit) {
        UUID rental = parse(id);
        UUID cursor = cursor(before, "'before' must be the id of a message");
        int size = Params.intInRange(limit, "limit", config.maxPageSize(), 1, config.maxPageSize());
        return rentals.messages(Caller.of(identity), rental, cursor, size)
                .map(list -> list.stream().map(SmsView::of).toList());
    }

    @GET
    public Uni<List<RentalView>> list(@RestQuery String tab, @RestQuery String before, @RestQuery String limit) {
        boolean active = "active".equals(Params.oneOf(tab, "tab", "active", Set.of("active", "history")));
        UUID cursor = cursor(before, "'before' must be the id of a rental");
        int size = Params.intInRange(limit, "limit", 50, 1, config.maxPageSize());
        return rentals.list(Caller.of(identity), active, cursor, size)
                .map(list -> list.stream().map(RentalView::of).toList());
    }

    @POST
    @Path("/{id}/cancel")
    public Uni<RentalView> cancel(@RestPath String id) {
        return rentals.cancel(Caller.of(identity), parse(id)).map(RentalView::of);
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Rental not found");
        }
    }

    private static UUID cursor(String before, String detail) {
        if (before == null || before.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(before.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable(detail);
        }
    }
}
