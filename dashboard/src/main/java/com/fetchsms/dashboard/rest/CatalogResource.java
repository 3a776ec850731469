package com.fetchsms.dashboard.rest;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fetchsms.dashboard.client.PublicApi;
import com.fetchsms.dashboard.domain.FormProblem;
import com.fetchsms.dashboard.domain.Page;
import com.fetchsms.dashboard.domain.ServiceListing;
import com.fetchsms.dashboard.service.Pages;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * The first page: every service with its live price and stock, searchable, and — once signed in — the form that buys
 * a verification (a service, and an area code if wanted). Anyone may see it.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class CatalogResource {

    /** The surcharge for choosing an area code, as the API's quote itemises it. */
    public static final int AREA_CODE_SURCHARGE_CENTS = 10;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(Page page, List<ServiceListing> services, String service,
                String areaCode, FormProblem problem, int surchargeCents, String requestId);
    }

    @Inject
    Pages pages;

    @Inject
    @RestClient
    PublicApi api;

    @GET
    public Uni<TemplateInstance> home() {
        return Uni.combine().all().unis(pages.open("Numbers for verification codes", "buy"), api.services())
                .asTuple()
                .map(t -> Templates.home(t.getItem1(), t.getItem2(), "", "", FormProblem.NONE,
                        AREA_CODE_SURCHARGE_CENTS, UUID.randomUUID().toString()));
    }

    /** The page again with a refused purchase explained next to its field. */
    Uni<TemplateInstance> homeWith(String service, String areaCode, FormProblem problem) {
        return Uni.combine().all().unis(pages.signedIn("Numbers for verification codes", "buy"), api.services())
                .asTuple()
                .map(t -> Templates.home(t.getItem1(), t.getItem2(), service, areaCode, problem,
                        AREA_CODE_SURCHARGE_CENTS, UUID.randomUUID().toString()));
    }
}
