package com.fetchsms.catalog.rest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fetchsms.common.contract.NumberLookup;
import com.fetchsms.common.contract.NumberLookupRequest;
import com.fetchsms.catalog.repository.NumberAssignmentRepository;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.phone.PhoneNumbers;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Internal, read-only: which gateway serves each of some numbers, for sms-ingest-service when its copy of
 * {@code inventory.numbers} does not (yet) show a number with the gateway reporting an SMS for it (never routed by the
 * gateway). {@code POST /internal/numbers/lookup {numbers: [...]}} → 200 {@code {numbers: [{number, gateway_id,
 * state, changed_at}]}}; numbers the inventory does not know are absent.
 */
@Path("/internal/numbers")
@Produces(MediaType.APPLICATION_JSON)
public class InternalNumberResource {

    private final Pool pool;
    private final NumberAssignmentRepository assignments;

    public InternalNumberResource(Pool pool, NumberAssignmentRepository assignments) {
        this.pool = pool;
        this.assignments = assignments;
    }

    @POST
    @Path("/lookup")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<NumberLookup> lookup(@Valid @NotNull NumberLookupRequest body) {
        Set<String> numbers = new LinkedHashSet<>();
        for (String raw : body.numbers()) {
            numbers.add(PhoneNumbers.toE164(raw).orElseThrow(() -> ApiException.unprocessable(
                    "'numbers' must hold US numbers in E.164 (+1NXXNXXXXXX): " + raw)));
        }
        return assignments.find(pool, new ArrayList<>(numbers)).map(NumberLookup::new);
    }
}
