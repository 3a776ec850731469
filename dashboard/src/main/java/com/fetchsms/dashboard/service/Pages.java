package com.fetchsms.dashboard.service;

import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import com.fetchsms.dashboard.client.ApiError;
import com.fetchsms.dashboard.domain.FormProblem;
import com.fetchsms.dashboard.domain.Page;

import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * The frame of every page: who is signed in (one {@code GET /v1/account} with the browser's session, kept a few
 * seconds: {@link AccountCache}), the CSRF token, and where to send a browser after a form. A page that needs a session and has none (or an expired one) ends in
 * {@link SignInRequired}, which sends the browser to the sign-in page.
 */
@ApplicationScoped
public class Pages {

    @Inject
    WebRequest web;

    @Inject
    AccountCache accounts;

    /** The frame of a page anyone may see: the account when a valid session comes with the request. */
    public Uni<Page> open(String title, String nav) {
        String bearer = web.bearer();
        String csrf = web.csrfToken();
        if (bearer == null) {
            return Uni.createFrom().item(new Page(title, nav, null, csrf));
        }
        return accounts.of(bearer).map(account -> new Page(title, nav, account, csrf))
                .onFailure(ApiError.class).recoverWithUni(failure -> {
                    if (((ApiError) failure).status() == 401) {
                        web.signOut();
                        return Uni.createFrom().item(new Page(title, nav, null, csrf));
                    }
                    return Uni.createFrom().failure(failure);
                });
    }

    /** The frame of a page for signed-in customers only. */
    public Uni<Page> signedIn(String title, String nav) {
        String bearer = web.bearer();
        if (bearer == null) {
            return Uni.createFrom().failure(new SignInRequired());
        }
        String csrf = web.csrfToken();
        return accounts.of(bearer).map(account -> new Page(title, nav, account, csrf));
    }

    /**
     * The frame of an operators' page: a signed-in administrator, else 403. {@code nav} names its entry of the
     * operators' menu, {@code admin-<section>} ({@code admin-numbers}, …).
     */
    public Uni<Page> admin(String title, String nav) {
        return signedIn(title, nav).invoke(page -> {
            if (!page.admin()) {
                throw new ApiError(403, "This page is for operators: sign in with an administrator's account.");
            }
        });
    }

    /** The frame of a page drawn with a session just issued (the cookie's old one no longer works). */
    public Uni<Page> signedInWith(String bearer, String title, String nav) {
        String csrf = web.csrfToken();
        return accounts.of(bearer).map(account -> new Page(title, nav, account, csrf));
    }

    /** The signed-in browser's {@code Authorization} value; {@link SignInRequired} when there is none. */
    public String bearer() {
        String bearer = web.bearer();
        if (bearer == null) {
            throw new SignInRequired();
        }
        return bearer;
    }

    /** The CSRF token of the current browser (for fragments rendered without a frame). */
    public String csrf() {
        return web.csrfToken();
    }

    /** After a form: go to {@code path} (a GET), as a whole page. */
    public Response seeOther(String path) {
        if (web.htmx()) {
            return Response.noContent().header("HX-Redirect", path).build();
        }
        // The address as given (absolute path of this site): JAX-RS would resolve a relative URI against the
        // dashboard's own host and root path, not the address the browser used through the gateway.
        return Response.status(Response.Status.SEE_OTHER).header("Location", path).build();
    }

    /** The API's refusal as a problem of the form, attached to the first of {@code fields} it names. */
    public static FormProblem problem(ApiError error, List<String> fields) {
        return new FormProblem(error.field(fields), error.detail());
    }

    /** How a refusal is told on a form: attached to the first of {@code fields} that its detail names. */
    public static Function<ApiError, FormProblem> naming(List<String> fields) {
        return error -> problem(error, fields);
    }

    /** A page drawn as the answer to a form, with {@code status}. */
    public static Response render(int status, TemplateInstance page) {
        return Response.status(status).entity(page.render()).build();
    }

    /**
     * What a form does when the API refuses it ({@code .onFailure(ApiError.class).recoverWithUni(…)}): the form's page
     * again, drawn by {@code page} with the refusal as {@code problem} tells it (next to the field it names), answered
     * with the API's status. A 401 (the session ended) and the statuses in {@code errorPages} (say, 404: the thing the
     * form acts on is gone) are not the form's problem: they go on to the error pages ({@code ErrorPages}).
     */
    public static Function<ApiError, Uni<? extends Response>> reshow(Function<ApiError, FormProblem> problem,
            Function<FormProblem, Uni<TemplateInstance>> page, int... errorPages) {
        return error -> {
            if (error.status() == 401 || IntStream.of(errorPages).anyMatch(status -> status == error.status())) {
                return Uni.createFrom().failure(error);
            }
            return page.apply(problem.apply(error)).map(drawn -> render(error.status(), drawn));
        };
    }

    /** The browser must sign in (again) before it can see the page. */
    public static class SignInRequired extends RuntimeException {

        public SignInRequired() {
            super("Sign in required", null, false, false);
        }
    }
}
