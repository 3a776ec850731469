package com.fetchsms.common.contract;

/**
 * One active service of catalog-service's {@code GET /v1/services}, with the fields other services read: its id, slug,
 * name, code in the SMS-Activate compatible API, price of a verification and numbers in stock for it.
 */
public record ServiceListing(int id, String slug, String name, String activateCode, int priceCents,
        long shortAvailable) {
}
