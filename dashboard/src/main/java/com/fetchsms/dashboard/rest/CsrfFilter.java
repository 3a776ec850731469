package com.fetchsms.dashboard.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import com.fetchsms.dashboard.domain.Page;
import com.fetchsms.dashboard.service.WebRequest;

/**
 * Every request that changes something (any method but GET, HEAD and OPTIONS) must carry the browser's CSRF token, in
 * the form field {@code _csrf} or the header {@code X-CSRF-Token} (htmx sends it from the page's {@code hx-headers}),
 * and must not come from another site ({@code Sec-Fetch-Site}). Refused: 403, and nothing is done.
 */
public class CsrfFilter {

    public static final String FIELD = "_csrf";
    public static final String HEADER = "X-CSRF-Token";

    @Inject
    WebRequest web;

    @WithFormRead
    @ServerRequestFilter
    public Response check(ResteasyReactiveContainerRequestContext request) {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return null;
        }
        String site = request.getHeaderString("Sec-Fetch-Site");
        if (site != null && site.equals("cross-site")) {
            return refused();
        }
        String token = request.getHeaderString(HEADER);
        if (token == null) {
            Object field = ((ResteasyReactiveRequestContext) request.getServerRequestContext())
                    .getFormParameter(FIELD, true, false);
            token = field == null ? null : field.toString();
        }
        return web.csrfValid(token) ? null : refused();
    }

    private Response refused() {
        Page page = new Page("Form expired", null, null, web.csrfToken());
        return Response.status(403).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(ErrorPages.Templates.error(page, 403, "This form has expired or did not come from the "
                        + "dashboard. Go back, reload the page and try again.").render())
                .build();
    }
}
