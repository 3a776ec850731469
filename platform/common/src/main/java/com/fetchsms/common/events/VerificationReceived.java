package com.fetchsms.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A code was released to the buyer of a verification. Key: {@code verification_id}. Carries the code only, never the
 * message body. Consumers: webhook (delivers {@code sms.received}), catalog (records that the number served the
 * service and frees the reservation).
 */
public record VerificationReceived(
        UUID verificationId,
        UUID accountId,
        String ref,
        int serviceId,
        String service,
        String serviceName,
        String number,
        String sender,
        String code,
        Instant receivedAt) implements EventPayload {

    @Override
    public String key() {
        return verificationId.toString();
    }
}
