package com.fetchsms.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The gateway's settings: the route table (which path prefixes each service owns), where each service runs and whether
 * it has an OpenAPI document, all in {@code application.properties} under {@code fetchsms.gateway.services.<name>}, and
 * where {@code /} sends a browser ({@code fetchsms.gateway.home}). Every key can be overridden by its environment
 * variable, e.g. {@code FETCHSMS_GATEWAY_SERVICES_CATALOG_URL}.
 */
@ConfigMapping(prefix = "fetchsms.gateway")
public interface GatewayConfig {

    /** The upstream services by name (the name appears in the 503 message). */
    Map<String, Service> services();

    /** How long to wait for a TCP connection to an upstream before answering 504. */
    @WithDefault("5s")
    Duration connectTimeout();

    /**
     * How long a service may take to answer: from the start of the forwarded request (its body upload included) to the
     * response headers (504 when exceeded), then the longest pause allowed between two chunks of the response body
     * (the exchange is reset when exceeded). A service can override it.
     */
    @WithDefault("60s")
    Duration requestTimeout();

    /**
     * How long the merged OpenAPI document ({@code /openapi.json}, {@code /openapi.yaml}, {@code /docs}) is kept before
     * it is built again from the services' documents.
     */
    @WithDefault("10s")
    Duration openapiCache();

    /** Pooled HTTP/1.1 connections per upstream service. */
    @WithDefault("64")
    int maxConnectionsPerService();

    /**
     * Pooled HTTP/1.1 connections per upstream service for long-lived requests: event streams ({@code Accept:
     * text/event-stream}) and long polls (a {@code wait} query parameter other than 0). Each holds its connection (a
     * socket, no thread) for as long as it lasts, so they have a pool of their own: they neither take the connections
     * of short requests nor wait behind them.
     */
    @WithDefault("10000")
    int maxLongLivedConnectionsPerService();

    /**
     * Requests that may wait for one of a service's pooled connections once all are busy. Past that the service is
     * overloaded and a request is answered at once with {@code 503} and {@code Retry-After} instead of queueing
     * behind the others (each of which would wait up to {@code connect-timeout} and then get a 504).
     */
    @WithDefault("1000")
    int maxWaitingPerService();

    /**
     * How often a run of failures to reach one service is logged: the first failure of each period is logged at once
     * with its cause, the others of that period are counted and logged in one line at its end.
     */
    @WithDefault("10s")
    Duration failureLogPeriod();

    /**
     * Whether incoming {@code X-Forwarded-*} / {@code Forwarded} headers come from a trusted proxy in front of the
     * gateway. When false (the gateway is the edge), they are replaced by what the gateway itself sees, so a client
     * cannot spoof its address; when true, the gateway appends to {@code X-Forwarded-For} and keeps proto and host.
     */
    @WithDefault("false")
    boolean trustForwardedHeaders();

    /**
     * Where the gateway sends a client that asks for {@code /} itself ({@code GET} or {@code HEAD}, after
     * normalisation; any query is dropped): {@code 303 See Other} to this path on the same host, e.g. {@code /app/}
     * (the dashboard). A path in normal form, not {@code /} and not under {@code /q} or {@code /internal}; anything
     * else stops the gateway at start. None (set empty): {@code /} is 404 like every path without a route.
     */
    Optional<String> home();

    /** The client addresses the gateway vouches for to a relay and believes back from it (decision 0028). */
    ClientAddress clientAddress();

    interface ClientAddress {

        /**
         * The key (at least 32 characters) that signs the vouchers; every replica of the gateway must have the same.
         * None: no voucher is given or believed, and every request's client is its TCP peer (or, with
         * {@code trust-forwarded-headers}, the chain it brings).
         */
        Optional<String> key();

        /**
         * The services that call the public API back on their clients' behalf (the dashboard): each request forwarded
         * to them carries a voucher for its client's address, which they send back with their calls.
         */
        Optional<List<String>> relays();

        /** How long a voucher is believed after it was given (longer than a page takes to draw). */
        @WithDefault("2m")
        Duration ttl();
    }

    interface Service {

        /** Base URL of the service, scheme, host and port only, e.g. {@code http://127.0.0.1:8081}. */
        String url();

        /**
         * The public path prefixes the service owns, e.g. {@code /v1/services}. A prefix matches whole path segments
         * only; the longest matching prefix over all services wins. None: nothing is routed to the service (a service
         * only reached internally, or whose routes are not public yet).
         */
        Optional<List<String>> prefixes();

        /** This service's own {@code request-timeout}, when it differs from the gateway-wide one. */
        Optional<Duration> requestTimeout();

        /**
         * Whether the service describes its routes in an OpenAPI document ({@code /q/openapi}) that the gateway
         * publishes. False for a service whose routes are not API (the dashboard's HTML pages): it is left out of the
         * merged document ({@code /openapi.json}, {@code /openapi.yaml}, {@code /docs}) and of {@code /openapi}
         * ({@code /openapi/<name>} is 404), and the gateway never asks it for a document. Its routes are proxied all
         * the same.
         */
        @WithDefault("true")
        boolean apiDocument();
    }
}
