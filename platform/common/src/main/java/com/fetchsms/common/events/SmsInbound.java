package com.fetchsms.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A de-duplicated (and, if multipart, reassembled) inbound SMS. Key: {@code number}, the receiving number in E.164,
 * so all messages of one number arrive in order. {@code detected_service} is the catalog slug the message is for
 * ({@code null} when none was recognised) and {@code detected_service_name} its display name ("Telegram"), {@code code}
 * the extracted code ({@code null} when none). Producer:
 * sms-ingest. Consumers: verification (releases the code only to a waiting verification of that number whose
 * service equals {@code detected_service}), rental (stores every message of a rented number).
 */
public record SmsInbound(
        UUID messageId,
        String number,
        String sender,
        String body,
        String detectedService,
        String detectedServiceName,
        String code,
        UUID gatewayId,
        Instant receivedAt) implements EventPayload {

    @Override
    public String key() {
        return number;
    }
}
