package com.fetchsms.gateway;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** The gateway's own answers: always JSON {@code {"detail": "…"}}, like every FetchSMS service. */
final class ErrorResponses {

    static final String JSON = "application/json";

    private ErrorResponses() {
    }

    /**
     * An upstream failure, classified; {@code retryAfterSeconds} &gt; 0 when the client should come back after that
     * long (an overloaded service).
     */
    record UpstreamFailure(int status, String detail, int retryAfterSeconds) {

        UpstreamFailure(int status, String detail) {
            this(status, detail, 0);
        }
    }

    static Buffer body(String detail) {
        return new JsonObject().put("detail", detail).toBuffer();
    }

    static void send(HttpServerResponse response, int status, String detail) {
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(body(detail));
    }

    /**
     * 503 with {@code Retry-After: 1} when every pooled connection to the service is busy and the requests waiting for
     * one reached {@code max-waiting-per-service} (the service is overloaded); 503 when the service cannot be reached
     * (connection refused, unknown host: typically not deployed or down), 504 when it did not connect or answer in
     * time, 502 for anything else (e.g. the connection closed mid-answer).
     */
    static UpstreamFailure classify(String service, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectionPoolTooBusyException) {
                return new UpstreamFailure(503, "The " + service + " service is busy: retry shortly", 1);
            }
            if (t instanceof TimeoutException || t instanceof ConnectTimeoutException) {
                return new UpstreamFailure(504, "The " + service + " service did not answer in time");
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return new UpstreamFailure(503, "The " + service + " service is not available");
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return new UpstreamFailure(502, "The " + service + " service failed to answer");
    }
}
