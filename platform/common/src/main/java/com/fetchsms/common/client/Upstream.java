package com.fetchsms.common.client;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;

/**
 * The answer of another service: its status and JSON body. Business refusals (402, 404, 409, 422) are answers;
 * only an unreachable service, a timeout or a 5xx is a failure ({@link UpstreamUnavailableException}).
 */
public record Upstream(int status, JsonObject body) {

    public boolean ok() {
        return status == 200 || status == 201;
    }

    public String detail() {
        return body == null ? "Request refused" : body.getString("detail", "Request refused");
    }

    static Upstream of(String service, HttpResponse<Buffer> response) {
        if (response.statusCode() >= 500) {
            throw new UpstreamUnavailableException(service + " answered " + response.statusCode());
        }
        JsonObject body;
        try {
            body = response.bodyAsJsonObject();
        } catch (RuntimeException e) {
            body = null;
        }
        return new Upstream(response.statusCode(), body);
    }
}
