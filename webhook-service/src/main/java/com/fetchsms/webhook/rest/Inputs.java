package com.fetchsms.webhook.rest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.input.TextGuard;
import com.fetchsms.common.security.Caller;
import com.fetchsms.webhook.domain.WebhookEvents;

import io.quarkus.security.identity.SecurityIdentity;

/** Input checks of the webhook routes: each refusal is a 4xx with a {@code detail}. */
final class Inputs {

    private static final int MAX_URL_LENGTH = 2048;

    private Inputs() {
    }

    static UUID accountId(SecurityIdentity session) {
        return Caller.of(session).accountId();
    }

    /** A path id; anything that is not a UUID names nothing (404). */
    static UUID pathId(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("No " + what + " " + id);
        }
    }

    static JsonNode body(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            throw ApiException.badRequest("A JSON body is required: {url, events?}");
        }
        if (!body.isObject()) {
            throw ApiException.badRequest("The body must be a JSON object: {url, events?}");
        }
        return body;
    }

    static String url(JsonNode body) {
        JsonNode url = body.get("url");
        if (url == null || url.isNull()) {
            throw ApiException.badRequest("'url' is required");
        }
        if (!url.isTextual() || url.asText().isBlank()) {
            throw ApiException.badRequest("Field 'url' must be a non-empty string");
        }
        if (url.asText().length() > MAX_URL_LENGTH) {
            throw ApiException.unprocessable("Field 'url' is longer than " + MAX_URL_LENGTH + " characters");
        }
        return TextGuard.singleLine(url.asText().trim(), "url");
    }

    /** The subscribed events, in the order given without repeats; every subscribable event when absent. */
    static List<String> events(JsonNode body) {
        JsonNode events = body.get("events");
        if (events == null || events.isNull()) {
            return WebhookEvents.SUBSCRIBABLE;
        }
        if (!events.isArray()) {
            throw ApiException.badRequest("Field 'events' must be an array of event names");
        }
        Set<String> result = new LinkedHashSet<>();
        for (JsonNode event : events) {
            if (!event.isTextual()) {
                throw ApiException.badRequest("Field 'events' must be an array of event names");
            }
            if (!WebhookEvents.SUBSCRIBABLE.contains(event.asText())) {
                throw ApiException.unprocessable("Unknown event '" + event.asText() + "'; events are "
                        + String.join(", ", WebhookEvents.SUBSCRIBABLE));
            }
            result.add(event.asText());
        }
        if (result.isEmpty()) {
            throw ApiException.unprocessable("Field 'events' must name at least one event (or be omitted for all)");
        }
        return new ArrayList<>(result);
    }
}
