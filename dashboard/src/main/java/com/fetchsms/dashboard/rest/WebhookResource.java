package com.fetchsms.dashboard.rest;

import java.util.List;
import java.util.function.Function;

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
import com.fetchsms.dashboard.domain.IssuedWebhook;
import com.fetchsms.dashboard.domain.NewWebhook;
import com.fetchsms.dashboard.domain.Page;
import com.fetchsms.dashboard.domain.RotatedSecret;
import com.fetchsms.dashboard.domain.WebhookDelivery;
import com.fetchsms.dashboard.domain.WebhookEndpoint;
import com.fetchsms.dashboard.service.Pages;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * Webhook endpoints: adding one (its signing secret shown once), the delivery log of each with status and the
 * endpoint's answer, a signed test ping, a retry of a delivery, rotating the secret (the new one shown once) and
 * removing an endpoint.
 */
@Path("/webhooks")
@Produces(MediaType.TEXT_HTML)
public class WebhookResource {

    /** The events an endpoint can subscribe to, as the API names them. */
    public static final List<String> EVENTS = List.of("sms.received", "rental.expired");

    private static final List<String> FIELDS = List.of("url", "events");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance webhooks(Page page, List<WebhookEndpoint> endpoints, IssuedWebhook added,
                String url, List<String> events, FormProblem problem);

        static native TemplateInstance endpoint(Page page, WebhookEndpoint endpoint,
                List<WebhookDelivery> deliveries, RotatedSecret rotated, String notice, FormProblem problem);
    }

    @Inject
    Pages pages;

    @Inject
    @RestClient
    PublicApi api;

    @GET
    public Uni<TemplateInstance> webhooks() {
        return list(null, "", FormProblem.NONE);
    }

    @POST
    public Uni<Response> add(@RestForm String url, @RestForm("events") List<String> events) {
        String bearer = pages.bearer();
        List<String> chosen = events == null || events.isEmpty()
                ? EVENTS
                : events.stream().filter(EVENTS::contains).distinct().toList();
        return api.addWebhook(bearer, new NewWebhook(url == null ? "" : url.trim(), chosen))
                .flatMap(added -> list(added, "", FormProblem.NONE))
                .map(page -> Pages.render(201, page))
                .onFailure(ApiError.class)
                .recoverWithUni(Pages.reshow(Pages.naming(FIELDS), problem -> list(null, url, problem)));
    }

    @GET
    @Path("{id}")
    public Uni<TemplateInstance> endpoint(@RestPath String id) {
        return endpointPage(Ids.uuid(id), null, null, FormProblem.NONE);
    }

    @POST
    @Path("{id}/test")
    public Uni<Response> test(@RestPath String id) {
        String endpoint = Ids.uuid(id);
        return api.testWebhook(pages.bearer(), endpoint)
                .flatMap(ignored -> endpointPage(endpoint, null, "A signed ping is on its way: it shows in the "
                        + "log below.", FormProblem.NONE))
                .map(page -> Response.accepted(page.render()).build())
                .onFailure(ApiError.class).recoverWithUni(refused(endpoint));
    }

    @POST
    @Path("{id}/rotate-secret")
    public Uni<Response> rotate(@RestPath String id) {
        String endpoint = Ids.uuid(id);
        return api.rotateWebhookSecret(pages.bearer(), endpoint)
                .flatMap(rotated -> endpointPage(endpoint, rotated, null, FormProblem.NONE))
                .map(page -> Pages.render(200, page))
                .onFailure(ApiError.class).recoverWithUni(refused(endpoint));
    }

    @POST
    @Path("{id}/deliveries/{delivery}/retry")
    public Uni<Response> retry(@RestPath String id, @RestPath String delivery) {
        String endpoint = Ids.uuid(id);
        return api.retryDelivery(pages.bearer(), Ids.uuid(delivery))
                .flatMap(ignored -> endpointPage(endpoint, null, "The delivery is being sent again.",
                        FormProblem.NONE))
                .map(page -> Response.accepted(page.render()).build())
                .onFailure(ApiError.class).recoverWithUni(refused(endpoint));
    }

    @POST
    @Path("{id}/remove")
    public Uni<Response> remove(@RestPath String id) {
        return api.removeWebhook(pages.bearer(), Ids.uuid(id)).map(ignored -> pages.seeOther("/app/webhooks"));
    }

    /** An action on the endpoint refused: its page with the refusal in plain words (gone: the error page). */
    private Function<ApiError, Uni<? extends Response>> refused(String endpoint) {
        return Pages.reshow(Pages.naming(List.of()), problem -> endpointPage(endpoint, null, null, problem), 404);
    }

    private Uni<TemplateInstance> list(IssuedWebhook added, String url, FormProblem problem) {
        String bearer = pages.bearer();
        return Uni.combine().all().unis(pages.signedIn("Webhooks", "webhooks"), api.webhooks(bearer)).asTuple()
                .map(t -> Templates.webhooks(t.getItem1(), t.getItem2(), added, url == null ? "" : url, EVENTS,
                        problem));
    }

    private Uni<TemplateInstance> endpointPage(String id, RotatedSecret rotated, String notice,
            FormProblem problem) {
        String bearer = pages.bearer();
        return Uni.combine().all()
                .unis(pages.signedIn("Webhook endpoint", "webhooks"), api.webhooks(bearer),
                        api.webhookDeliveries(bearer, id))
                .asTuple().map(t -> {
                    WebhookEndpoint endpoint = t.getItem2().stream().filter(e -> e.id().equals(id)).findFirst()
                            .orElseThrow(() -> new ApiError(404, "Not found"));
                    return Templates.endpoint(t.getItem1(), endpoint, t.getItem3(), rotated, notice, problem);
                });
    }
}
