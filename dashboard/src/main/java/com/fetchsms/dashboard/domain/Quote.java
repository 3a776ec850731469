package com.fetchsms.dashboard.domain;

/**
 * An itemised price ({@code GET /v1/services/quote}): what the dashboard reads of it is the area-code surcharge and the
 * total.
 */
public record Quote(String service, String mode, Integer days, int surchargeCents, int totalCents) {
}
