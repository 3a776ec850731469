package com.fetchsms.catalog.domain;

import java.time.Instant;
import java.util.List;

/**
 * A number's record as operators see it: its state, the reports of its rental, and one entry per service it was
 * reserved for ({@link ServiceHealth}), by service id.
 */
public record NumberHealth(
        String number,
        String display,
        String state,
        int rentalReports,
        Instant retiredAt,
        List<ServiceHealth> services) {
}
