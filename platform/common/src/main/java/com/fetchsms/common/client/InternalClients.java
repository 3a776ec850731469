package com.fetchsms.common.client;

import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
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

    /**
     * POSTs {@code body} as JSON to another service's internal route and reads its answer as {@code answer}: a failure
     * to reach it (or no answer within {@code timeout}) is an {@link UpstreamUnavailableException}, as a 5xx is.
     */
    public static <T> Uni<Upstream<T>> post(WebClient client, ObjectMapper mapper, String service, String url,
            Object body, Duration timeout, Class<T> answer) {
        Buffer json;
        try {
            json = body == null ? null : Buffer.buffer(mapper.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("Cannot serialise " + body.getClass(), e));
        }
        var request = client.postAbs(url).timeout(timeout.toMillis());
        Uni<HttpResponse<Buffer>> sent = json == null
                ? request.send()
                : request.putHeader("Content-Type", "application/json").sendBuffer(json);
        return sent.onFailure().transform(f -> new UpstreamUnavailableException(service + " unreachable: "
                + f.getMessage()))
                .map(response -> Upstream.of(service, response, answer, mapper));
    }

    /**
     * GETs another service's route and reads its answer as {@code answer}, with the same failures as
     * {@link #post}.
     */
    public static <T> Uni<Upstream<T>> get(WebClient client, ObjectMapper mapper, String service, String url,
            Duration timeout, Class<T> answer) {
        return client.getAbs(url).timeout(timeout.toMillis()).send()
                .onFailure().transform(f -> new UpstreamUnavailableException(service + " unreachable: "
                        + f.getMessage()))
                .map(response -> Upstream.of(service, response, answer, mapper));
    }

    public static WebClient create(Vertx vertx, ServicesConfig config) {
        // a session only to add the header to every request (internal routes set no cookies)
        return WebClientSession.create(WebClient.create(vertx, options(config)))
                .addHeader(CREDENTIAL_HEADER, config.credential());
    }
}
