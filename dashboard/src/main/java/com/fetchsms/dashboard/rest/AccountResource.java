package com.fetchsms.dashboard.rest;

import java.time.Duration;
import java.time.Instant;
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

import com.fetchsms.dashboard.client.ApiError;
import com.fetchsms.dashboard.client.PublicApi;
import com.fetchsms.dashboard.domain.FormProblem;
import com.fetchsms.dashboard.domain.Page;
import com.fetchsms.dashboard.domain.PasswordChange;
import com.fetchsms.dashboard.service.Pages;
import com.fetchsms.dashboard.service.WebRequest;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * Account settings: the password (changing it signs out every other session; this browser gets the new session) and
 * signing out everywhere.
 */
@Path("/account")
@Produces(MediaType.TEXT_HTML)
public class AccountResource {

    private static final List<String> FIELDS = List.of("current_password", "new_password");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance account(Page page, boolean changed, FormProblem problem);
    }

    @Inject
    Pages pages;

    @Inject
    WebRequest web;

    @Inject
    @RestClient
    PublicApi api;

    @GET
    public Uni<TemplateInstance> account() {
        return pages.signedIn("Account", "account").map(page -> Templates.account(page, false, FormProblem.NONE));
    }

    @POST
    @Path("password")
    public Uni<Response> changePassword(@RestForm("current_password") String current,
            @RestForm("new_password") String next) {
        String bearer = pages.bearer();
        return api.changePassword(bearer, new PasswordChange(current == null ? "" : current, next == null ? "" : next))
                .flatMap(session -> {
                    web.signIn(session.token(),
                            Math.max(0, Duration.between(Instant.now(), session.expiresAt()).toSeconds()));
                    // The page is drawn with the new session: the old one is already signed out.
                    return pages.signedInWith("Bearer " + session.token(), "Account", "account");
                })
                .map(page -> Response.ok(Templates.account(page, true, FormProblem.NONE).render()).build())
                .onFailure(ApiError.class).recoverWithUni(Pages.reshow(error -> error.status() == 403
                        ? new FormProblem("current_password", "Your current password is not right.")
                        : Pages.problem(error, FIELDS),
                        problem -> pages.signedIn("Account", "account")
                                .map(page -> Templates.account(page, false, problem))));
    }

    @POST
    @Path("sign-out-everywhere")
    public Uni<Response> signOutEverywhere() {
        return api.logoutAll(pages.bearer()).map(ignored -> {
            web.signOut();
            return pages.seeOther("/app/signin");
        });
    }
}
