package com.fetchsms.common.client;

import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;

/** The HTTP client of internal calls, with the connection pool and keep-alive of {@link ServicesConfig}. */
public final class InternalClients {

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
        return WebClient.create(vertx, options(config));
    }
}
