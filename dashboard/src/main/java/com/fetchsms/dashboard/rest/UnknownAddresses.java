package com.fetchsms.dashboard.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fetchsms.dashboard.domain.Page;
import com.fetchsms.dashboard.service.WebRequest;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * An address under {@code /app} that no page, asset or route answers: the dashboard's error page with 404 when the
 * client reads HTML (a browser following an old link); any other client gets the server's plain 404 as before.
 */
@ApplicationScoped
public class UnknownAddresses {

    void install(@Observes Router router) {
        router.route().last().handler(rc -> {
            if (rc.response().ended() || !rc.request().path().startsWith(WebRequest.COOKIE_PATH + "/")
                    || !ErrorPages.wantsHtml(rc.request().getHeader(HttpHeaders.ACCEPT))) {
                rc.next();
                return;
            }
            // No session is read here (an unknown address calls no API): the frame of a signed-out page.
            Page page = new Page("Something went wrong", null, null, "");
            rc.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8")
                    .end(ErrorPages.Templates.error(page, 404, "There is no page at this address.").render());
        });
    }
}
