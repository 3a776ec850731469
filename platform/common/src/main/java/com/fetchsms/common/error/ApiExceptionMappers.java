package com.fetchsms.common.error;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.JsonMappingException;

import com.fetchsms.common.input.TextGuard;
import com.fetchsms.common.security.ApiKeys;
import com.fetchsms.common.security.ApiKeysConfig;
import com.fetchsms.common.security.Caller;
import com.fetchsms.common.validation.BadRequest;
import com.fetchsms.common.validation.TypeHint;

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
    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE = (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    @Inject
    ApiKeysConfig apiKeys;
    @Inject
    SecurityIdentity identity;

    private static final String API_KEY_REFUSED = "API keys are not accepted here; use a dashboard session token";

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return answer(e);
    }

    /** The answer to an {@link ApiException} (also for a route's own exception mapper). */
    public static Response answer(ApiException e) {
        Response.ResponseBuilder builder = body(e.status(), e.detail(), e.priceCents());
        if (e.retryAfter() != null) {
            builder.header(HttpHeaders.RETRY_AFTER, Math.max(1, (e.retryAfter().toMillis() + 999) / 1000));
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return jsonProblem(e);
    }

    // Quarkus ships its own mappers for these two; ours answer with a detail instead.
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response mismatchedInput(MismatchedInputException e) {
        return jsonProblem(e);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response invalidFormat(InvalidFormatException e) {
        return jsonProblem(e);
    }

    /**
     * A request body that broke its DTO's constraints: one sentence per field, naming it as the client sends it
     * ({@code 'area_code' must be …}). 400 when a violation is a malformed request ({@link BadRequest}: a missing
     * field, a control character), else 422.
     */
    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        return violations(e.getConstraintViolations());
    }

    /** The answer to a set of violations (also used by routes that validate a body themselves). */
    public static Response violations(Set<? extends ConstraintViolation<?>> violations) {
        boolean answerBroken = violations.stream().anyMatch(v -> StreamSupport
                .stream(v.getPropertyPath().spliterator(), false)
                .anyMatch(node -> node.getKind() == ElementKind.RETURN_VALUE));
        if (answerBroken) {
            // the server's own answer broke its contract: not the client's mistake
            LOG.errorf("A response violated its constraints: %s", violations);
            return body(500, "Internal server error").build();
        }
        ApiException refusal = refusal(violations);
        return body(refusal.status(), refusal.detail()).build();
    }

    /**
     * The refusal of a request body (or of one item of a batch, validated on its own) that broke its constraints: one
     * sentence per field naming it as the client sends it, 400 when a violation is a malformed request
     * ({@link BadRequest}), else 422. {@code violations} must not be empty.
     */
    public static ApiException refusal(Set<? extends ConstraintViolation<?>> violations) {
        Map<String, ConstraintViolation<?>> byField = new TreeMap<>();
        for (ConstraintViolation<?> violation : violations) {
            // one sentence per field: a malformed value first (a blank name is "required", not "too short")
            byField.merge(field(violation), violation, (a, b) -> !isBadRequest(a) && isBadRequest(b) ? b : a);
        }
        String detail = byField.entrySet().stream()
                .map(entry -> entry.getKey().isEmpty()
                        ? entry.getValue().getMessage()
                        : "'" + entry.getKey() + "' " + entry.getValue().getMessage())
                .collect(Collectors.joining("; "));
        boolean malformed = byField.values().stream().anyMatch(ApiExceptionMappers::isBadRequest);
        return new ApiException(malformed ? 400 : 422, detail.isEmpty() ? "Invalid request" : detail);
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
            return jsonProblem(json);
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
        return body(status, detail, null);
    }

    static Response.ResponseBuilder body(int status, String detail, Integer priceCents) {
        // a detail may quote the client's input: broken surrogates could not be written as JSON
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(TextGuard.sanitize(detail, true), priceCents));
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

    private static boolean isBadRequest(ConstraintViolation<?> violation) {
        return violation.getConstraintDescriptor().getPayload().contains(BadRequest.class)
                || violation.getConstraintDescriptor().getAnnotation().annotationType()
                        .isAnnotationPresent(BadRequest.Always.class);
    }

    /**
     * The field of a violation as the client spells it: the body's properties in snake_case, list positions in
     * brackets ({@code numbers[2]}); empty for a violation of a whole parameter (a missing body).
     */
    private static String field(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.isInIterable() && !field.isEmpty()) {
                // a position in a list (or a map's key) belongs to the container before it: numbers[2]
                field.append('[').append(node.getIndex() != null ? node.getIndex() : node.getKey()).append(']');
            }
            if (node.getKind() == ElementKind.PROPERTY && node.getName() != null) {
                // a method, its parameter (the body), a container element: the names of no field
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(SNAKE_CASE.translate(node.getName()));
            }
        }
        return field.toString();
    }

    /**
     * The answer to a body Jackson could not read as its type (also for routes that read a body themselves): 400
     * naming the field ({@code Field 'usages[0].key_id' must be …}), 422 for a number out of range or an enum's unknown
     * constant.
     */
    public static Response jsonProblem(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return body(400, "Unknown field '" + unknown.getPropertyName() + "'").build();
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = fieldPath(mapping);
            if (hasCause(e, InputCoercionException.class)) {
                // an integer too large for its field: well-formed JSON, a value out of range
                return body(422, "Field '" + field + "' is out of range").build();
            }
            if (e instanceof InvalidFormatException invalid && invalid.getTargetType() != null
                    && invalid.getTargetType().isEnum() && invalid.getValue() instanceof String) {
                // a text that names no constant: well-typed, unacceptable
                return body(422, "'" + field + "' must be one of "
                        + String.join(", ", jsonNames(invalid.getTargetType()))).build();
            }
            if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
                String hint = typeHint(mapping);
                return body(400, hint == null
                        ? "Field '" + field + "' has the wrong type"
                        : "Field '" + field + "' must be " + hint).build();
            }
        }
        if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
            return body(400, "Request body has the wrong shape").build();
        }
        return body(400, "Malformed JSON body").build();
    }

    /** The JSON spelling of an enum's constants ({@code @JsonProperty} on a constant, else {@code @JsonValue}). */
    static List<String> jsonNames(Class<?> type) {
        Method jsonValue = null;
        for (Method method : type.getMethods()) {
            if (method.isAnnotationPresent(JsonValue.class) && method.getParameterCount() == 0) {
                jsonValue = method;
            }
        }
        List<String> names = new ArrayList<>();
        for (Object constant : type.getEnumConstants()) {
            String name = ((Enum<?>) constant).name();
            try {
                JsonProperty property = type.getField(name).getAnnotation(JsonProperty.class);
                if (property != null) {
                    name = property.value();
                } else if (jsonValue != null) {
                    name = String.valueOf(jsonValue.invoke(constant));
                }
            } catch (ReflectiveOperationException e) {
                // the constant's own name, then
            }
            names.add(name);
        }
        return names;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The {@link TypeHint} of the field that failed (on the record component), else of its type. */
    private static String typeHint(JsonMappingException e) {
        JsonMappingException.Reference last = e.getPath().get(e.getPath().size() - 1);
        Object from = last.getFrom();
        Class<?> owner = from instanceof Class<?> type ? type : from == null ? null : from.getClass();
        if (owner != null && owner.isRecord() && last.getFieldName() != null) {
            for (RecordComponent component : owner.getRecordComponents()) {
                if (SNAKE_CASE.translate(component.getName()).equals(last.getFieldName())
                        || component.getName().equals(last.getFieldName())) {
                    TypeHint hint = component.getAnnotation(TypeHint.class);
                    if (hint != null) {
                        return hint.value();
                    }
                }
            }
        }
        Class<?> target = e instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        if (target != null && target.getAnnotation(TypeHint.class) != null) {
            return target.getAnnotation(TypeHint.class).value();
        }
        if (target != null && target.isEnum()) {
            return "one of " + String.join(", ", jsonNames(target));
        }
        return null;
    }

    /** The JSON path of a failure as the client spells it: {@code events[1]}, {@code usages[0].key_id}. */
    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
