package com.fetchsms.webhook.service;

import java.time.Instant;
import java.util.regex.Pattern;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fetchsms.common.events.CancelReason;
import com.fetchsms.common.events.EventPayload;
import com.fetchsms.common.events.RentalCancelled;
import com.fetchsms.common.events.RentalExpired;
import com.fetchsms.common.events.RentalMessage;
import com.fetchsms.common.events.VerificationCancelled;
import com.fetchsms.common.events.VerificationExpired;
import com.fetchsms.common.events.VerificationReceived;
import com.fetchsms.common.events.WalletRefunded;
import com.fetchsms.common.json.JsonConventions;
import com.fetchsms.common.phone.PhoneNumbers;
import com.fetchsms.webhook.domain.AccountEvent;
import com.fetchsms.webhook.domain.StreamEvents;
import com.fetchsms.webhook.domain.WebhookEvents;

/**
 * The webhook bodies, field for field as webhook-service's README documents them: {@code {event, data, created_at}}, numbers as
 * customers see them ({@code (332) 555-0184}), instants in whole seconds. Built once per event and stored as text, so
 * every attempt sends (and signs) the same bytes.
 */
public final class Payloads {

    private static final Pattern US_E164 = Pattern.compile("\\+1\\d{10}");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The wallet's refund reasons name the purchase's kind first: {@code rental_cancelled}, {@code verification_…}. */
    private static final String RENTAL_REASON = "rental_";

    private Payloads() {
    }

    /** {@code verification.received} → {@code sms.received}: the code only, never the body. */
    public static String smsReceived(VerificationReceived e, Instant createdAt) {
        return envelope(WebhookEvents.SMS_RECEIVED, smsReceivedData(e), createdAt);
    }

    private static ObjectNode smsReceivedData(VerificationReceived e) {
        ObjectNode data = MAPPER.createObjectNode();
        data.put("verification_id", e.verificationId().toString());
        data.put("ref", e.ref());
        data.put("number", display(e.number()));
        data.put("sender", e.sender());
        data.put("code", e.code());
        data.put("detected_service", e.serviceName());
        data.put("received_at", time(e.receivedAt()));
        return data;
    }

    /** {@code rental.message} → {@code sms.received}: {@code rental_id} instead of the verification, and the body. */
    public static String smsReceived(RentalMessage e, Instant createdAt) {
        return envelope(WebhookEvents.SMS_RECEIVED, smsReceivedData(e), createdAt);
    }

    private static ObjectNode smsReceivedData(RentalMessage e) {
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
        return data;
    }

    /** {@code rental.expired}: {@code rental_id, ref, number}. */
    public static String rentalExpired(RentalExpired e, Instant createdAt) {
        return envelope(WebhookEvents.RENTAL_EXPIRED, rentalExpiredData(e), createdAt);
    }

    private static ObjectNode rentalExpiredData(RentalExpired e) {
        ObjectNode data = MAPPER.createObjectNode();
        data.put("rental_id", e.rentalId().toString());
        data.put("ref", e.ref());
        data.put("number", display(e.number()));
        return data;
    }

    /**
     * The event an account's stream ({@code GET /v1/events}) carries for a platform event, empty for an event it does
     * not carry. Its data is the webhook's {@code data} for {@code sms.received} and {@code rental.expired} (with
     * {@code expired_at} added), and for the purchases' other ends: {@code verification.cancelled}
     * {@code {verification_id, ref, number, service, reason, cancelled_at}}, {@code verification.expired}
     * {@code {verification_id, ref, number, service, expired_at}}, {@code rental.cancelled}
     * {@code {rental_id, ref, number, reason, cancelled_at}}.
     */
    public static Optional<AccountEvent> streamEvent(EventPayload payload) {
        if (payload instanceof VerificationReceived e) {
            return stream(e.accountId(), StreamEvents.SMS_RECEIVED, smsReceivedData(e));
        }
        if (payload instanceof RentalMessage e) {
            return stream(e.accountId(), StreamEvents.SMS_RECEIVED, smsReceivedData(e));
        }
        if (payload instanceof RentalExpired e) {
            return stream(e.accountId(), StreamEvents.RENTAL_EXPIRED,
                    rentalExpiredData(e).put("expired_at", time(e.expiredAt())));
        }
        if (payload instanceof VerificationCancelled e) {
            ObjectNode data = MAPPER.createObjectNode();
            data.put("verification_id", e.verificationId().toString());
            data.put("ref", e.ref());
            data.put("number", display(e.number()));
            data.put("service", e.service());
            data.put("reason", reason(e.reason()));
            data.put("cancelled_at", time(e.cancelledAt()));
            return stream(e.accountId(), StreamEvents.VERIFICATION_CANCELLED, data);
        }
        if (payload instanceof VerificationExpired e) {
            ObjectNode data = MAPPER.createObjectNode();
            data.put("verification_id", e.verificationId().toString());
            data.put("ref", e.ref());
            data.put("number", display(e.number()));
            data.put("service", e.service());
            data.put("expired_at", time(e.expiredAt()));
            return stream(e.accountId(), StreamEvents.VERIFICATION_EXPIRED, data);
        }
        if (payload instanceof RentalCancelled e) {
            ObjectNode data = MAPPER.createObjectNode();
            data.put("rental_id", e.rentalId().toString());
            data.put("ref", e.ref());
            data.put("number", display(e.number()));
            data.put("reason", reason(e.reason()));
            data.put("cancelled_at", time(e.cancelledAt()));
            return stream(e.accountId(), StreamEvents.RENTAL_CANCELLED, data);
        }
        if (payload instanceof WalletRefunded e) {
            return stream(e.accountId(), StreamEvents.WALLET_REFUNDED, refundData(e));
        }
        return Optional.empty();
    }

    /**
     * A refund as the stream tells it: the purchase by its kind's id field and the wallet's reason split into that kind
     * and what happened ({@code verification_expired} → {@code verification_id}, {@code reason: expired}).
     */
    private static ObjectNode refundData(WalletRefunded e) {
        ObjectNode data = MAPPER.createObjectNode();
        String reason = e.reason() == null ? "" : e.reason();
        String kind = reason.startsWith(RENTAL_REASON) ? "rental" : "verification";
        data.put(kind + "_id", e.purchaseId().toString());
        data.put("amount_cents", e.amountCents());
        data.put("balance_cents", e.balanceAfterCents());
        data.put("reason", reason.substring(reason.indexOf('_') + 1));
        data.put("refunded_at", time(e.refundedAt()));
        return data;
    }

    private static Optional<AccountEvent> stream(UUID accountId, String type, ObjectNode data) {
        return Optional.of(new AccountEvent(accountId, type, json(data)));
    }

    private static String reason(CancelReason reason) {
        return reason == CancelReason.REPORTED ? "reported" : "customer";
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
        return json(root);
    }

    private static String json(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String display(String number) {
        return number != null && US_E164.matcher(number).matches() ? PhoneNumbers.display(number) : number;
    }

    private static String time(Instant instant) {
        return instant == null ? null : JsonConventions.format(instant);
    }
}
