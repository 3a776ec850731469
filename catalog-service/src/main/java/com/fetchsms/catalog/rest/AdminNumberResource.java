package com.fetchsms.catalog.rest;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.fetchsms.catalog.domain.InvalidNumbers;
import com.fetchsms.catalog.domain.NumberHealth;
import com.fetchsms.catalog.domain.PhoneNumber;
import com.fetchsms.catalog.domain.Retirement;
import com.fetchsms.catalog.domain.ServiceRef;
import com.fetchsms.catalog.service.InventoryService;
import com.fetchsms.catalog.service.InventoryService.ImportResult;
import com.fetchsms.catalog.service.NumberHealthService;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.json.Params;
import com.fetchsms.common.phone.PhoneNumbers;
import com.fetchsms.common.validation.BadRequest;
import com.fetchsms.common.validation.CleanText;
import com.fetchsms.common.validation.Required;

import io.smallrye.mutiny.Uni;

/** Inventory administration (dashboard session of an admin). */
@Path("/v1/admin/numbers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class AdminNumberResource {

    /**
     * {@code POST /v1/admin/numbers} body: the gateway whose modems hold the numbers, and the numbers (US, E.164; how
     * many one request may hold is configured, 422 beyond). {@code invalid}: what to do with entries that are not US
     * numbers, {@code refuse} the request (absent) or {@code skip} them.
     */
    public record NumberImport(
            @Required UUID gatewayId,
            @Required(message = AT_LEAST_ONE) @Size(min = 1, message = AT_LEAST_ONE, payload = BadRequest.class) List<@Required @CleanText String> numbers,
            @Schema(description = "Entries that are not US numbers: `refuse` the whole request (the default) or `skip` them, import the others and list them in the answer's `invalid`") InvalidNumbers invalid) {
    }

    private static final String AT_LEAST_ONE = "must list at least one number";

    private final InventoryService inventory;
    private final NumberHealthService health;

    public AdminNumberResource(InventoryService inventory, NumberHealthService health) {
        this.inventory = inventory;
        this.health = health;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "Numbers imported", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ImportResult.class)))
    public Uni<ImportResult> add(
            @Valid @NotNull(message = "A JSON body is required: \\{gateway_id, numbers, invalid?\\}", payload = BadRequest.class) NumberImport body) {
        return inventory.addNumbers(body.gatewayId(), body.numbers(), body.invalid());
    }

    @GET
    public Uni<List<PhoneNumber>> list(@RestQuery("area_code") String areaCode, @RestQuery String state,
            @RestQuery String after, @RestQuery String limit) {
        if (areaCode != null && !areaCode.isBlank() && !PhoneNumbers.isAreaCode(areaCode.trim())) {
            throw ApiException.unprocessable("'area_code' must be a 3-digit US area code");
        }
        String parsedState = Params.oneOf(state, "state", null,
                Set.of(PhoneNumber.AVAILABLE, PhoneNumber.RENTED, PhoneNumber.RETIRED, PhoneNumber.SANDBOX));
        String cursor = after == null || after.isBlank()
                ? null
                : PhoneNumbers.toE164(after).orElseThrow(() -> ApiException.unprocessable("'after' must be a number"));
        return inventory.listNumbers(areaCode == null || areaCode.isBlank() ? null : areaCode.trim(), parsedState,
                cursor, Params.intInRange(limit, "limit", 100, 1, 1000));
    }

    @DELETE
    @Path("/{number}")
    @ResponseStatus(204)
    public Uni<Void> retire(@RestPath String number) {
        return inventory.retire(number);
    }

    /** How the number has done per service: codes, reports, expiries, failures in a row, retirement (decision 0022). */
    @GET
    @Path("/{number}/health")
    public Uni<NumberHealth> health(@RestPath String number) {
        return health.find(number);
    }

    /** Automatic retirements, newest first; {@code before} is the id of the last one seen. */
    @GET
    @Path("/retirements")
    public Uni<List<Retirement>> retirements(@RestQuery String before, @RestQuery String limit) {
        Long cursor = null;
        if (before != null && !before.isBlank()) {
            try {
                cursor = Long.valueOf(before.trim());
            } catch (NumberFormatException e) {
                throw ApiException.unprocessable("Query parameter 'before' must be the id of a retirement");
            }
            if (cursor < 1) {
                throw ApiException.unprocessable("Query parameter 'before' must be the id of a retirement");
            }
        }
        return health.list(cursor, Params.intInRange(limit, "limit", 50, 1, 200));
    }

    /** Gives a number back to a service it was retired from; its failures in a row start again from zero. */
    @DELETE
    @Path("/{number}/retirements/{service}")
    @ResponseStatus(204)
    public Uni<Void> undoRetirement(@RestPath String number, @RestPath String service) {
        return health.undo(number, ServiceRef.parse(service));
    }
}
