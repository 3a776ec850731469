package com.fetchsms.webhook.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The account event stream, {@code GET /v1/events} ({@code fetchsms.events.*}, decision 0020). */
@ConfigMapping(prefix = "fetchsms.events")
public interface EventStreamConfig {

    /** Open streams per account over every replica; one more is a 429. */
    @WithDefault("5")
    int maxStreamsPerAccount();

    /**
     * The comment line ({@code : heartbeat}) every open stream gets this often, so proxies keep the connection; also
     * how often a replica renews its streams' slots and catches up a stream that missed a wake-up.
     */
    @WithDefault("15s")
    Duration heartbeat();

    /** The reconnection delay a stream tells its client first ({@code retry:}), and the 429's {@code Retry-After}. */
    @WithDefault("3s")
    Duration reconnectDelay();

    /** How long events are kept for a reconnect with {@code Last-Event-ID}. */
    @WithDefault("24h")
    Duration retention();

    /** How often the events older than the retention are deleted. */
    @WithDefault("10m")
    Duration pruneInterval();

    /** Events read from the log at once (a replay is read in pages of this size). */
    @WithDefault("200")
    int pageSize();

    /**
     * Messages a stream may have waiting for a slow client; past that the stream is closed and the client resumes
     * from its last id.
     */
    @WithDefault("1000")
    int maxQueued();
}
