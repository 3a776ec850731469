package com.fetchsms.dashboard.rest;

import java.util.List;
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
import com.fetchsms.dashboard.domain.Report;
import com.fetchsms.dashboard.domain.Verification;
import com.fetchsms.dashboard.domain.VerificationOrder;
import com.fetchsms.dashboard.service.Pages;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * Verifications: buying one, watching its number, countdown and code (the card refreshes itself when the account's
 * event stream says it changed), cancelling, asking for another code, reporting a number that does not work, and the
 * list of active ones and history.
 */
@Path("/verifications")
@Produces(MediaType.TEXT_HTML)
public class VerificationResource {

    private static final List<String> ORDER_FIELDS = List.of("area_code", "service", "max_price_cents");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(Page page, String tab, List<Verification> verifications, String older);

        static native TemplateInstance detail(Page page, Verification verification, FormProblem problem,
                String csrf);

        static native TemplateInstance detail$card(Verification verification, FormProblem problem, String csrf);
    }

    @Inject
    Pages pages;

    @Inject
    CatalogResource catalog;

    @Inject
    DashboardConfig config;

    @Inject
    @RestClient
    PublicApi api;

    @GET
    public Uni<TemplateInstance> list(@RestQuery String tab, @RestQuery String before) {
        String shown = "history".equals(tab) ? "history" : "active";
        String bearer = pages.bearer();
        return Uni.combine().all()
                .unis(pages.signedIn("Verifications", "verifications"),
                        api.verifications(bearer, shown, config.pageSize(), Ids.orNull(before)))
                .asTuple().map(t -> Templates.list(t.getItem1(), shown, t.getItem2(),
                        t.getItem2().size() == config.pageSize()
                                ? t.getItem2().get(t.getItem2().size() - 1).id()
                                : null));
    }

    @POST
    public Uni<Response> buy(@RestForm String service, @RestForm("area_code") String areaCode,
            @RestForm("request_id") String requestId) {
        String bearer = pages.bearer();
        String area = areaCode == null || areaCode.isBlank() ? null : areaCode.trim();
        if (service == null || service.isBlank()) {
            return catalog.homeWith("", area, new FormProblem("service", "Choose a service."))
                    .map(page -> Pages.render(422, page));
        }
        // One purchase per submitted form: a double click or a resent form answers the first purchase again.
        String idempotencyKey = Ids.uuidOr(requestId, UUID.randomUUID().toString());
        return api.buyVerification(bearer, idempotencyKey, new VerificationOrder(service.trim(), area, null))
                .map(v -> pages.seeOther("/app/verifications/" + v.id()))
                .onFailure(ApiError.class).recoverWithUni(Pages.reshow(error -> error.status() == 402
                        ? new FormProblem(null, "Your balance is too low for this number.")
                        : Pages.problem(error, ORDER_FIELDS),
                        problem -> catalog.homeWith(service, area == null ? "" : area, problem)));
    }

    @GET
    @Path("{id}")
    public Uni<TemplateInstance> detail(@RestPath String id) {
        String bearer = pages.bearer();
        return Uni.combine().all()
                .unis(pages.signedIn("Verification", "verifications"), api.verification(bearer, Ids.uuid(id)))
                .asTuple().map(t -> Templates.detail(t.getItem1(), t.getItem2(), FormProblem.NONE,
                        t.getItem1().csrf()));
    }

    /** The card alone: what the page fetches again when the event stream says this verification changed. */
    @GET
    @Path("{id}/card")
    public Uni<TemplateInstance> card(@RestPath String id) {
        String bearer = pages.bearer();
        return api.verification(bearer, Ids.uuid(id))
                .map(v -> Templates.detail$card(v, FormProblem.NONE, pages.csrf()));
    }

    @POST
    @Path("{id}/cancel")
    public Uni<Response> cancel(@RestPath String id) {
        String bearer = pages.bearer();
        return act(id, api.cancelVerification(bearer, Ids.uuid(id)));
    }

    @POST
    @Path("{id}/another-code")
    public Uni<Response> anotherCode(@RestPath String id) {
        String bearer = pages.bearer();
        return act(id, api.anotherCode(bearer, Ids.uuid(id)));
    }

    @POST
    @Path("{id}/report")
    public Uni<Response> report(@RestPath String id, @RestForm String reason) {
        String bearer = pages.bearer();
        return act(id, api.reportVerification(bearer, Ids.uuid(id),
                new Report(reason == null || reason.isBlank() ? null : reason.trim())));
    }

    /** An action on one verification: back to its page, or the page with the refusal in plain words. */
    private Uni<Response> act(String id, Uni<Verification> action) {
        return action.map(v -> pages.seeOther("/app/verifications/" + v.id()))
                .onFailure(ApiError.class).recoverWithUni(Pages.reshow(Pages.naming(List.of()),
                        problem -> Uni.combine().all()
                                .unis(pages.signedIn("Verification", "verifications"),
                                        api.verification(pages.bearer(), id))
                                .asTuple().map(t -> Templates.detail(t.getItem1(), t.getItem2(), problem,
                                        t.getItem1().csrf())),
                        404));
    }
}
