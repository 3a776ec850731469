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
import com.fetchsms.dashboard.domain.GatewayCredentials;
import com.fetchsms.dashboard.domain.GatewayMessage;
import com.fetchsms.dashboard.domain.GatewayName;
import com.fetchsms.dashboard.domain.ModemGateway;
import com.fetchsms.dashboard.domain.Page;
import com.fetchsms.dashboard.service.Pages;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * Operators: modem gateways — registering one (its token and signing key shown once), rotating its credentials,
 * when each was last seen and how much it reports, and a gateway's latest messages with what detection made of them.
 */
@Path("/admin/gateways")
@Produces(MediaType.TEXT_HTML)
public class AdminGatewayResource {

    private static final List<String> FIELDS = List.of("name");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance gateways(Page page, List<ModemGateway> gateways,
                GatewayCredentials credentials, String name, FormProblem problem);

        static native TemplateInstance messages(Page page, ModemGateway gateway, List<GatewayMessage> messages);
    }

    @Inject
    Pages pages;

    @Inject
    @RestClient
    PublicApi api;

    @GET
    public Uni<TemplateInstance> gateways() {
        return page(null, "", FormProblem.NONE);
    }

    @POST
    public Uni<Response> register(@RestForm String name) {
        return api.registerGateway(pages.bearer(), new GatewayName(name == null ? "" : name.trim()))
                .flatMap(credentials -> page(credentials, "", FormProblem.NONE))
                .map(page -> Pages.render(201, page))
                .onFailure(ApiError.class).recoverWithUni(
                        Pages.reshow(Pages.naming(FIELDS), problem -> page(null, name, problem), 403));
    }

    @POST
    @Path("{id}/rotate")
    public Uni<Response> rotate(@RestPath String id) {
        return api.rotateGateway(pages.bearer(), Ids.uuid(id))
                .flatMap(credentials -> page(credentials, "", FormProblem.NONE))
                .map(page -> Pages.render(200, page));
    }

    @GET
    @Path("{id}")
    public Uni<TemplateInstance> messages(@RestPath String id) {
        String bearer = pages.bearer();
        String gatewayId = Ids.uuid(id);
        return Uni.combine().all()
                .unis(pages.admin("Modem gateway", "admin-gateways"), api.gateways(bearer),
                        api.gatewayMessages(bearer, gatewayId, 100))
                .asTuple().map(t -> Templates.messages(t.getItem1(), t.getItem2().stream()
                        .filter(g -> g.id().equals(gatewayId)).findFirst()
                        .orElseThrow(() -> new ApiError(404, "Not found")), t.getItem3()));
    }

    private Uni<TemplateInstance> page(GatewayCredentials credentials, String name, FormProblem problem) {
        String bearer = pages.bearer();
        return Uni.combine().all().unis(pages.admin("Modem gateways", "admin-gateways"), api.gateways(bearer)).asTuple()
                .map(t -> Templates.gateways(t.getItem1(), t.getItem2(), credentials, name == null ? "" : name,
                        problem));
    }
}
