package com.fetchsms.catalog.repository;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fetchsms.catalog.domain.CatalogEntry;
import com.fetchsms.common.contract.PurchaseMode;
import com.fetchsms.catalog.domain.ServiceRef;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The {@code service} and {@code long_term_price} tables. */
@ApplicationScoped
public class ServiceRepository {

    private static final String COLUMNS = "id, slug, name, price_cents, product, display_order, active, activate_code";

    public Uni<List<CatalogEntry>> listActive(SqlClient db) {
        return db.query("SELECT " + COLUMNS + " FROM service WHERE active ORDER BY display_order, id").execute()
                .map(ServiceRepository::toEntries);
    }

    /** Finds a service by id or slug, active or not. */
    public Uni<Optional<CatalogEntry>> find(SqlClient db, ServiceRef ref) {
        Uni<RowSet<Row>> rows = ref.id() != null
                ? db.preparedQuery("SELECT " + COLUMNS + " FROM service WHERE id = $1").execute(Tuple.of(ref.id()))
                : db.preparedQuery("SELECT " + COLUMNS + " FROM service WHERE slug = $1").execute(Tuple.of(ref.slug()));
        return rows.map(set -> toEntries(set).stream().findFirst());
    }

    public Uni<Optional<CatalogEntry>> update(SqlClient db, int id, String name, Integer priceCents, Boolean active) {
        return db.preparedQuery("""
                UPDATE service SET name = COALESCE($2, name), price_cents = COALESCE($3, price_cents),
                       active = COALESCE($4, active), updated_at = now()
                WHERE id = $1 RETURNING\s""" + COLUMNS)
                .execute(Tuple.of(id, name, priceCents, active))
                .map(set -> toEntries(set).stream().findFirst());
    }

    /** Term length in days → total price in cents, shortest term first. */
    public Uni<Map<Integer, Integer>> longTermPrices(SqlClient db) {
        return db.query("SELECT days, total_cents FROM long_term_price ORDER BY days").execute().map(rows -> {
            Map<Integer, Integer> prices = new LinkedHashMap<>();
            rows.forEach(row -> prices.put(row.getInteger("days"), row.getInteger("total_cents")));
            return prices;
        });
    }

    private static List<CatalogEntry> toEntries(RowSet<Row> rows) {
        List<CatalogEntry> entries = new ArrayList<>();
        for (Row row : rows) {
            entries.add(new CatalogEntry(row.getInteger("id"), row.getString("slug"), row.getString("name"),
                    row.getInteger("price_cents"), PurchaseMode.of(row.getString("product")),
                    row.getInteger("display_order"), row.getBoolean("active"), row.getString("activate_code")));
        }
        return entries;
    }
}
