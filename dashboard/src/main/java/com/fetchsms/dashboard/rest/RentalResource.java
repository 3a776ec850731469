package com.fetchsms.dashboard.rest;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

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
import org.jboss.resteasy.reactive.RestQuery;

import com.fetchsms.dashboard.client.ApiError;
import com.fetchsms.dashboard.client.PublicApi;
import com.fetchsms.dashboard.config.DashboardConfig;
import com.fetchsms.dashboard.domain.FormProblem;
import com.fetchsms.dashboard.domain.Page;
import com.fetchsms.dashboard.domain.Rental;
import com.fetchsms.dashboard.domain.RentalMessage;
import com.fetchsms.dashboard.domain.RentalOrder;
import com.fetchsms.dashboard.domain.Report;
import com.fetchsms.dashboard.domain.ServiceListing;
import com.fetchsms.dashboard.service.Pages;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * Rentals: renting a number for a term (with its price per term and an area code if wanted), the rentals active and
 * past, and one rental with every message of its term — the list grows by itself as SMS arrive — and cancelling or
 * reporting it while it has received nothing.
 */
@Path("/rentals")
@Produces(MediaType.TEXT_HTML)
public class RentalResource {

    private static final List<String> ORDER_FIELDS = List.of("days", "area_code", "service");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance rentals(Page page, String tab, List<Rental> rentals, String older,
                ServiceListing product, Map<Integer, Integer> terms, int days, String areaCode, String requestId,
                FormProblem problem);

        static native TemplateInstance rental(Page page, Rental rental, List<RentalMessage> messages,
                FormProblem problem, String csrf);

        static native TemplateInstance rental$live(Rental rental, List<RentalMessage> messages, FormProblem problem,
                String csrf);
    }

    @Inject
    Pages pages;

    @Inject
    DashboardConfig config;

    @Inject
    @RestClient
    PublicApi api;

    @GET
    public Uni<TemplateInstance> list(@RestQuery String tab, @RestQuery String before) {
        return page(tab, before, 7, "", FormProblem.NONE);
    }

    @POST
    public Uni<Response> rent(@RestForm String days, @RestForm("area_code") String areaCode,
            @RestForm("request_id") String requestId) {
        String bearer = pages.bearer();
        String area = areaCode == null || areaCode.isBlank() ? null : areaCode.trim();
        int term;
        try {
            term = Integer.parseInt(days == null ? "" : days.trim());
        } catch (NumberFormatException e) {
            return page(null, null, 0, area, new FormProblem("days", "Choose how long to keep the number."))
                    .map(page -> Response.status(422).entity(page.render()).build());
        }
        String idempotencyKey = Ids.uuidOr(requestId, UUID.randomUUID().toString());
        return product().flatMap(product -> api.rent(bearer, idempotencyKey,
                new RentalOrder(product == null ? "unlimited-services" : product.slug(), term, area)))
                .map(rental -> pages.seeOther("/app/rentals/" + rental.id()))
                .onFailure(ApiError.class).recoverWithUni(failure -> {
                    ApiError error = (ApiError) failure;
                    if (error.status() == 401) {
                        return Uni.createFrom().failure(failure);
                    }
                    FormProblem problem = error.status() == 402
                            ? new FormProblem(null, "Your balance is too low for this term.")
                            : Pages.problem(error, ORDER_FIELDS);
                    return page(null, null, term, area == null ? "" : area, problem)
                            .map(page -> Response.status(error.status()).entity(page.render()).build());
                });
    }

    @GET
    @Path("{id}")
    public Uni<TemplateInstance> rental(@RestPath String id) {
        String bearer = pages.bearer();
        String rentalId = Ids.uuid(id);
        return Uni.combine().all()
                .unis(pages.signedIn("Rental", "rentals"), api.rental(bearer, rentalId),
                        api.rentalMessages(bearer, rentalId, 200))
                .asTuple().map(t -> Templates.rental(t.getItem1(), t.getItem2(), t.getItem3(), FormProblem.NONE,
                        t.getItem1().csrf()));
    }

    /** The rental's status and messages alone: fetched again when the event stream says it changed. */
    @GET
    @Path("{id}/live")
    public Uni<TemplateInstance> live(@RestPath String id) {
        String bearer = pages.bearer();
        String rentalId = Ids.uuid(id);
        return Uni.combine().all().unis(api.rental(bearer, rentalId), api.rentalMessages(bearer, rentalId, 200))
                .asTuple()
                .map(t -> Templates.rental$live(t.getItem1(), t.getItem2(), FormProblem.NONE, pages.csrf()));
    }

    @POST
    @Path("{id}/cancel")
    public Uni<Response> cancel(@RestPath String id) {
        String bearer = pages.bearer();
        return act(Ids.uuid(id), api.cancelRental(bearer, Ids.uuid(id)));
    }

    @POST
    @Path("{id}/report")
    public Uni<Response> report(@RestPath String id, @RestForm String reason) {
        String bearer = pages.bearer();
        return act(Ids.uuid(id), api.reportRental(bearer, Ids.uuid(id),
                new Report(reason == null || reason.isBlank() ? null : reason.trim())));
    }

    private Uni<Response> act(String id, Uni<Rental> action) {
        return action.map(r -> pages.seeOther("/app/rentals/" + r.id()))
                .onFailure(ApiError.class).recoverWithUni(failure -> {
                    ApiError error = (ApiError) failure;
                    if (error.status() == 401 || error.status() == 404) {
                        return Uni.createFrom().failure(failure);
                    }
                    String bearer = pages.bearer();
                    return Uni.combine().all()
                            .unis(pages.signedIn("Rental", "rentals"), api.rental(bearer, id),
                                    api.rentalMessages(bearer, id, 200))
                            .asTuple().map(t -> Response.status(error.status())
                                    .entity(Templates.rental(t.getItem1(), t.getItem2(), t.getItem3(),
                                            new FormProblem(null, error.detail()), t.getItem1().csrf()).render())
                                    .build());
                });
    }

    private Uni<TemplateInstance> page(String tab, String before, int days, String areaCode, FormProblem problem) {
        String shown = "history".equals(tab) ? "history" : "active";
        String bearer = pages.bearer();
        int size = config.pageSize();
        return Uni.combine().all()
                .unis(pages.signedIn("Rentals", "rentals"),
                        api.rentals(bearer, shown, size, Ids.orNull(before)), product())
                .asTuple().map(t -> {
                    ServiceListing product = t.getItem3();
                    Map<Integer, Integer> terms = new TreeMap<>();
                    if (product != null) {
                        product.longPrices().forEach((term, price) -> terms.put(Integer.valueOf(term), price));
                    }
                    List<Rental> rentals = t.getItem2();
                    return Templates.rentals(t.getItem1(), shown, rentals,
                            rentals.size() == size ? rentals.get(size - 1).id() : null, product, terms, days,
                            areaCode == null ? "" : areaCode, UUID.randomUUID().toString(), problem);
                });
    }

    /** The catalog's rental product (priced per term), or {@code null} when the catalog offers none. */
    private Uni<ServiceListing> product() {
        return api.services().map(services -> services.stream().filter(ServiceListing::rental).findFirst()
                .orElse(null));
    }
}
