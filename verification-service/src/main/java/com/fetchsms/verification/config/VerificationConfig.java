package com.fetchsms.verification.config;

import java.time.Duration;

import com.fetchsms.common.purchase.PurchaseConfig;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * verification-service settings ({@code fetchsms.verification.*}): those of every purchase product
 * ({@link PurchaseConfig}: expiry grace, clock skew, job intervals, recovery, page size) and the window.
 */
@ConfigMapping(prefix = "fetchsms.verification")
public interface VerificationConfig extends PurchaseConfig {

    /** How long a verification waits for its code (15 minutes, as documented). */
    @WithDefault("15m")
    Duration window();
}
