package com.fetchsms.catalog.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;

import com.fetchsms.catalog.domain.CatalogEntry;
import com.fetchsms.catalog.service.CatalogService;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.validation.BadRequest;
import com.fetchsms.common.validation.CleanText;
import com.fetchsms.common.validation.TypeHint;

import io.smallrye.mutiny.Uni;

/** Catalog administration (dashboard session of an admin). */
@Path("/v1/admin/services")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class AdminServiceResource {

    /** {@code PUT /v1/admin/services/{id}} body; every field optional. */
    public record ServiceUpdate(
            @CleanText @Pattern(regexp = "(?s).*\\S.*", message = NAME_RULE) @Size(max = 80, message = NAME_RULE) String name,
            @Min(value = 1, message = PRICE_RULE) @Max(value = 1_000_000, message = PRICE_RULE) @TypeHint(TypeHint.CENTS) Integer priceCents,
            Boolean active) {
    }

    private static final String NAME_RULE = "must be 1 to 80 characters";
    private static final String PRICE_RULE = "must be between 1 and 1000000";

    /** A service as administrators see it. */
    public record AdminServiceView(int id, String slug, String name, String activateCode, int priceCents,
            String product, boolean active) {
        static AdminServiceView of(CatalogEntry entry) {
            return new AdminServiceView(entry.id(), entry.slug(), entry.name(), entry.activateCode(),
                    entry.priceCents(), entry.product().code(), entry.active());
        }
    }

    private final CatalogService catalog;

    public AdminServiceResource(CatalogService catalog) {
        this.catalog = catalog;
    }

    @PUT
    @Path("/{id}")
    public Uni<AdminServiceView> update(@RestPath String id,
            @Valid @NotNull(message = "A JSON body is required: \\{name?, price_cents?, active?\\}", payload = BadRequest.class) ServiceUpdate body) {
        int serviceId;
        try {
            serviceId = Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("Unknown service: " + id);
        }
        return catalog.update(serviceId, body.name(), body.priceCents(), body.active()).map(AdminServiceView::of);
    }
}
