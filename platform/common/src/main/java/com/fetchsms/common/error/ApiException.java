package com.fetchsms.common.error;

import java.time.Duration;

/**
 * A client-facing failure: an HTTP status from the API's error table and a sentence for the {@code detail} field. Thrown
 * (or failed with, in a {@code Uni}) by services; mapped once by {@link ApiExceptionMappers}.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final Duration retryAfter;
    private final Integer priceCents;

    public ApiException(int status, String detail) {
        this(status, detail, null, null);
    }

    public ApiException(int status, String detail, Duration retryAfter) {
        this(status, detail, retryAfter, null);
    }

    /** A refusal about a price ({@code price_cents} next to {@code detail}): the 409 of a purchase's price cap. */
    public ApiException(int status, String detail, Integer priceCents) {
        this(status, detail, null, priceCents);
    }

    private ApiException(int status, String detail, Duration retryAfter, Integer priceCents) {
        super(detail, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
        this.priceCents = priceCents;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return getMessage();
    }

    /** Set on 429 answers; becomes a {@code Retry-After} header. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Set on the 409 of a price cap: the current price, answered as {@code price_cents} next to {@code detail}. */
    public Integer priceCents() {
        return priceCents;
    }

    /** 400: malformed input or a business-rule violation. */
    public static ApiException badRequest(String detail) {
        return new ApiException(400, detail);
    }

    /** 401: missing, invalid or revoked credential. */
    public static ApiException unauthorized(String detail) {
        return new ApiException(401, detail);
    }

    /** 402: the wallet cannot pay. */
    public static ApiException paymentRequired(String detail) {
        return new ApiException(402, detail);
    }

    /** 403: a valid credential that may not use this endpoint. */
    public static ApiException forbidden(String detail) {
        return new ApiException(403, detail);
    }

    /** 404: unknown service, or a resource the caller does not own. */
    public static ApiException notFound(String detail) {
        return new ApiException(404, detail);
    }

    /** 409: out of stock, or a state that forbids the change. */
    public static ApiException conflict(String detail) {
        return new ApiException(409, detail);
    }

    /**
     * 409: a purchase's price is above the buyer's {@code max_price_cents}; nothing is reserved or charged. The same
     * sentence wherever the price is decided (catalog-service) or checked again (the purchase saga).
     */
    public static ApiException priceAboveCap(int priceCents, int maxPriceCents) {
        return new ApiException(409, "The current price is " + priceCents + " cents, above 'max_price_cents' ("
                + maxPriceCents + "); nothing was charged", priceCents);
    }

    /** 422: an invalid duration or parameter value. */
    public static ApiException unprocessable(String detail) {
        return new ApiException(422, detail);
    }

    /** 429: slow down. */
    public static ApiException tooManyRequests(String detail, Duration retryAfter) {
        return new ApiException(429, detail, retryAfter);
    }
}
