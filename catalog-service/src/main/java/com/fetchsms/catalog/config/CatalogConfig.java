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
    @WithDefault("5")
    int reservationAttempts();

    /** Most numbers one {@code POST /v1/admin/numbers} may add. */
    @WithDefault("10000")
    int maxNumbersPerImport();
}
