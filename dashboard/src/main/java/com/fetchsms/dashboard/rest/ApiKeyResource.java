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
import com.fetchsms.dashboard.domain.ApiKey;
import com.fetchsms.dashboard.domain.FormProblem;
import com.fetchsms.dashboard.domain.IssuedApiKey;
import com.fetchsms.dashboard.domain.NewApiKey;
import com.fetchsms.dashboard.domain.Page;
import com.fetchsms.dashboard.service.Pages;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * API keys: the list (name, mode, prefix, last used, revoked), a new key — its secret shown once, on the answer to the
 * form that made it, never in an address or again — and revoking one.
 */
@Path("/api-keys")
@Produces(MediaType.TEXT_HTML)
public class ApiKeyResource {

    private static final List<String> FIELDS = List.of("name", "mode");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance keys(Page page, List<ApiKey> keys, IssuedApiKey issued, String name,
                FormProblem problem);
    }

    @Inject
    Pages pages;

    @Inject
    @RestClient
    PublicApi api;

    @GET
    public Uni<TemplateInstance> keys() {
        return page(null, "", FormProblem.NONE);
    }

    @POST
    public Uni<Response> create(@RestForm String name, @RestForm String mode) {
        String bearer = pages.bearer();
        String chosen = "test".equals(mode) ? "test" : "live";
        return api.createApiKey(bearer, new NewApiKey(name == null ? "" : name.trim(), chosen))
                .flatMap(issued -> page(issued, "", FormProblem.NONE))
                .map(page -> Pages.render(201, page))
                .onFailure(ApiError.class)
                .recoverWithUni(Pages.reshow(Pages.naming(FIELDS), problem -> page(null, name, problem)));
    }

    @POST
    @Path("{id}/revoke")
    public Uni<Response> revoke(@RestPath String id) {
        String bearer = pages.bearer();
        return api.revokeApiKey(bearer, Ids.uuid(id)).map(ignored -> pages.seeOther("/app/api-keys"));
    }

    private Uni<TemplateInstance> page(IssuedApiKey issued, String name, FormProblem problem) {
        String bearer = pages.bearer();
        return Uni.combine().all().unis(pages.signedIn("API keys", "api-keys"), api.apiKeys(bearer)).asTuple()
                .map(t -> Templates.keys(t.getItem1(), t.getItem2(), issued, name == null ? "" : name, problem));
    }
}
