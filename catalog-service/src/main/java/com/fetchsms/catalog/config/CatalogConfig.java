package com.fetchsms.catalog.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** catalog-service settings ({@code fetchsms.catalog.*}). */
@ConfigMapping(prefix = "fetchsms.catalog")
public interface CatalogConfig {

    /** Flat surcharge for choosing an area code, on either product (cents). */
    @WithDefault("10")
    int areaCodeSurchargeCents();

    /** Attempts to find a free number when concurrent reservations take the candidates first. */
    @WithDefault("10")
    int reservationAttempts();

    /**
     * How long the stock of {@code GET /v1/services} may be reused: the hot public route then costs one stock query
     * per period, not per request. 0 computes it every time.
     */
    @WithDefault("1s")
    java.time.Duration stockCacheTtl();

    /** Most numbers one {@code POST /v1/admin/numbers} may add. */
    @WithDefault("10000")
    int maxNumbersPerImport();
}
