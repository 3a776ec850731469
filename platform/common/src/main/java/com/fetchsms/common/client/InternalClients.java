package com.fetchsms.common.client;

import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.client.WebClientSession;

/**
 * The HTTP client of internal calls, with the connection pool and keep-alive of {@link ServicesConfig}, presenting the
 * platform's service credential ({@link #CREDENTIAL_HEADER}) on every request. Only for calls to the platform's own
 * services: never for a URL a customer chose (webhook-service's deliveries have their own client).
 */
public final class InternalClients {

    /** The header that carries {@link ServicesConfig#credential()}. */
    public static final String CREDENTIAL_HEADER = "FetchSMS-Service-Credential";

    private InternalClients() {
    }

    public static WebClientOptions options(ServicesConfig config) {
        return new WebClientOptions()
                .setMaxPoolSize(config.maxPoolSize())
                .setKeepAlive(config.keepAlive())
                .setKeepAliveTimeout((int) Math.max(1, config.keepAliveTimeout().toSeconds()))
                .setPipelining(config.pipelining());
    }

    public static WebClient create(Vertx vertx, ServicesConfig config) {
        // a session only to add the header to every request (internal routes set no cookies)
        return WebClientSession.create(WebClient.create(vertx, options(config)))
                .addHeader(CREDENTIAL_HEADER, config.credential());
    }
}
