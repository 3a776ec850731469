package com.fetchsms.dashboard.domain;

import java.time.Instant;
import java.util.List;

/** How a number has done, per service it served ({@code GET /v1/admin/numbers/{number}/health}). */
public record NumberHealth(String number, String display, String state, int rentalReports, Instant retiredAt,
        List<ServiceHealth> services) {

    /** One service's record on the number. */
    public record ServiceHealth(int serviceId, String service, String serviceName, int codes, int reports,
            int expiries, int consecutiveFailures, Instant lastCodeAt, Instant lastFailureAt, Instant retiredAt,
            String retiredReason) {
    }
}
