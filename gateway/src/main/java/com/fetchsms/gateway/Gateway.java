package com.fetchsms.gateway;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;

/**
 * Installs the reverse proxy on the Quarkus router: every request that no Quarkus route answered (the gateway's own
 * {@code /q/health/…} are answered first) is matched against the route table and streamed to its service by a Vert.x
 * {@link HttpProxy}, on the event loop. Before any route is matched, the path is normalised ({@link RequestPaths}):
 * routes are chosen on the normal form, which is also the path the service receives; an ambiguous encoding, or a path
 * that only normalisation brings under {@code /q} or {@code /internal}, is 400 JSON, and so is a request with more than
 * one {@code Authorization} header. No route → 404 JSON. The gateway answers itself the OpenAPI document of the whole
 * public API ({@code /openapi.json}, {@code /openapi.yaml}), its rendering ({@code /docs}) and each service's document
 * ({@code /openapi/<service>}): {@link OpenApiDocuments}; and {@code GET /} (and {@code HEAD /}), with a
 * {@code 303 See Other} to the home page {@code fetchsms.gateway.home} (the dashboard, {@code /app/}) when one is set.
 */
@ApplicationScoped
public class Gateway {

    private static final Logger LOG = Logger.getLogger(Gateway.class);

    static final String MULTIPLE_AUTHORIZATION = "A request may carry only one Authorization header";

    @Inject
    GatewayConfig config;

    @Inject
    Vertx vertx;

    private HttpClient client;
    private HttpClient longLivedClient;
    private long failureFlush = -1;
    private RouteTable routes;
    private final Map<String, HttpProxy> proxies = new LinkedHashMap<>();
    /** The same services' proxies over the long-lived pool ({@link #longLived}). */
    private final Map<String, HttpProxy> longLivedProxies = new LinkedHashMap<>();

    void install(@Observes Router router) {
        Map<String, Upstream> upstreams = new TreeMap<>();
        Map<String, List<String>> prefixes = new TreeMap<>();
        Set<String> documented = new TreeSet<>();
        config.services().forEach((name, service) -> {
            upstreams.put(name, Upstream.parse(name, service.url(),
                    service.requestTimeout().orElse(config.requestTimeout())));
            List<String> owned = service.prefixes().orElse(List.of());
            prefixes.put(name, owned);
            if (owned.isEmpty()) {
                LOG.warnf("Service %s (%s) has no route prefixes: nothing is routed to it", name, service.url());
            }
            if (service.apiDocument()) {
                documented.add(name);
            } else {
                LOG.infof("Service %s has no OpenAPI document (api-document=false): not in /openapi.json", name);
            }
        });
        routes = RouteTable.of(prefixes);
        Optional<String> home = config.home().map(String::trim).filter(path -> !path.isEmpty())
                .map(Gateway::homePath);

        client = upstreamClient("fetchsms-gateway", config.maxConnectionsPerService());
        longLivedClient = upstreamClient("fetchsms-gateway-long-lived", config.maxLongLivedConnectionsPerService());
        UpstreamFailureLog failures = new UpstreamFailureLog(config.failureLogPeriod(), System::nanoTime, LOG::warn);
        failureFlush = vertx.setPeriodic(config.failureLogPeriod().toMillis(), id -> failures.flush());

        ClientAddressVouchers vouchers = config.clientAddress().key().filter(key -> !key.isBlank())
                .map(key -> new ClientAddressVouchers(key, config.clientAddress().ttl(), Clock.systemUTC()))
                .orElse(null);
        Set<String> relays = new TreeSet<>(config.clientAddress().relays().orElse(List.of()));
        relays.stream().filter(name -> !upstreams.containsKey(name)).forEach(name -> LOG.warnf(
                "fetchsms.gateway.client-address.relays names %s, which is no service of the route table", name));
        if (vouchers == null) {
            LOG.info("No fetchsms.gateway.client-address.key: no client address is vouched for or believed");
        } else {
            LOG.infof("Client addresses vouched for to %s", relays);
        }

        upstreams.forEach((name, upstream) -> {
            UpstreamInterceptor interceptor = new UpstreamInterceptor(upstream, config.trustForwardedHeaders(),
                    vouchers, relays.contains(name), failures);
            proxies.put(name, HttpProxy.reverseProxy(client).origin(context -> originRequest(context, upstream))
                    .addInterceptor(interceptor));
            longLivedProxies.put(name, HttpProxy.reverseProxy(longLivedClient)
                    .origin(context -> originRequest(context, upstream)).addInterceptor(interceptor));
        });

        // First, before any route (the gateway's own /q/health and /openapi included) is matched.
        router.route().order(RouteConstants.ROUTE_ORDER_BODY_HANDLER + 1).handler(this::screen);
        // A request the router itself refuses before any route (no Host header, …) is answered in JSON too.
        router.route().order(Integer.MIN_VALUE).failureHandler(this::refused);

        home.ifPresent(path -> router.route("/").method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(rc -> redirectHome(rc, path)));

        OpenApiDocuments documents = new OpenApiDocuments(client, routes, upstreams, documented,
                config.connectTimeout().toMillis(), config.openapiCache().toMillis());
        router.get(OpenApiDocuments.ROOT).handler(documents::index);
        router.get(OpenApiDocuments.ROOT + "/:service").handler(documents::document);
        router.get(OpenApiDocuments.MERGED_JSON).handler(documents::mergedJson);
        router.get(OpenApiDocuments.MERGED_YAML).handler(documents::mergedYaml);
        router.get(DocsPage.PATH).handler(documents::docs);
        router.get(DocsPage.STYLESHEET).handler(documents::stylesheet);

        router.route().order(RouteConstants.ROUTE_ORDER_AFTER_DEFAULT).handler(this::handle);

        routes.routes().forEach(route -> LOG.infof("Route %-20s → %s (%s)", route.prefix(), route.service(),
                upstreams.get(route.service())));
        home.ifPresent(path -> LOG.infof("Home  %-20s → 303 %s", "/", path));
    }

