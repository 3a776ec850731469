package com.fetchsms.catalog.config;

import jakarta.validation.constraints.Min;

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

    /** Automatic retirement of numbers that do not work (decision 0022). */
    Retirement retirement();

    /** The sandbox's numbers, which only test keys' purchases are given. */
    SandboxNumbers sandbox();

    /** {@code fetchsms.catalog.sandbox.*} */
    interface SandboxNumbers {

        /**
         * The area codes of the sandbox numbers: each gets the lines 555-0100 to 555-0199, stocked at start (state
         * {@code sandbox}). A sandbox reservation is given a number of these area codes only; a code taken out of the
         * list leaves its numbers in the inventory, no longer given out.
         */
        @WithDefault("201,305,512")
        java.util.List<String> areaCodes();
    }

    /** {@code fetchsms.catalog.retirement.*} */
    interface Retirement {

        /**
         * Failures in a row of a (number, service) pair that retire the number from the service: reports, and expiries
         * while other numbers of the service received codes. At least 1.
         */
        @WithDefault("3")
        @Min(1)
        int failures();

        /**
         * Reported rentals that retire the number as a whole. At least 1; a number is rented at most once (rentals
         * take only pristine numbers, decision 0005), so 1 is the only value that can be reached today.
         */
        @WithDefault("1")
        @Min(1)
        int rentalReports();
    }
}
