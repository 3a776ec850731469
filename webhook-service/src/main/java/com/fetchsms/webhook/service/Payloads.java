package com.fetchsms.webhook.service;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fetchsms.common.events.RentalExpired;
import com.fetchsms.common.events.RentalMessage;
import com.fetchsms.common.events.VerificationReceived;
import com.fetchsms.common.json.JsonConventions;
import com.fetchsms.common.phone.PhoneNumbers;
import com.fetchsms.webhook.domain.WebhookEvents;

/**
 * The webhook bodies, field for field as webhook-service's README documents them: {@code {event, data, created_at}}, numbers as
 * customers see them ({@code (332) 555-0184}), instants in whole seconds. Built once per event and stored as text, so
 * every attempt sends (and signs) the same bytes.
 */
public final class Payloads {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Payloads() {
    }

    /** {@code verification.received} → {@code sms.received}: the code only, never the body. */
    public static String smsReceived(VerificationReceived e, Instant createdAt) {
        ObjectNode data = MAPPER.createObjectNode();
        data.put("verification_id", e.verificationId().toString());
        data.put("ref", e.ref());
        data.put("number", display(e.number()));
        data.put("sender", e.sender());
        data.put("code", e.code());
        data.put("detected_service", e.serviceName());
        data.put("received_at", time(e.receivedAt()));
        return envelope(WebhookEvents.SMS_RECEIVED, data, createdAt);
    }

    /** {@code rental.message} → {@code sms.received}: {@code rental_id} instead of the verification, and the body. */
    public static String smsReceived(RentalMessage e, Instant createdAt) {
        ObjectNode data = MAPPER.createObjectNode();
        data.put("rental_id", e.rentalId().toString());
        data.put("ref", e.ref());
        data.put("number", display(e.number()));
        data.put("sender", e.sender());
        data.put("code", e.code());
        data.put("body", e.body());
        // the display name, as the API reference shows it ("Telegram"); the slug when the SMS carried no name
        data.put("detected_service", e.detectedServiceName() != null ? e.detectedServiceName() : e.detectedService());
        data.put("received_at", time(e.receivedAt()));
        return envelope(WebhookEvents.SMS_RECEIVED, data, createdAt);
    }

    /** {@code rental.expired}: {@code rental_id, ref, number}. */
    public static String rentalExpired(RentalExpired e, Instant createdAt) {
        ObjectNode data = MAPPER.createObjectNode();
        data.put("rental_id", e.rentalId().toString());
        data.put("ref", e.ref());
        data.put("number", display(e.number()));
        return envelope(WebhookEvents.RENTAL_EXPIRED, data, createdAt);
    }

    /** The test event of {@code POST /v1/webhooks/{id}/test}. */
    public static String ping(UUID endpointId, Instant createdAt) {
        ObjectNode data = MAPPER.createObjectNode();
        data.put("webhook_id", endpointId.toString());
        return envelope(WebhookEvents.PING, data, createdAt);
    }

    private static String envelope(String event, ObjectNode data, Instant createdAt) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("event", event);
        root.set("data", data);
        root.put("created_at", time(createdAt));
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String display(String number) {
        return number != null && number.matches("\\+1\\d{10}") ? PhoneNumbers.display(number) : number;
    }

    private static String time(Instant instant) {
        return instant == null ? null : JsonConventions.format(instant);
    }
}