    /**
     * The path {@code /} is sent to ({@code fetchsms.gateway.home}), checked at start: a path of this host in the
     * normal form the gateway routes on ({@link RequestPaths#normalise}: so no scheme, no host, no {@code //}), without
     * query or fragment, neither {@code /} itself (a loop) nor under {@code /q} or {@code /internal}.
     *
     * @throws IllegalArgumentException otherwise
     */
    static String homePath(String configured) {
        String home = configured.trim();
        if (!home.equals(RequestPaths.normalise(home).path()) || home.equals("/") || home.contains("?")
                || home.contains("#") || RequestPaths.isPlatformOnly(home)) {
            throw new IllegalArgumentException("Invalid fetchsms.gateway.home '" + configured + "': it must be a path"
                    + " of this host in normal form, e.g. /app/, neither / itself nor under /q or /internal");
        }
        return home;
    }

    /** {@code GET /} and {@code HEAD /}: {@code 303 See Other} to the home page; the query is not carried over. */
    private static void redirectHome(RoutingContext rc, String home) {
        rc.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, home).end();
    }

    private Future<HttpClientRequest> originRequest(ProxyContext context, Upstream upstream) {
        return context.client().request(new RequestOptions()
                .setServer(upstream.address())
                .setHost(upstream.host())
                .setPort(upstream.port())
                .setSsl(upstream.ssl())
                .setConnectTimeout(config.connectTimeout().toMillis())
                .setIdleTimeout(upstream.requestTimeout().toMillis()));
    }

    /**
     * Runs before every route: refuses a request with more than one {@code Authorization} header (which one would a
     * service authenticate, which one rate-limit?), then normalises the path ({@link RequestPaths#normalise}). A path
     * that is not in normal form is refused if it normalises into {@code /q} or {@code /internal}, and otherwise
     * routed again as its normal form, which is then both what the routes match and what the service receives.
     */
    private void screen(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (request.headers().getAll(HttpHeaders.AUTHORIZATION).size() > 1) {
            ErrorResponses.send(rc.response(), 400, MULTIPLE_AUTHORIZATION);
            return;
        }
        String raw = request.path();
        RequestPaths.Normalised normalised = RequestPaths.normalise(raw);
        if (normalised.path() == null) {
            LOG.debugf("Refused request path %s: %s", raw, normalised.refusal());
            ErrorResponses.send(rc.response(), 400, "Invalid request path");
            return;
        }
        if (normalised.path().equals(raw)) {
            rc.next();
            return;
        }
        if (RequestPaths.isPlatformOnly(normalised.path())) {
            ErrorResponses.send(rc.response(), 400, "Invalid request path");
            return;
        }
        String query = request.query();
        rc.reroute(request.method(), query == null ? normalised.path() : normalised.path() + "?" + query);
    }

    /**
     * A client error the router found before any route ran (Vert.x Web fails a request without a valid
     * {@code Host} header with 400): answered {@code {"detail"}} instead of the default error page. Anything else
     * goes on to the next failure handler.
     */
    private void refused(RoutingContext rc) {
        int status = rc.statusCode();
        if (status < 400 || status > 499 || rc.response().headWritten()) {
            rc.next();
            return;
        }
        Throwable failure = rc.failure();
        LOG.debugf("Refused %s %s: %d %s", rc.request().method(), rc.request().uri(), status, failure);
        ErrorResponses.send(rc.response(), status, rc.request().authority() == null
                ? "A valid Host header is required"
                : failure != null && failure.getMessage() != null ? failure.getMessage() : "Bad request");
    }

    private void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String path = request.path();
        if (!RequestPaths.isSafe(path)) {
            ErrorResponses.send(rc.response(), 400, "Invalid request path");
            return;
        }
        Optional<RouteTable.Route> route = routes.resolve(path);
        if (route.isEmpty()) {
            ErrorResponses.send(rc.response(), 404, "Not found");
            return;
        }
        (longLived(request) ? longLivedProxies : proxies).get(route.get().service()).handle(request);
    }

    /**
     * The HTTP/1.1 client of one pool: {@code connections} per service, and {@code fetchsms.gateway.max-waiting-per-service}
     * requests waiting for one of them.
     */
    private HttpClient upstreamClient(String name, int connections) {
        return vertx.createHttpClient(new HttpClientOptions()
                .setName(name)
                .setConnectTimeout(Math.toIntExact(config.connectTimeout().toMillis()))
                .setKeepAlive(true)
                .setDecompressionSupported(false),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(config.maxWaitingPerService()));
    }

    /**
     * A request that holds its connection for long: an event stream ({@code Accept: text/event-stream}) or a long
     * poll (a {@code wait} query parameter other than empty or 0). It takes a connection of the long-lived pool
     * ({@code fetchsms.gateway.max-long-lived-connections-per-service}).
     */
    static boolean longLived(HttpServerRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept != null && accept.contains("text/event-stream")) {
            return true;
        }
        return longPoll(request.query());
    }

    /**
     * Whether a query asks for a long poll: a {@code wait} parameter whose value is neither empty nor 0. Read from the
     * raw query without decoding it, so a malformed query (a stray {@code %}) is the service's to refuse, with its 4xx,
     * and never an exception here.
     */
    static boolean longPoll(String query) {
        if (query == null || !query.contains("wait=")) {
            return false;
        }
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("wait=")) {
                String wait = parameter.substring("wait=".length()).trim();
                return !wait.isEmpty() && !wait.equals("0");
            }
        }
        return false;
    }

    void stop(@Observes ShutdownEvent event) {
        if (failureFlush >= 0) {
            vertx.cancelTimer(failureFlush);
        }
        if (client != null) {
            client.close();
        }
        if (longLivedClient != null) {
            longLivedClient.close();
        }
    }
}
