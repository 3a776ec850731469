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
import com.fetchsms.dashboard.service.Surcharges;

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
                ServiceListing product, Map<Integer, Integer> terms, int days, String areaCode,
                Integer surchargeCents, String requestId, FormProblem problem);

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

    @Inject
    Surcharges surcharges;

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
                    .map(page -> Pages.render(422, page));
        }
        String idempotencyKey = Ids.uuidOr(requestId, UUID.randomUUID().toString());
        return product().flatMap(product -> api.rent(bearer, idempotencyKey,
                new RentalOrder(product == null ? "unlimited-services" : product.slug(), term, area)))
                .map(rental -> pages.seeOther("/app/rentals/" + rental.id()))
                .onFailure(ApiError.class).recoverWithUni(Pages.reshow(error -> error.status() == 402
                        ? new FormProblem(null, "Your balance is too low for this term.")
                        : Pages.problem(error, ORDER_FIELDS),
                        problem -> page(null, null, term, area == null ? "" : area, problem)));
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
                .onFailure(ApiError.class).recoverWithUni(Pages.reshow(Pages.naming(List.of()),
                        problem -> Uni.combine().all()
                                .unis(pages.signedIn("Rental", "rentals"), api.rental(pages.bearer(), id),
                                        api.rentalMessages(pages.bearer(), id, 200))
                                .asTuple().map(t -> Templates.rental(t.getItem1(), t.getItem2(), t.getItem3(),
                                        problem, t.getItem1().csrf())),
                        404));
    }

    private Uni<TemplateInstance> page(String tab, String before, int days, String areaCode, FormProblem problem) {
        String shown = "history".equals(tab) ? "history" : "active";
        String bearer = pages.bearer();
        int size = config.pageSize();
        Uni<ServiceListing> offered = product().memoize().indefinitely();
        // The surcharge is the catalog's, as its quote of the shortest term itemises it.
        Uni<Integer> surcharge = offered.flatMap(product -> surcharges.areaCode(product, product == null
                ? null
                : product.longPrices().keySet().stream().map(Integer::valueOf).sorted().findFirst().orElse(null)));
        return Uni.combine().all()
                .unis(pages.signedIn("Rentals", "rentals"),
                        api.rentals(bearer, shown, size, Ids.orNull(before)), offered, surcharge)
                .asTuple().map(t -> {
                    ServiceListing product = t.getItem3();
                    Map<Integer, Integer> terms = new TreeMap<>();
                    if (product != null) {
                        product.longPrices().forEach((term, price) -> terms.put(Integer.valueOf(term), price));
                    }
                    List<Rental> rentals = t.getItem2();
                    return Templates.rentals(t.getItem1(), shown, rentals,
                            rentals.size() == size ? rentals.get(size - 1).id() : null, product, terms, days,
                            areaCode == null ? "" : areaCode, t.getItem4(), UUID.randomUUID().toString(), problem);
                });
    }

    /** The catalog's rental product (priced per term), or {@code null} when the catalog offers none. */
    private Uni<ServiceListing> product() {
        return api.services().map(services -> services.stream().filter(ServiceListing::rental).findFirst()
                .orElse(null));
    }
}
