package com.fetchsms.common.error;

import java.util.Comparator;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.JsonMappingException;

import com.fetchsms.common.input.TextGuard;
import com.fetchsms.common.security.ApiKeys;
import com.fetchsms.common.security.ApiKeysConfig;
import com.fetchsms.common.security.Caller;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Maps every failure to the API's status codes with a {@code {"detail": "…"}} body. Client mistakes never become a
 * 500, and no body ever names an exception class.
 */
public class ApiExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    @Inject
    ApiKeysConfig apiKeys;
    @Inject
    SecurityIdentity identity;

    private static final String API_KEY_REFUSED = "API keys are not accepted here; use a dashboard session token";

    @ServerExceptionMapper
    public Response api(ApiException e) {
        Response.ResponseBuilder builder = body(e.status(), e.detail());
        if (e.retryAfter() != null) {
            builder.header(HttpHeaders.RETRY_AFTER, Math.max(1, (e.retryAfter().toMillis() + 999) / 1000));
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return body(400, describe(e)).build();
    }

    // Quarkus ships its own mappers for these two; ours answer with a detail instead.
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response mismatchedInput(MismatchedInputException e) {
        return body(400, describe(e)).build();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response invalidFormat(InvalidFormatException e) {
        return body(400, describe(e)).build();
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(ApiExceptionMappers::describe)
                .collect(Collectors.joining("; "));
        return body(422, detail.isEmpty() ? "Invalid request" : detail).build();
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, HttpServerRequest request) {
        return credentialProblem(request, "Missing, invalid, or revoked credential");
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, HttpServerRequest request) {
        return credentialProblem(request, "Missing, invalid, or revoked credential");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        if (identity != null && identity.hasRole(Caller.ROLE_API)) {
            return body(403, API_KEY_REFUSED).build();
        }
        return body(403, "This credential is not allowed to use this endpoint").build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("Request failed", e);
            return body(status, "Internal server error").build();
        }
        return body(status, clientDetail(status)).build();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        if (TransientFailures.isTransient(e)) {
            // the database or the network is unavailable for now (e.g. out of connections, failing over): the
            // request changed nothing and may be sent again
            LOG.warnf("Temporarily unavailable: %s", e.toString());
            return body(503, "Temporarily unavailable: try again shortly").header("Retry-After", "1").build();
        }
        if (DataExceptions.isDataException(e)) {
            // a value the database cannot take (NUL in text, a number or time out of range): the routes' own checks
            // (TextGuard) name the field; this is the net under them. The transaction rolled back.
            LOG.warnf("A request carried a value the database refused: %s", DataExceptions.describe(e));
            return body(400, "The request holds a value that cannot be stored (a control character, broken "
                    + "Unicode text, or a number or time out of range)").build();
        }
        LOG.error("Unexpected failure", e);
        return body(500, "Internal server error").build();
    }

    /**
     * 401, except for an API key where this service does not take keys at all: that is a valid kind of credential
     * on the wrong route, 403.
     */
    private Response credentialProblem(HttpServerRequest request, String detail) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && ApiKeys.looksLikeKey(authorization.substring(7).trim())) {
            if (!apiKeys.enabled()) {
                return body(403, API_KEY_REFUSED).build();
            }
            detail = "Invalid or revoked API key";
        }
        return body(401, detail).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    static Response.ResponseBuilder body(int status, String detail) {
        // a detail may quote the client's input: broken surrogates could not be written as JSON
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(TextGuard.sanitize(detail, true)));
    }

    private static String clientDetail(int status) {
        return switch (status) {
            case 400 -> "Malformed request";
            case 401 -> "Missing, invalid, or revoked credential";
            case 403 -> "This credential is not allowed to use this endpoint";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable: this API answers application/json";
            case 415 -> "Unsupported media type: send application/json";
            default -> "Request failed";
        };
    }

    private static String describe(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        int dot = path.lastIndexOf('.');
        String field = dot >= 0 ? path.substring(dot + 1) : path;
        return field.isEmpty() ? violation.getMessage() : field + ": " + violation.getMessage();
    }

    private static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field '" + unknown.getPropertyName() + "'";
        }
        if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
            String field = fieldPath((JsonMappingException) e);
            return field.isEmpty() ? "Request body has the wrong shape" : "Field '" + field + "' has the wrong type";
        }
        if (e instanceof JsonMappingException mapping && !fieldPath(mapping).isEmpty()) {
            // e.g. an enum's creator refused the value
            return "Field '" + fieldPath(mapping) + "' has a value that is not allowed";
        }
        return "Malformed JSON body";
    }

    private static String fieldPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
