package com.fetchsms.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The public API's OpenAPI documents. {@code GET /openapi.json} (and {@code /openapi.yaml}) is the one document of the
 * whole public API, merged from every routed service's document ({@link OpenApiMerger}); {@code GET /docs} renders it
 * for people ({@link DocsPage}). Each service's own document is at {@code GET /openapi/<service>}: the service's
 * {@code /q/openapi} (JSON) with only the paths the route table sends to that service, so a document describes
 * exactly what is reachable through the gateway (never {@code /internal/…} or {@code /q/…}, even if a service forgot
 * to leave them out). {@code GET /openapi} lists them. This is the one explicit exception to "the gateway never
 * forwards to {@code /q}": a fixed GET of one path, never a prefix route. A service configured without a document
 * ({@code api-document=false}: the dashboard, whose routes are HTML pages) is in none of these and is never asked for
 * one.
 *
 * <p>
 * The merged document is built from the live services' documents and kept for {@code fetchsms.gateway.openapi-cache}
 * (concurrent requests share one build). If any routed service cannot give its document, the answer is that
 * service's 502/503/504 {@code {"detail"}}, never a partial document (a client would take missing routes for
 * removed ones); a failed build is not kept.
 */
final class OpenApiDocuments {

    private static final Logger LOG = Logger.getLogger(OpenApiDocuments.class);

    /** The gateway's own path; no service may own a route under it. */
    static final String ROOT = "/openapi";
    static final String UPSTREAM_PATH = "/q/openapi?format=json";
    static final String MERGED_JSON = "/openapi.json";
    static final String MERGED_YAML = "/openapi.yaml";
    static final String YAML = "application/yaml";
    static final String HTML = "text/html; charset=utf-8";
    static final String CSS = "text/css; charset=utf-8";

    /** A merged document (or the build in progress) and when its build started. */
    private record Merged(long startedNanos, Future<Rendered> document) {
    }

    /** The merged document and its three renderings, made once per build. */
    record Rendered(JsonObject document, String json, String yaml, String html) {

        static Rendered of(JsonObject document) {
            return new Rendered(document, document.encode(), Yaml.write(document), DocsPage.render(document));
        }
    }

    private final HttpClient client;
    private final RouteTable routes;
    private final Map<String, Upstream> upstreams;
    private final Set<String> documented;
    private final long connectTimeoutMillis;
    private final long cacheNanos;
    private final AtomicReference<Merged> merged = new AtomicReference<>();

    /**
     * @param documented the services that have an OpenAPI document
     *        ({@code fetchsms.gateway.services.<name>.api-document})
     */
    OpenApiDocuments(HttpClient client, RouteTable routes, Map<String, Upstream> upstreams, Set<String> documented,
            long connectTimeoutMillis, long cacheMillis) {
        this.client = client;
        this.routes = routes;
        this.upstreams = upstreams;
        this.documented = Set.copyOf(documented);
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.cacheNanos = cacheMillis * 1_000_000L;
    }

    /** {@code GET /openapi.json}: the merged document. */
    void mergedJson(RoutingContext rc) {
        withMerged(rc, merged -> rc.response().putHeader(HttpHeaders.CONTENT_TYPE, ErrorResponses.JSON)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .end(merged.json()));
    }

    /** {@code GET /openapi.yaml}: the merged document as YAML. */
    void mergedYaml(RoutingContext rc) {
        withMerged(rc, merged -> rc.response().putHeader(HttpHeaders.CONTENT_TYPE, YAML)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .end(merged.yaml()));
    }

    /** {@code GET /docs}: the reference page, rendered from the merged document. */
    void docs(RoutingContext rc) {
        withMerged(rc, merged -> rc.response().putHeader(HttpHeaders.CONTENT_TYPE, HTML)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("Content-Security-Policy", DocsPage.CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .end(merged.html()));
    }

    /** {@code GET /docs/style.css}: the page's only other resource. */
    void stylesheet(RoutingContext rc) {
        rc.response().putHeader(HttpHeaders.CONTENT_TYPE, CSS)
                .putHeader(HttpHeaders.CACHE_CONTROL, "max-age=3600")
                .putHeader("X-Content-Type-Options", "nosniff")
                .end(DocsPage.CSS);
    }

    private void withMerged(RoutingContext rc, Consumer<Rendered> answer) {
        merged().onSuccess(document -> {
            if (!rc.response().ended() && !rc.response().closed()) {
                answer.accept(document);
            }
        }).onFailure(failure -> {
            String service = failure instanceof ServiceFailure f ? f.service : "openapi";
            ErrorResponses.UpstreamFailure refusal = ErrorResponses.classify(service, failure);
            LOG.warnf("GET %s → %d, %s", rc.request().path(), refusal.status(), failure.toString());
            ErrorResponses.send(rc.response(), refusal.status(), refusal.detail());
        });
    }

    /** The merged document: the cached one while fresh, else one build shared by concurrent requests. */
    Future<Rendered> merged() {
        long now = System.nanoTime();
        Merged current = merged.get();
        if (current != null && now - current.startedNanos() < cacheNanos && !current.document().failed()) {
            return current.document();
        }
        Promise<Rendered> promise = Promise.promise();
        Merged next = new Merged(now, promise.future());
        if (!merged.compareAndSet(current, next)) {
            Merged other = merged.get();
            return other == null ? build() : other.document(); // another request started a build just now
        }
        promise.future().onFailure(failure -> merged.compareAndSet(next, null));
        build().onComplete(promise);
        return promise.future();
    }

    private Future<Rendered> build() {
        List<String> names = upstreams.keySet().stream().filter(this::isPublic).sorted().toList();
        List<Future<JsonObject>> fetches = new ArrayList<>();
        for (String name : names) {
            fetches.add(fetch(upstreams.get(name)).recover(failure -> Future.failedFuture(
                    new ServiceFailure(name, failure))));
        }
        return Future.all(fetches).map(all -> {
            SortedMap<String, JsonObject> documents = new TreeMap<>();
            for (int i = 0; i < names.size(); i++) {
                documents.put(names.get(i), publicPart(names.get(i), all.resultAt(i)));
            }
            return Rendered.of(OpenApiMerger.merge(documents, OpenApiMerger.version(documents)));
        });
    }

    /** A routed service that could not give its document: the merged one is refused with its status. */
    static final class ServiceFailure extends RuntimeException {

        private static final long serialVersionUID = 1L;
        final String service;

        ServiceFailure(String service, Throwable cause) {
            super(service + ": " + cause, cause);
            this.service = service;
        }
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

    /** A service with routes and an OpenAPI document: its document is published and merged. */
    private boolean isPublic(String service) {
        return documented.contains(service)
                && routes.routes().stream().anyMatch(route -> route.service().equals(service));
    }
}
