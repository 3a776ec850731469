package com.fetchsms.ingest.rest;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.input.TextGuard;
import com.fetchsms.ingest.config.IngestConfig;
import com.fetchsms.ingest.domain.Gateway;
import com.fetchsms.ingest.domain.InboundSms;
import com.fetchsms.ingest.service.GatewayCredentials;
import com.fetchsms.ingest.service.GatewayService;
import com.fetchsms.ingest.service.IngestService;

import io.smallrye.mutiny.Uni;

/**
 * android-sms-gateway (sms-gate.app) webhooks. Register
 * {@code POST https://<host>/v1/ingest/android-sms-gateway/<gateway id>?to=<the phone's number>} for the event
 * {@code sms:received} (with two SIMs: {@code ?sim1=<number>&sim2=<number>}, matched against the payload's
 * {@code simNumber}), and enter the gateway's {@code signing_key} as the app's webhook signing key. Each call is
 * authenticated by its {@code X-Signature} (hex HMAC-SHA256 of the raw body followed by {@code X-Timestamp}); a
 * timestamp older than {@code fetchsms.ingest.signature-max-age} is a replay and refused. The app's message ids are
 * content hashes, not unique: duplicates are found by content. Other events ({@code system:ping}, {@code sms:sent}, …)
 * are acknowledged and ignored.
 */
@Path("/v1/ingest/android-sms-gateway/{gatewayId}")
@Produces(MediaType.APPLICATION_JSON)
public class AndroidSmsGatewayResource {

    static final String ADAPTER = "android-sms-gateway";
    static final String NOT_AN_EVENT = "The body must be a webhook event object";
    private static final Logger LOG = Logger.getLogger(AndroidSmsGatewayResource.class);

    /**
     * A webhook call's body, in the app's own (camelCase) format: {@code {id, event, payload, …}}. Only the fields this
     * route uses are declared; the others are ignored (the app adds fields over its versions). {@code id} is the
     * event's id, unique per event and kept when the app retries a delivery. A scalar where a text belongs is read as
     * its text; an object or an array there is 400 naming the field.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    public record WebhookEvent(
            @JsonDeserialize(using = GatewayJson.ScalarText.class) String id,
            @JsonDeserialize(using = GatewayJson.ScalarText.class) String event,
            Received payload) {
    }

    /**
     * The payload of {@code sms:received} (other events' payloads are not read): the text, the sender, which SIM
     * received it ({@code simNumber}: 1, 2, …; ignored when it is not a number) and when.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    public record Received(
            @JsonDeserialize(using = GatewayJson.ScalarText.class) String message,
            @JsonDeserialize(using = GatewayJson.ScalarText.class) String phoneNumber,
            @JsonDeserialize(using = GatewayJson.OptionalInt.class) Integer simNumber,
            @JsonDeserialize(using = GatewayJson.ScalarText.class) String receivedAt) {

        static final Received NONE = new Received(null, null, null, null);
    }

    private final GatewayService gateways;
    private final GatewayCredentials credentials;
    private final IngestService ingest;
    private final IngestConfig config;
    private final ObjectMapper mapper;

    public AndroidSmsGatewayResource(GatewayService gateways, GatewayCredentials credentials, IngestService ingest,
            IngestConfig config, ObjectMapper mapper) {
        this.gateways = gateways;
        this.credentials = credentials;
        this.ingest = ingest;
        this.config = config;
        this.mapper = mapper;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<RestResponse<Object>> webhook(@RestPath String gatewayId, byte[] body,
            @RestHeader("X-Signature") String signature, @RestHeader("X-Timestamp") String timestamp,
            UriInfo uri) {
        UUID id;
        try {
            id = UUID.fromString(gatewayId);
        } catch (IllegalArgumentException e) {
            throw ApiException.unauthorized("Invalid signature");
        }
        checkTimestamp(timestamp);
        if (signature == null || signature.isBlank()) {
            throw ApiException.unauthorized("X-Signature is required: set the gateway's signing key in the app");
        }
        byte[] raw = body == null ? new byte[0] : body;
        return gateways.find(id).chain(gateway -> {
            if (!credentials.androidSignatureValid(gateway.id(), gateway.credentialVersion(), raw, timestamp.strip(),
                    signature)) {
                throw ApiException.unauthorized("Invalid signature");
            }
            return gateways.seen(gateway).chain(() -> handle(gateway, raw, uri));
        });
    }

    private Uni<RestResponse<Object>> handle(Gateway gateway, byte[] body, UriInfo uri) {
        WebhookEvent event;
        try {
            event = mapper.readValue(body, WebhookEvent.class);
        } catch (MismatchedInputException e) {
            if (e.getPath().isEmpty()) {
                // nothing, or no object: an array, a number, a string
                throw ApiException.badRequest(NOT_AN_EVENT);
            }
            // a field of the wrong type: 400 naming it (payload.phoneNumber)
            return Uni.createFrom().failure(e);
        } catch (JsonMappingException e) {
            return Uni.createFrom().failure(e);
        } catch (IOException e) {
            throw ApiException.badRequest("The body is not JSON");
        }
        if (event == null) {
            throw ApiException.badRequest(NOT_AN_EVENT);
        }
        String type = event.event() == null ? "" : event.event();
        if (!"sms:received".equals(type)) {
            LOG.debugf("android-sms-gateway event %s from gateway %s ignored", type, gateway.id());
            return Uni.createFrom().item(RestResponse.ok(Map.of("ignored", type)));
        }
        Received payload = event.payload() == null ? Received.NONE : event.payload();
        String to = receivingNumber(payload, uri);
        // the event's id is unique and stays the same when the app retries a delivery (payload.messageId is a content
        // hash, not unique); a re-sent SMS under a new event id is still found by its content
        InboundSms sms = ingest.validate(InboundSms.text(ADAPTER, event.id(), true, to, payload.phoneNumber(),
                payload.message(), TextGuard.timestamp(payload.receivedAt(), "receivedAt", null, null)));
        return ingest.ingest(gateway, sms).map(result -> RestResponse.status(RestResponse.Status.ACCEPTED,
                (Object) result));
    }

    /** The SIM's number from the webhook URL: {@code ?simN=} for the payload's {@code simNumber}, else {@code ?to=}. */
    private static String receivingNumber(Received payload, UriInfo uri) {
        var query = uri.getQueryParameters();
        Integer sim = payload.simNumber();
        if (sim != null) {
            String bySim = query.getFirst("sim" + sim);
            if (bySim != null && !bySim.isBlank()) {
                return bySim;
            }
        }
        String to = query.getFirst("to");
        if (to == null || to.isBlank()) {
            throw ApiException.unprocessable("The webhook URL names no receiving number: add ?to=<E.164 number>"
                    + (sim != null ? " or ?sim" + sim + "=<number>" : ""));
        }
        return to;
    }

    private void checkTimestamp(String timestamp) {
        long seconds;
        try {
            seconds = Long.parseLong(timestamp == null ? "" : timestamp.strip());
        } catch (NumberFormatException e) {
            throw ApiException.unauthorized("X-Timestamp (Unix seconds) is required");
        }
        long age = Math.abs(Instant.now().getEpochSecond() - Math.max(-1L << 40, Math.min(seconds, 1L << 40)));
        if (age > config.signatureMaxAge().toSeconds()) {
            throw ApiException.unauthorized("X-Timestamp is too far from now: a stale or replayed request");
        }
    }
}
