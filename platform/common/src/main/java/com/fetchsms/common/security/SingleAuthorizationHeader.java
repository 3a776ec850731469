package com.fetchsms.common.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a request that carries more than one {@code Authorization} header with 400 {@code {"detail": …}}, before
 * any route, authentication or rate limit looks at it: which of the two would authenticate the caller, and which one
 * would the rate limit count? (The gateway refuses the same before it routes.)
 */
@ApplicationScoped
public class SingleAuthorizationHeader {

    public static final String DETAIL = "A request may carry only one Authorization header";

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_BODY_HANDLER + 1).handler(SingleAuthorizationHeader::check);
    }

    static void check(RoutingContext rc) {
        if (rc.request().headers().getAll(HttpHeaders.AUTHORIZATION).size() <= 1) {
            rc.next();
            return;
        }
        rc.response().setStatusCode(400)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(new JsonObject().put("detail", DETAIL).toBuffer());
    }
}
