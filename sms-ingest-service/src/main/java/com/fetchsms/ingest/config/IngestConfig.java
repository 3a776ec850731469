package com.fetchsms.ingest.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** sms-ingest-service settings ({@code fetchsms.ingest.*}). */
@ConfigMapping(prefix = "fetchsms.ingest")
public interface IngestConfig {

    /**
     * The same text from the same sender to the same number, received within this time of an earlier one, is a
     * duplicate (gateways resend; android-sms-gateway ids are not unique).
     */
    @WithDefault("10m")
    Duration dedupWindow();

    /** Parts of a concatenated SMS wait this long for their siblings; then they are kept as {@code incomplete}. */
    @WithDefault("30m")
    Duration reassemblyTimeout();

    /** A gateway's {@code received_at} further in the future than this is replaced by the time of ingestion. */
    @WithDefault("1m")
    Duration maxClockAhead();

    /** Largest batch on {@code POST /v1/ingest/messages/batch}. */
    @WithDefault("500")
    int maxBatch();

    /** Longest accepted SMS text (characters; a 10-part concatenated SMS is at most 1,530). */
    @WithDefault("5000")
    int maxTextLength();

    /** Raw messages and seen gateway ids are kept this long for audit, then purged. */
    @WithDefault("90d")
    Duration retention();

    /** How often parts past their reassembly timeout and records past retention are cleaned up. */
    @WithDefault("1m")
    Duration maintenanceInterval();

    /** A gateway's last-seen time is written at most this often per gateway. */
    @WithDefault("10s")
    Duration lastSeenResolution();

    /**
     * The master secret (base64, at least 32 bytes) from which each gateway's android-sms-gateway signing key is
     * derived ({@code FETCHSMS_INGEST_SIGNING_KEY}). Never committed for production.
     */
    String signingKey();

    /** android-sms-gateway: how far {@code X-Timestamp} may be from now (older requests are replays). */
    @WithDefault("5m")
    Duration signatureMaxAge();

    /**
     * A JSON file of service-detection rules that replaces the built-in {@code detection/services.json} (e.g. a
     * mounted ConfigMap); the format is that file's.
     */
    Optional<String> rulesFile();

    /**
     * Reports that arrive one per request (the native route and the adapters) while the same gateway's earlier
     * reports are being ingested wait and are ingested together, in one transaction (decision 0013).
     */
    Grouping grouping();

    /** {@code fetchsms.ingest.grouping.*}. */
    interface Grouping {

        /** Most reports ingested together in one transaction. */
        @WithDefault("100")
        int maxReports();

        /**
         * Transactions of one gateway's single reports in flight at once: a report that finds one free starts at
         * once; the others wait for the next.
         */
        @WithDefault("2")
        int maxInFlight();
    }

    /** The sandbox's simulated SMS ({@code POST /v1/sandbox/sms}). */
    SandboxSms sandbox();

    /** {@code fetchsms.ingest.sandbox.*}. */
    interface SandboxSms {

        /**
         * The sender of a simulated SMS that names none ({@code from} absent or blank). Service detection then goes by
         * the text alone, as for a carrier SMS from an unknown sender.
         */
        @WithDefault("Sandbox")
        String defaultSender();
    }

    /**
     * Look-ups at catalog-service of a number that the local copy of {@code inventory.numbers} does not show with the
     * reporting gateway (not there yet, or shown with another gateway or retired): decision 0013.
     */
    InventoryLookup inventoryLookup();

    /** {@code fetchsms.ingest.inventory-lookup.*}. */
    interface InventoryLookup {

        /**
         * How long catalog's answer for a number is reused, "unknown" and "another gateway's" included (a flood of
         * SMS for numbers nobody stocked costs one call per number and period). The local copy is read first, so a
         * number that reaches it is served at once whatever is cached.
         */
        @WithDefault("5s")
        Duration cacheTtl();

        /** Most numbers whose answer is kept. */
        @WithDefault("10000")
        int cacheSize();

        /** Most calls to catalog-service in flight at once; past that, a report that needs one is answered 503. */
        @WithDefault("4")
        int maxConcurrentCalls();

        /** Timeout of one call; past it the report is answered 503 (modem gateways retry 5xx). */
        @WithDefault("2s")
        Duration timeout();

        /** {@code Retry-After} of a 503 answered because catalog-service could not be asked. */
        @WithDefault("5s")
        Duration retryAfter();
    }
}
