package com.fetchsms.dashboard.rest;

import java.net.ConnectException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fetchsms.dashboard.client.ApiError;
import com.fetchsms.dashboard.domain.Page;
import com.fetchsms.dashboard.service.Pages.SignInRequired;
import com.fetchsms.dashboard.service.WebRequest;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpClosedException;

/**
 * What a page shows when it cannot be shown: the sign-in page when the browser has no valid session (its address is
 * kept, to come back to), else a page that says in plain words what went wrong, with the API's status.
 */
public class ErrorPages {

    private static final Logger LOG = Logger.getLogger(ErrorPages.class);

    @CheckedTemplate(basePath = "")
    public static class Templates {
        public static native TemplateInstance error(Page page, int status, String message);
    }

    @Inject
    WebRequest web;

    @Inject
    AllowedMethods allowed;

    @ServerExceptionMapper
    public Response signInRequired(SignInRequired required, UriInfo uri, Request request) {
        return toSignIn(uri, request);
    }

    @ServerExceptionMapper
    public Response refused(ApiError error, UriInfo uri, Request request) {
        if (error.status() == 401) {
            web.signOut();
            return toSignIn(uri, request);
        }
        int status = error.status() >= 500 ? 502 : error.status();
        String message = error.status() >= 500
                ? "The platform could not answer just now (" + error.detail()
                        + "). Try again in a moment."
                : error.detail();
        return page(status, message);
    }

    /**
     * A method the address does not take (a GET on a form's address, say): 405 with {@code Allow}, as the error page
     * when the client reads HTML, else with no body (as before).
     */
    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException refused, UriInfo uri, HttpHeaders headers) {
        String allow = String.join(", ", allowed.at(uri.getPath()));
        if (!wantsHtml(headers.getHeaderString(HttpHeaders.ACCEPT))) {
            return Response.status(405).header(HttpHeaders.ALLOW, allow).build();
        }
        return Response.fromResponse(page(405, "This address does not take that request"
                + (allow.contains("GET") ? "." : ": it is where a form is sent. Open the page the form is on.")))
                .header(
                        HttpHeaders.ALLOW, allow)
                .build();
    }

    /** Whether a client's {@code Accept} asks for HTML (a browser's does). */
    static boolean wantsHtml(String accept) {
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/html");
    }

    /** The gateway could not be reached, or dropped the connection: the REST client's own failures. */
    @ServerExceptionMapper({ProcessingException.class, ConnectException.class, HttpClosedException.class})
    public Response unreachable(Exception failure) {
        LOG.warnf("The public API could not be reached: %s", failure.getMessage());
        return page(503, "The platform cannot be reached just now. Try again in a moment.");
    }

    /**
     * To the sign-in page, and back afterwards: to this page when it was a GET, else (a form's POST, which cannot be
     * opened again) to the page the browser was on when htmx says which, or the default page.
     */
    private Response toSignIn(UriInfo uri, Request request) {
        String back = null;
        if (request.getMethod().equals("GET") && !web.htmx()) {
            String path = uri.getRequestUri().getRawPath();
            String query = uri.getRequestUri().getRawQuery();
            back = query == null ? path : path + "?" + query;
        } else if (web.htmxCurrentPath() != null) {
            back = web.htmxCurrentPath();
        }
        String target = "/app/signin" + (back == null
                ? ""
                : "?next=" + URLEncoder.encode(AuthResource.safeNext(back), StandardCharsets.UTF_8));
        if (web.htmx()) {
            return Response.noContent().header("HX-Redirect", target).build();
        }
        return Response.status(Response.Status.SEE_OTHER).header("Location", target).build();
    }

    private Response page(int status, String message) {
        Page page = new Page("Something went wrong", null, null, web.csrfToken());
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.error(page, status, message).render()).build();
    }
}
