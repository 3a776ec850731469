package com.fetchsms.catalog.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.catalog.config.CatalogConfig;
import com.fetchsms.catalog.domain.CatalogEntry;
import com.fetchsms.common.contract.PurchaseMode;
import com.fetchsms.catalog.domain.Pricing;
import com.fetchsms.catalog.domain.Quote;
import com.fetchsms.catalog.domain.ServiceAvailability;
import com.fetchsms.catalog.domain.ServiceRef;
import com.fetchsms.catalog.repository.NumberRepository;
import com.fetchsms.catalog.repository.ServiceRepository;
import com.fetchsms.common.error.ApiException;
import com.fetchsms.common.purchase.RentalTerms;
import com.fetchsms.common.input.TextGuard;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/** The public catalog: what is sold, at what price, with how much stock; and its administration. */
@ApplicationScoped
public class CatalogService {

    private final Pool pool;
    private final ServiceRepository services;
    private final NumberRepository numbers;
    private final CatalogConfig config;

    public CatalogService(Pool pool, ServiceRepository services, NumberRepository numbers, CatalogConfig config) {
        this.pool = pool;
        this.services = services;
        this.numbers = numbers;
        this.config = config;
    }

    private volatile Uni<List<ServiceAvailability>> cachedList;

    /** Every active service in display order, with live stock (at most {@code stock-cache-ttl} old). */
    public Uni<List<ServiceAvailability>> list() {
        if (config.stockCacheTtl().isZero()) {
            return computeList();
        }
        Uni<List<ServiceAvailability>> cached = cachedList;
        if (cached == null) {
            cached = computeList().memoize().atLeast(config.stockCacheTtl());
            cachedList = cached;
        }
        return cached;
    }

    private Uni<List<ServiceAvailability>> computeList() {
        return Uni.combine().all()
                .unis(services.listActive(pool), numbers.shortAvailability(pool), numbers.pristineCount(pool),
                        services.longTermPrices(pool))
                .with((entries, shortStock, pristine, longPrices) -> {
                    List<ServiceAvailability> result = new ArrayList<>();
                    for (CatalogEntry entry : entries) {
                        Map<String, Integer> prices = new LinkedHashMap<>();
                        if (entry.isLongTerm()) {
                            longPrices.forEach((days, cents) -> prices.put(days.toString(), cents));
                        }
                        long shortAvailable = entry.isLongTerm()
                                ? 0
                                : Math.max(0, shortStock.getOrDefault(entry.id(), 0L));
                        result.add(new ServiceAvailability(entry.id(), entry.slug(), entry.name(), entry.activateCode(),
                                entry.priceCents(),
                                prices, shortAvailable, pristine));
                    }
                    return result;
                });
    }

    /** Area codes with stock for the mode (and, for short, the service if one is given). */
    public Uni<List<String>> areaCodes(PurchaseMode mode, ServiceRef ref) {
        if (mode == PurchaseMode.LONG) {
            Uni<?> check = ref == null ? Uni.createFrom().voidItem() : resolve(pool, ref, PurchaseMode.LONG);
            return check.chain(() -> numbers.areaCodesPristine(pool));
        }
        if (ref == null) {
            return numbers.areaCodesShort(pool);
        }
        return resolve(pool, ref, PurchaseMode.SHORT).chain(entry -> numbers.areaCodesForService(pool, entry.id()));
    }

    public Uni<Quote> quote(ServiceRef ref, PurchaseMode mode, Integer days, boolean customAreaCode) {
        return resolve(pool, ref, mode).chain(entry -> price(pool, entry, mode, days, customAreaCode));
    }

    /** The price of a purchase. */
    public Uni<Quote> price(SqlClient db, CatalogEntry entry, PurchaseMode mode, Integer days, boolean customAreaCode) {
        return price(db, entry, mode, days, customAreaCode, null);
    }

    /**
     * The price of a purchase, also used by reservations; {@code termCents} is the total of a rental's term when the
     * caller has already read it (null: read from the long-term table).
     */
    public Uni<Quote> price(SqlClient db, CatalogEntry entry, PurchaseMode mode, Integer days, boolean customAreaCode,
            Integer termCents) {
        int surcharge = customAreaCode ? config.areaCodeSurchargeCents() : 0;
        if (mode == PurchaseMode.SHORT) {
            if (days != null) {
                throw ApiException.unprocessable("'days' applies only to long-term rentals (mode=long)");
            }
            return Uni.createFrom().item(Pricing.shortTerm(entry, surcharge));
        }
        if (days == null) {
            throw ApiException.unprocessable("'days' is required for a long-term rental: " + RentalTerms.TEXT);
        }
        if (termCents != null) {
            return Uni.createFrom().item(Pricing.longTerm(entry, days, termCents, surcharge));
        }
        return services.longTermPrices(db).map(table -> {
            Integer term = table.get(days);
            if (term == null) {
                throw ApiException.unprocessable("Unsupported duration: " + days + " days. Choose one of "
                        + String.join(", ", table.keySet().stream().map(String::valueOf).toList()) + " days");
            }
            return Pricing.longTerm(entry, days, term, surcharge);
        });
    }

    /** Resolves a reference to an active entry sold in {@code mode}; 404 otherwise. */
    public Uni<CatalogEntry> resolve(SqlClient db, ServiceRef ref, PurchaseMode mode) {
        return services.find(db, ref).map(found -> check(found, ref, mode));
    }

    /** The entry found for {@code ref} if it is active and sold in {@code mode}; 404 otherwise. */
    public static CatalogEntry check(Optional<CatalogEntry> found, ServiceRef ref, PurchaseMode mode) {
        CatalogEntry entry = found.filter(CatalogEntry::active)
                .orElseThrow(() -> ApiException.notFound("Unknown service: " + ref));
        if (entry.product() != mode) {
            throw ApiException.notFound(mode == PurchaseMode.LONG
                    ? entry.name() + " is not sold as a long-term rental; use service 1 (unlimited-services)"
                    : entry.name() + " is the long-term rental product; use mode=long or POST /v1/rentals");
        }
        return entry;
    }

    public Uni<CatalogEntry> update(int id, String name, Integer priceCents, Boolean active) {
        TextGuard.singleLine(name, "name");
        if (name != null && (name.isBlank() || name.length() > 80)) {
            throw ApiException.unprocessable("'name' must be 1 to 80 characters");
        }
        if (priceCents != null && (priceCents < 1 || priceCents > 1_000_000)) {
            throw ApiException.unprocessable("'price_cents' must be between 1 and 1000000");
        }
        return services.update(pool, id, name == null ? null : name.trim(), priceCents, active)
                .map(updated -> updated.orElseThrow(() -> ApiException.notFound("Unknown service: " + id)));
    }
}
