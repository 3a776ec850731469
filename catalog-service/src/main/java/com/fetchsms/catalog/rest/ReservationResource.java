package com.fetchsms.catalog.rest;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import com.fetchsms.common.contract.ReservationRequest;
import com.fetchsms.common.contract.Reservation;
import com.fetchsms.catalog.domain.ServiceRef;
import com.fetchsms.catalog.service.InventoryService;
import com.fetchsms.common.error.ApiException;

import io.smallrye.mutiny.Uni;

/**
 * Internal reservation API for verification-service and rental-service (never routed by the gateway). 201 when a
 * reservation is made, 200 when the purchase already had it; 404 unknown service, 409 out of stock or a price above
 * {@code max_price_cents} (with {@code price_cents}, nothing reserved), 422 bad term. A request with
 * {@code sandbox: true} (a test key's purchase) is given only a sandbox number, and one without it never.
 */
@Path("/internal/reservations")
@Produces(MediaType.APPLICATION_JSON)
public class ReservationResource {

    private final InventoryService inventory;

    public ReservationResource(InventoryService inventory) {
        this.inventory = inventory;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Reservation>> reserve(@Valid ReservationRequest body) {
        if (body == null || body.purchaseId() == null) {
            throw ApiException.badRequest("'purchase_id' is required");
        }
        if (body.mode() == null) {
            throw ApiException.badRequest("'mode' is required: short or long");
        }
        InventoryService.ReservationRequest request = new InventoryService.ReservationRequest(body.purchaseId(),
                ServiceRef.parse(body.service()), body.mode(), body.days(), body.areaCode(), body.maxPriceCents(),
                body.sandbox());
        return inventory.reserve(request).map(outcome -> RestResponse.status(
                outcome.created() ? RestResponse.Status.CREATED : RestResponse.Status.OK, outcome.reservation()));
    }

    @GET
    @Path("/{purchaseId}")
    public Uni<Reservation> get(@RestPath String purchaseId) {
        return inventory.find(parse(purchaseId));
    }

    /** Gives the number back (payment failed, cancelled, expired). Idempotent. */
    @POST
    @Path("/{purchaseId}/release")
    public Uni<Reservation> release(@RestPath String purchaseId) {
        return inventory.release(parse(purchaseId), "released");
    }

    /** A code was delivered on a short-term reservation. Idempotent. */
    @POST
    @Path("/{purchaseId}/complete")
    public Uni<Reservation> complete(@RestPath String purchaseId) {
        return inventory.complete(parse(purchaseId));
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("No reservation for purchase " + id);
        }
    }
}
