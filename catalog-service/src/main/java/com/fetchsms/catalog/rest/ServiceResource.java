package com.fetchsms.catalog.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestQuery;

import com.fetchsms.common.contract.PurchaseMode;
import com.fetchsms.catalog.domain.Quote;
import com.fetchsms.catalog.domain.ServiceAvailability;
import com.fetchsms.catalog.domain.ServiceRef;
import com.fetchsms.catalog.service.CatalogService;
import com.fetchsms.common.json.Params;

import io.smallrye.mutiny.Uni;

/** The public catalog (no authentication): services with live stock, area codes, quotes. */
@Path("/v1/services")
@Produces(MediaType.APPLICATION_JSON)
public class ServiceResource {

    private final CatalogService catalog;

    public ServiceResource(CatalogService catalog) {
        this.catalog = catalog;
    }

    @GET
    public Uni<List<ServiceAvailability>> list() {
        return catalog.list();
    }

    @GET
    @Path("/area-codes")
    public Uni<List<String>> areaCodes(@RestQuery String mode, @RestQuery String service) {
        PurchaseMode parsedMode = PurchaseMode.parse(mode, false, PurchaseMode.SHORT);
        ServiceRef ref = service == null || service.isBlank() ? null : ServiceRef.parse(service);
        return catalog.areaCodes(parsedMode, ref);
    }

    @GET
    @Path("/quote")
    public Uni<Quote> quote(@RestQuery String service, @RestQuery String mode, @RestQuery String days,
            @RestQuery("custom_area_code") String customAreaCode) {
        ServiceRef ref = ServiceRef.parse(Params.required(service, "service"));
        PurchaseMode parsedMode = PurchaseMode.parse(mode, true, null);
        Integer parsedDays = Params.optionalInt(days, "days");
        boolean areaCode = Params.optionalBoolean(customAreaCode, "custom_area_code", false);
        return catalog.quote(ref, parsedMode, parsedDays, areaCode);
    }
}
