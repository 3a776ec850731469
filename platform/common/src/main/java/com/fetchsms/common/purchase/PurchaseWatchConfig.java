package com.fetchsms.common.purchase;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Long polls of purchases ({@code fetchsms.purchase-watch.*}, {@link PurchaseWatch}). */
@ConfigMapping(prefix = "fetchsms.purchase-watch")
public interface PurchaseWatchConfig {

    /** The longest {@code wait} a request may ask for. */
    @WithDefault("60s")
    Duration maxWait();

    /** Requests that may wait at once in one replica; past that a request is answered at once. */
    @WithDefault("10000")
    int maxWaiters();

    /**
     * Whether this service reads its product's events to answer its long polls ({@link PurchaseChangeListener}):
     * read when the service is built, true only in the two purchase services.
     */
    @WithDefault("false")
    boolean listen();
}
