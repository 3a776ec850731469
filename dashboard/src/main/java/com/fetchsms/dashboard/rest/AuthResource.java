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
import org.jboss.resteasy.reactive.RestQuery;

import com.fetchsms.dashboard.client.ApiError;
import com.fetchsms.dashboard.client.PublicApi;
import com.fetchsms.dashboard.domain.Credentials;
import com.fetchsms.dashboard.domain.FormProblem;
import com.fetchsms.dashboard.domain.Page;
import com.fetchsms.dashboard.domain.SessionToken;
import com.fetchsms.dashboard.service.Pages;
import com.fetchsms.dashboard.service.WebRequest;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * Sign up, sign in, sign out. Signing in keeps the API's session token in an HttpOnly cookie for as long as the
 * session lasts; page scripts never see it. A new account is signed in at once and sent to its wallet to top up.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class AuthResource {

    private static final List<String> FIELDS = List.of("email", "password");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signin(Page page, String email, String next, FormProblem problem);

        static native TemplateInstance signup(Page page, String email, FormProblem problem);
    }

    @Inject
    Pages pages;

    @Inject
    WebRequest web;

    @Inject
    @RestClient
    PublicApi api;

    @GET
    @Path("signin")
    public Uni<TemplateInstance> signinForm(@RestQuery String next) {
        return pages.open("Sign in", "signin")
                .map(page -> Templates.signin(page, "", safeNext(next), FormProblem.NONE));
    }

    @POST
    @Path("signin")
    public Uni<Response> signin(@RestForm String email, @RestForm String password, @RestForm String next) {
        String target = safeNext(next);
        return login(email, password).map(token -> pages.seeOther(target))
                .onFailure(ApiError.class).recoverWithUni(failure -> pages.open("Sign in", "signin")
                        .map(page -> form(failure, Templates.signin(page, nonNull(email), target,
                                Pages.problem((ApiError) failure, FIELDS)))));
    }

    @GET
    @Path("signup")
    public Uni<TemplateInstance> signupForm() {
        return pages.open("Create your account", "signup")
                .map(page -> Templates.signup(page, "", FormProblem.NONE));
    }

    @POST
    @Path("signup")
    public Uni<Response> signup(@RestForm String email, @RestForm String password) {
        return api.signup(new Credentials(nonNull(email), nonNull(password)))
                .flatMap(account -> login(email, password))
                .map(token -> pages.seeOther("/app/wallet?welcome=1"))
                .onFailure(ApiError.class).recoverWithUni(failure -> pages.open("Create your account", "signup")
                        .map(page -> form(failure, Templates.signup(page, nonNull(email),
                                Pages.problem((ApiError) failure, FIELDS)))));
    }

    @POST
    @Path("signout")
    public Uni<Response> signout() {
        String bearer = web.bearer();
        Uni<Void> logout = bearer == null
                ? Uni.createFrom().voidItem()
                : api.logout(bearer).onFailure().recoverWithNull();
        return logout.map(ignored -> {
            web.signOut();
            return pages.seeOther("/app/");
        });
    }

    private Uni<SessionToken> login(String email, String password) {
        return api.login(new Credentials(nonNull(email), nonNull(password))).invoke(token -> {
            long seconds = Math.max(0, Duration.between(Instant.now(), token.expiresAt()).toSeconds());
            web.signIn(token.token(), seconds);
        });
    }

    /** The form again, with the API's refusal next to its field, answered with the refusal's status. */
    static Response form(Throwable failure, TemplateInstance page) {
        return Response.status(((ApiError) failure).status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(page.render()).build();
    }

    /** Where to go after signing in: a dashboard page of this site only, never another host. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/app/") || next.startsWith("/app//") || next.contains("\\")
                || next.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            return "/app/verifications";
        }
        return next;
    }

    static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
