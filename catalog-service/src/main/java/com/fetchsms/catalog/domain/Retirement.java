package com.fetchsms.catalog.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * An automatic retirement (decision 0022): of a number from one service ({@code reason} {@code consecutive_failures})
 * or of the whole number ({@code rental_reported}, {@code service_id} null), with the counts that caused it, the
 * purchase whose failure tipped it, and when an operator undid it ({@code undone_at}, service retirements only).
 */
public record Retirement(
        long id,
        String number,
        String display,
        Integer serviceId,
        String service,
        String reason,
        UUID purchaseId,
        int consecutiveFailures,
        int reports,
        int expiries,
        int rentalReports,
        Instant retiredAt,
        Instant undoneAt) {

    public static final String CONSECUTIVE_FAILURES = "consecutive_failures";
    public static final String RENTAL_REPORTED = "rental_reported";
}
