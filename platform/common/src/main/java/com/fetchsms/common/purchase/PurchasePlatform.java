package com.fetchsms.common.purchase;

import jakarta.inject.Singleton;

import com.fetchsms.common.client.CatalogClient;
import com.fetchsms.common.client.WalletClient;
import com.fetchsms.common.messaging.ArrivalWatermarks;
import com.fetchsms.common.outbox.Outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * What every purchase product uses of the platform, injected once: the service's database, catalog-service and
 * wallet-service, the outbox, the arrival watermarks of its SMS consumer, the metrics registry and the long polls' watch.
 */
@Singleton
public final class PurchasePlatform {

    final Pool pool;
    final CatalogClient catalog;
    final WalletClient wallet;
    final Outbox outbox;
    final ArrivalWatermarks watermarks;
    final MeterRegistry registry;
    final PurchaseWatch watch;

    public PurchasePlatform(Pool pool, CatalogClient catalog, WalletClient wallet, Outbox outbox,
            ArrivalWatermarks watermarks, MeterRegistry registry, PurchaseWatch watch) {
        this.pool = pool;
        this.catalog = catalog;
        this.wallet = wallet;
        this.outbox = outbox;
        this.watermarks = watermarks;
        this.registry = registry;
        this.watch = watch;
    }
}
