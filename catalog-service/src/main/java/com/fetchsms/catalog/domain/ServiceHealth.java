package com.fetchsms.catalog.domain;

import java.time.Instant;

/**
 * How a number has done for one service (decision 0022): codes it delivered, failures counted against it (reports by
 * buyers, expiries while other numbers of the service received codes), the current run of failures, and its
 * retirement from the service ({@code retired_at} null: it is sold for the service).
 */
public record ServiceHealth(
        int serviceId,
        String service,
        String serviceName,
        int codes,
        int reports,
        int expiries,
        int consecutiveFailures,
        Instant lastCodeAt,
        Instant lastFailureAt,
        Instant retiredAt,
        String retiredReason) {
}
