package com.fetchsms.common.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A rental reached the end of its term. Key: {@code rental_id}. {@code code_received} tells the wallet whether to
 * refund (only when no code ever arrived); {@code services_used} lists the service slugs detected on the number during
 * the term, so the catalog never offers it again for those services. Consumers: wallet, catalog, webhook.
 */
public record RentalExpired(
        UUID rentalId,
        UUID accountId,
        String ref,
        String number,
        boolean codeReceived,
        List<String> servicesUsed,
        long costCents,
        Instant expiredAt) implements EventPayload {

    public RentalExpired {
        servicesUsed = servicesUsed == null ? List.of() : List.copyOf(servicesUsed);
    }

    @Override
    public String key() {
        return rentalId.toString();
    }
}
