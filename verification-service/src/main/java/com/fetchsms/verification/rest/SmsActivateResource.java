package com.fetchsms.verification.rest;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameters;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fetchsms.common.input.TextGuard;
import com.fetchsms.verification.domain.ProtocolAnswer;
import com.fetchsms.verification.service.SmsActivateService;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.smallrye.mutiny.Uni;

/**
 * The SMS-Activate compatible API (decision 0023): {@code GET} or {@code POST /stubs/handler_api.php} with
 * {@code api_key} (a FetchSMS API key), {@code action} and the action's parameters in the query string or a form body.
 * Answers are the protocol's plain-text words or JSON documents with HTTP 200; a rate-limited request is the
 * platform's 429 {@code {"detail"}}.
 */
@Path("/stubs/handler_api.php")
@PermitAll
@Tag(name = "SMS-Activate compatible API", description = "The SMS-Activate protocol over FetchSMS verifications: see docs/sms-activate.md")
public class SmsActivateResource {

    private static final int MAX_PARAMETER_LENGTH = 1000;

    private final SmsActivateService protocol;

    public SmsActivateResource(SmsActivateService protocol) {
        this.protocol = protocol;
    }

    @GET
    @Produces({MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
    @Operation(summary = "One action of the SMS-Activate protocol, parameters in the query string")
    @Parameters({
            @Parameter(name = "api_key", in = ParameterIn.QUERY, required = true, schema = @Schema(type = SchemaType.STRING), description = "A FetchSMS API key (fsk_…)"),
            @Parameter(name = "action", in = ParameterIn.QUERY, required = true, schema = @Schema(type = SchemaType.STRING, enumeration = {
                    "getBalance", "getNumber", "getNumberV2", "getStatus", "getStatusV2", "setStatus", "getPrices",
                    "getNumbersStatus", "getActiveActivations"})),
            @Parameter(name = "service", in = ParameterIn.QUERY, schema = @Schema(type = SchemaType.STRING), description = "getNumber, getNumberV2, getPrices: a service's activate_code (GET /v1/services)"),
            @Parameter(name = "country", in = ParameterIn.QUERY, schema = @Schema(type = SchemaType.STRING), description = "187 (the USA, also when absent); any other country has no numbers"),
            @Parameter(name = "maxPrice", in = ParameterIn.QUERY, schema = @Schema(type = SchemaType.STRING), description = "getNumber, getNumberV2: the most to pay, in dollars"),
            @Parameter(name = "id", in = ParameterIn.QUERY, schema = @Schema(type = SchemaType.STRING), description = "getStatus, getStatusV2, setStatus: the activation id"),
            @Parameter(name = "status", in = ParameterIn.QUERY, schema = @Schema(type = SchemaType.STRING, enumeration = {
                    "1", "3", "6", "8"}), description = "setStatus: 1 ready, 3 another code, 6 done, 8 cancel")})
    @APIResponse(responseCode = "200", description = "The protocol's answer: a word such as ACCESS_NUMBER:<id>:<number>, STATUS_OK:<code>, NO_BALANCE, BAD_KEY, or a JSON document", content = {
            @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT))})
    @APIResponse(responseCode = "429", description = "Above the API key's rate limit (shared with its REST requests): {\"detail\"}, and Retry-After says when to retry")
    public Uni<Response> get(UriInfo uri) {
        return answer(parameters(uri.getRequestUri().getRawQuery(), null));
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
    @Operation(summary = "One action of the SMS-Activate protocol, parameters in the query string or a form body (application/x-www-form-urlencoded); the same parameters and answers as GET")
    @APIResponse(responseCode = "200", description = "The protocol's answer, as for GET", content = {
            @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT))})
    @APIResponse(responseCode = "429", description = "Above the API key's rate limit; Retry-After says when to retry")
    public Uni<Response> post(UriInfo uri, HttpHeaders headers, byte[] body) {
        String form = null;
        MediaType type = headers.getMediaType();
        if (type != null && type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE) && body != null) {
            form = new String(body, StandardCharsets.UTF_8);
        }
        return answer(parameters(uri.getRequestUri().getRawQuery(), form));
    }

    private Uni<Response> answer(Map<String, String> parameters) {
        return protocol.handle(parameters).map(SmsActivateResource::response);
    }

    static Response response(ProtocolAnswer answer) {
        return Response.ok(answer.body(), answer.json()
                ? MediaType.APPLICATION_JSON_TYPE
                : MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).build();
    }

    /**
     * The query string's parameters, then the form body's (a form value wins); for a name given twice, the first.
     * A value that is not one clean line of text (control characters, broken UTF-16) or is very long is dropped, so
     * it reads as absent and is answered in the protocol's words ({@code BAD_KEY}, {@code BAD_SERVICE}, …).
     */
    static Map<String, String> parameters(String rawQuery, String form) {
        Map<String, String> parameters = new HashMap<>();
        add(parameters, rawQuery);
        add(parameters, form);
        return parameters;
    }

    private static void add(Map<String, String> parameters, String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        Map<String, List<String>> decoded;
        try {
            decoded = new QueryStringDecoder(encoded, StandardCharsets.UTF_8, false).parameters();
        } catch (IllegalArgumentException e) {
            return; // a broken %-escape: the whole part reads as absent
        }
        decoded.forEach((name, values) -> {
            String value = values.get(0);
            if (TextGuard.problem(value, false, MAX_PARAMETER_LENGTH) == null) {
                parameters.put(name, value);
            }
        });
    }
}
