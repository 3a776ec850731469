package com.fetchsms.common.error;

import java.time.Duration;

/**
 * A client-facing failure: an HTTP status from the API's error table and a sentence for the {@code detail} field. Thrown
 * (or failed with, in a {@code Uni}) by services; mapped once by {@link ApiExceptionMappers}.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final Duration retryAfter;

    public ApiException(int status, String detail) {
        this(status, detail, null);
    }

    public ApiException(int status, String detail, Duration retryAfter) {
        super(detail, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
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

    /** 422: an invalid duration or parameter value. */
    public static ApiException unprocessable(String detail) {
        return new ApiException(422, detail);
    }

    /** 429: slow down. */
    public static ApiException tooManyRequests(String detail, Duration retryAfter) {
        return new ApiException(429, detail, retryAfter);
    }
}
