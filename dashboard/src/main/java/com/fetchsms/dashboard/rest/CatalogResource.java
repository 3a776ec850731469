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
import com.fetchsms.dashboard.service.Surcharges;

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

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(Page page, List<ServiceListing> services, String service,
                String areaCode, FormProblem problem, Integer surchargeCents, String requestId);
    }

    @Inject
    Pages pages;

    @Inject
    @RestClient
    PublicApi api;

    @Inject
    Surcharges surcharges;

    @GET
    public Uni<TemplateInstance> home() {
        return page(pages.open("Numbers for verification codes", "buy"), "", "", FormProblem.NONE);
    }

    /** The page again with a refused purchase explained next to its field. */
    Uni<TemplateInstance> homeWith(String service, String areaCode, FormProblem problem) {
        return page(pages.signedIn("Numbers for verification codes", "buy"), service, areaCode, problem);
    }

    /** The services, and the area-code surcharge as the catalog quotes it for the first one sold per code. */
    private Uni<TemplateInstance> page(Uni<Page> frame, String service, String areaCode, FormProblem problem) {
        Uni<List<ServiceListing>> listed = api.services().memoize().indefinitely();
        Uni<Integer> surcharge = listed.flatMap(services -> surcharges.areaCode(
                services.stream().filter(s -> !s.rental()).findFirst().orElse(null), null));
        return Uni.combine().all().unis(frame, listed, surcharge).asTuple()
                .map(t -> Templates.home(t.getItem1(), t.getItem2(), service, areaCode, problem, t.getItem3(),
                        UUID.randomUUID().toString()));
    }
}
