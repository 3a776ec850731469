package com.fetchsms.gateway;

import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The public API's OpenAPI documents, one per service: {@code GET /openapi/<service>} fetches the service's own
 * {@code /q/openapi} (JSON) and keeps only the paths the route table sends to that service, so the document describes
 * exactly what is reachable through the gateway (never {@code /internal/…} or {@code /q/…}, even if a service forgot
 * to leave them out). {@code GET /openapi} lists the documents. This is the one explicit exception to "the gateway
 * never forwards to {@code /q}": a fixed GET of one path, never a prefix route.
 */
final class OpenApiDocuments {

    private static final Logger LOG = Logger.getLogger(OpenApiDocuments.class);

    /** The gateway's own path; no service may own a route under it. */
    static final String ROOT = "/openapi";
    static final String UPSTREAM_PATH = "/q/openapi?format=json";

    private final HttpClient client;
    private final RouteTable routes;
    private final Map<String, Upstream> upstreams;
    private final long connectTimeoutMillis;

    OpenApiDocuments(HttpClient client, RouteTable routes, Map<String, Upstream> upstreams, long connectTimeoutMillis) {
        this.client = client;
        this.routes = routes;
        this.upstreams = upstreams;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    /** {@code GET /openapi}: which documents exist, by service. */
    void index(RoutingContext rc) {
        JsonObject documents = new JsonObject();
        upstreams.keySet().stream().filter(this::isPublic).sorted()
                .forEach(name -> documents.put(name, ROOT + "/" + name));
        rc.response().putHeader(HttpHeaders.CONTENT_TYPE, ErrorResponses.JSON)
                .end(new JsonObject().put("documents", documents).toBuffer());
    }

    /** {@code GET /openapi/<service>}: the service's document, reduced to its public routes. */
    void document(RoutingContext rc) {
        String name = rc.pathParam("service");
        Upstream upstream = name == null ? null : upstreams.get(name);
        if (upstream == null || !isPublic(name)) {
            ErrorResponses.send(rc.response(), 404, "Not found");
            return;
        }
        fetch(upstream).onSuccess(document -> {
            if (rc.response().ended() || rc.response().closed()) {
                return;
            }
            rc.response().putHeader(HttpHeaders.CONTENT_TYPE, ErrorResponses.JSON)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                    .end(publicPart(name, document).toBuffer());
        }).onFailure(failure -> {
            ErrorResponses.UpstreamFailure answer = ErrorResponses.classify(name, failure);
            LOG.warnf("GET %s/%s → %s (%s): %d, %s", ROOT, name, name, upstream, answer.status(), failure.toString());
            ErrorResponses.send(rc.response(), answer.status(), answer.detail());
        });
    }

    private Future<JsonObject> fetch(Upstream upstream) {
        return client.request(new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setServer(upstream.address())
                .setHost(upstream.host())
                .setPort(upstream.port())
                .setSsl(upstream.ssl())
                .setURI(UPSTREAM_PATH)
                .putHeader(HttpHeaders.ACCEPT, ErrorResponses.JSON)
                .setConnectTimeout(connectTimeoutMillis)
                .setIdleTimeout(upstream.requestTimeout().toMillis()))
                .compose(request -> request.send())
                .compose(response -> response.body().compose(body -> parse(upstream, response, body)));
    }

    private static Future<JsonObject> parse(Upstream upstream, HttpClientResponse response, Buffer body) {
        if (response.statusCode() != 200) {
            return Future.failedFuture(new IllegalStateException(
                    upstream.name() + " answered " + response.statusCode() + " for its OpenAPI document"));
        }
        try {
            return Future.succeededFuture(body.toJsonObject());
        } catch (RuntimeException e) {
            return Future.failedFuture(new IllegalStateException(upstream.name() + " sent an unreadable document", e));
        }
    }

    /** The document with only the paths that the route table sends to {@code service}. */
    JsonObject publicPart(String service, JsonObject document) {
        JsonObject paths = document.getJsonObject("paths", new JsonObject());
        JsonObject routed = new JsonObject();
        paths.forEach(entry -> {
            Optional<RouteTable.Route> route = routes.resolve(entry.getKey());
            if (route.isPresent() && route.get().service().equals(service)) {
                routed.put(entry.getKey(), entry.getValue());
            }
        });
        return document.copy().put("paths", routed);
    }

    private boolean isPublic(String service) {
        return routes.routes().stream().anyMatch(route -> route.service().equals(service));
    }
}
