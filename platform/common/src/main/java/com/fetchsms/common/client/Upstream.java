package com.fetchsms.common.client;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.error.ErrorBody;

import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;

/**
 * The answer of another service: its status, and its body read as the route's answer type {@code T} when it accepted
 * the request, or its {@code detail} when it refused. Business refusals (402, 404, 409, 422) are answers; only an
 * unreachable service, a timeout, a 5xx or an accepted answer that cannot be read is a failure
 * ({@link UpstreamUnavailableException}). A refusal for a price cap also carries the current price
 * ({@code price_cents} of its {@link ErrorBody}).
 */
public record Upstream<T>(int status, T body, String detail, Integer priceCents) {

    /** An answer without a price: an accepted one, or a refusal that is not about a price cap. */
    public Upstream(int status, T body, String detail) {
        this(status, body, detail, null);
    }

    public boolean ok() {
        return status == 200 || status == 201;
    }

    static <T> Upstream<T> of(String service, HttpResponse<Buffer> response, Class<T> answer, ObjectMapper mapper) {
        int status = response.statusCode();
        if (status >= 500) {
            throw new UpstreamUnavailableException(service + " answered " + status);
        }
        Buffer body = response.body();
        if (status == 200 || status == 201) {
            try {
                return new Upstream<>(status, mapper.readValue(body == null ? new byte[0] : body.getBytes(), answer),
                        null);
            } catch (IOException e) {
                // our own service answered something this version cannot read: retry later, never guess
                throw new UpstreamUnavailableException(service + " answered " + status + " with a body that is not a "
                        + answer.getSimpleName() + ": " + e.getMessage());
            }
        }
        String detail = "Request refused";
        Integer priceCents = null;
        if (body != null && body.length() > 0) {
            try {
                ErrorBody error = mapper.readValue(body.getBytes(), ErrorBody.class);
                if (error != null && error.detail() != null) {
                    detail = error.detail();
                    priceCents = error.priceCents();
                }
            } catch (IOException e) {
                // a refusal without the platform's error body: its status says enough
            }
        }
        return new Upstream<>(status, null, detail, priceCents);
    }
}
