package com.fetchsms.gateway;

import java.util.List;
import java.util.Locale;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;

/**
 * What the gateway does to each exchange with one service: forwards the request in origin form with
 * {@code X-Forwarded-For/Proto/Host} (the client's address as a relay's verified voucher gives it, else the peer's),
 * drops hop-by-hop headers and any client-address voucher (giving a relay a fresh one), and turns a failure to reach the
 * service into a JSON 503/504/502. Method, path, query, the other headers (Authorization included) and both bodies pass unchanged, streamed.
 */
final class UpstreamInterceptor implements ProxyInterceptor {

    static final String X_FORWARDED_FOR = "X-Forwarded-For";
    static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";
    static final String X_FORWARDED_HOST = "X-Forwarded-Host";
    static final String FORWARDED = "Forwarded";

    /** Hop-by-hop response headers that the proxy library itself does not drop. */
    private static final List<String> HOP_BY_HOP_RESPONSE = List.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "te", "trailer", "upgrade");

    private final Upstream upstream;
    private final boolean trustForwardedHeaders;
    /** The gateway's client-address vouchers; null when no key is configured (nothing vouched for, or believed). */
    private final ClientAddressVouchers vouchers;
    /** Whether this upstream calls the API back for its clients (the dashboard): it gets a voucher with each request. */
    private final boolean relay;

    /** Where failures to reach the service are logged, a line per service and period rather than per request. */
    private final UpstreamFailureLog failures;

    UpstreamInterceptor(Upstream upstream, boolean trustForwardedHeaders, ClientAddressVouchers vouchers,
            boolean relay, UpstreamFailureLog failures) {
        this.upstream = upstream;
        this.failures = failures;
        this.trustForwardedHeaders = trustForwardedHeaders;
        this.vouchers = vouchers;
        this.relay = relay;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        ProxyRequest request = context.request();
        HttpServerRequest incoming = request.proxiedRequest();
        String query = incoming.query();
        request.setURI(query == null ? incoming.path() : incoming.path() + "?" + query);

        MultiMap headers = request.headers();
        removeConnectionTokens(headers);
        headers.remove("proxy-connection");
        // A voucher is read once and never forwarded; a relay gets a fresh one for the request's own client.
        List<String> presented = headers.getAll(ClientAddressVouchers.HEADER);
        headers.remove(ClientAddressVouchers.HEADER);
        String vouched = vouchers == null || presented.size() != 1
                ? null
                : vouchers.verify(presented.get(0)).orElse(null);
        addForwardedHeaders(incoming, headers, vouched);
        String forwardedFor = headers.get(X_FORWARDED_FOR);
        if (relay && vouchers != null && forwardedFor != null) {
            headers.set(ClientAddressVouchers.HEADER, vouchers.issue(forwardedFor));
        }

        return context.sendRequest().recover(failure -> {
            ErrorResponses.UpstreamFailure answer = ErrorResponses.classify(upstream.name(), failure);
            HttpMethod method = incoming.method();
            String path = incoming.path();
            failures.failed(upstream.name(), answer.status(), () -> String.format("%s %s → %s (%s): %d, %s", method,
                    path, upstream.name(), upstream, answer.status(), failure));
            ProxyResponse response = request.release().response()
                    .setStatusCode(answer.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, ErrorResponses.JSON)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .setBody(Body.body(ErrorResponses.body(answer.detail())));
            if (answer.retryAfterSeconds() > 0) {
                response.putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(answer.retryAfterSeconds()));
            }
            return Future.succeededFuture(response);
        });
    }

    @Override
    public Future<Void> handleProxyResponse(ProxyContext context) {
        MultiMap headers = context.response().headers();
        removeConnectionTokens(headers);
        HOP_BY_HOP_RESPONSE.forEach(headers::remove);
        return context.sendResponse();
    }

    /**
     * {@code X-Forwarded-For/Proto/Host}. {@code vouched}: the {@code X-Forwarded-For} of a verified voucher (a relay
     * calling on its client's behalf), forwarded as it is in place of the relay's own address.
     */
    private void addForwardedHeaders(HttpServerRequest incoming, MultiMap headers, String vouched) {
        SocketAddress peer = incoming.remoteAddress();
        String client = peer == null ? null : peer.hostAddress();
        String proto = incoming.scheme() == null ? "http" : incoming.scheme();
        HostAndPort authority = incoming.authority();
        String host = authority == null
                ? null
                : authority.port() >= 0 ? authority.host() + ":" + authority.port() : authority.host();

        if (vouched != null) {
            headers.remove(FORWARDED);
            set(headers, X_FORWARDED_FOR, vouched);
            set(headers, X_FORWARDED_PROTO, proto);
            set(headers, X_FORWARDED_HOST, host);
        } else if (trustForwardedHeaders) {
            String chain = String.join(", ", headers.getAll(X_FORWARDED_FOR));
            if (client != null) {
                chain = chain.isBlank() ? client : chain + ", " + client;
            }
            set(headers, X_FORWARDED_FOR, chain.isBlank() ? null : chain);
            if (!headers.contains(X_FORWARDED_PROTO)) {
                set(headers, X_FORWARDED_PROTO, proto);
            }
            if (!headers.contains(X_FORWARDED_HOST)) {
                set(headers, X_FORWARDED_HOST, host);
            }
        } else {
            // The gateway is the edge: what a client claims about earlier hops is not believed.
            headers.remove(FORWARDED);
            set(headers, X_FORWARDED_FOR, client);
            set(headers, X_FORWARDED_PROTO, proto);
            set(headers, X_FORWARDED_HOST, host);
        }
    }

    private static void set(MultiMap headers, String name, String value) {
        headers.remove(name);
        if (value != null && !value.isBlank()) {
            headers.set(name, value);
        }
    }

    /** Headers named in {@code Connection} are hop-by-hop too (RFC 9110 §7.6.1). */
    private static void removeConnectionTokens(MultiMap headers) {
        for (String value : headers.getAll(HttpHeaders.CONNECTION)) {
            for (String token : value.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    headers.remove(name);
                }
            }
        }
    }
}
