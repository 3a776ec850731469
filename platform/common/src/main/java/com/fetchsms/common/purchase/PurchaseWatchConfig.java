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
}
