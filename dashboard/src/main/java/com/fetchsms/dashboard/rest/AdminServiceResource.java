package com.fetchsms.dashboard.rest;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

import com.fetchsms.dashboard.client.ApiError;
import com.fetchsms.dashboard.client.PublicApi;
import com.fetchsms.dashboard.domain.FormProblem;
import com.fetchsms.dashboard.domain.Page;
import com.fetchsms.dashboard.domain.ServiceChange;
import com.fetchsms.dashboard.domain.ServiceListing;
import com.fetchsms.dashboard.service.Pages;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/** Operators: the services on sale, their names and prices, and taking one off sale. */
@Path("/admin/services")
@Produces(MediaType.TEXT_HTML)
public class AdminServiceResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance services(Page page, List<ServiceListing> services, String notice,
                FormProblem problem);
    }

    @Inject
    Pages pages;

    @Inject
    @RestClient
    PublicApi api;

    @GET
    public Uni<TemplateInstance> services() {
        return page(null, FormProblem.NONE);
    }

    @POST
    @Path("{id}")
    public Uni<Response> change(@RestPath int id, @RestForm String name, @RestForm String price,
            @RestForm String active) {
        Long cents = WalletResource.cents(price);
        if (price != null && !price.isBlank() && cents == null) {
            return page(null, new FormProblem("price_cents", "Write the price in dollars, e.g. 0.70."))
                    .map(page -> Pages.render(422, page));
        }
        ServiceChange change = new ServiceChange(name == null || name.isBlank() ? null : name.trim(),
                cents == null ? null : Math.toIntExact(cents), active == null ? null : "true".equals(active));
        return api.changeService(pages.bearer(), id, change)
                .flatMap(ignored -> page(change.active() == Boolean.FALSE
                        ? "The service is off sale: it no longer appears in the catalog."
                        : "Saved.", FormProblem.NONE))
                .map(page -> Pages.render(200, page))
                .onFailure(ApiError.class).recoverWithUni(Pages.reshow(
                        Pages.naming(List.of("name", "price_cents", "active")), problem -> page(null, problem), 403));
    }

    private Uni<TemplateInstance> page(String notice, FormProblem problem) {
        return Uni.combine().all().unis(pages.admin("Services and prices", "admin-services"), api.services()).asTuple()
                .map(t -> Templates.services(t.getItem1(), t.getItem2(), notice, problem));
    }
}
