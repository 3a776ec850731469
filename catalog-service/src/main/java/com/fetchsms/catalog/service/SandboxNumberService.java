package com.fetchsms.catalog.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fetchsms.catalog.config.CatalogConfig;
import com.fetchsms.catalog.repository.SandboxNumberRepository;
import com.fetchsms.common.events.InventoryNumberChanged;
import com.fetchsms.common.outbox.Outbox;
import com.fetchsms.common.phone.PhoneNumbers;
import com.fetchsms.common.sandbox.Sandbox;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Stocks the sandbox's numbers at start: every configured area code ({@code fetchsms.catalog.sandbox.area-codes})
 * with the lines 555-0100 to 555-0199, state {@value Sandbox#NUMBER_STATE}, gateway {@link Sandbox#GATEWAY_ID}. Each
 * number added is published on {@code inventory.numbers} ({@code state: sandbox}) through the outbox in the same
 * transaction, so sms-ingest-service knows it. Idempotent across restarts and replicas starting at once
 * ({@code INSERT … ON CONFLICT DO NOTHING}: a number is added, and published, by one of them only).
 */
@ApplicationScoped
public class SandboxNumberService {

    private static final Logger LOG = Logger.getLogger(SandboxNumberService.class);
    /** The lines of each area code: 555-0100 to 555-0199 (555-01XX is reserved for fiction in the NANP). */
    static final int FIRST_LINE = 100;
    static final int LINES = 100;

    private final Pool pool;
    private final SandboxNumberRepository sandbox;
    private final Outbox outbox;
    private final CatalogConfig config;

    public SandboxNumberService(Pool pool, SandboxNumberRepository sandbox, Outbox outbox, CatalogConfig config) {
        this.pool = pool;
        this.sandbox = sandbox;
        this.outbox = outbox;
        this.config = config;
    }

    /** Runs on the main thread at start, where blocking is allowed; a failure stops the start. */
    void onStart(@Observes StartupEvent event) {
        List<String> added = stock(config.sandbox().areaCodes()).await().atMost(Duration.ofSeconds(60));
        LOG.infof("Sandbox numbers: %d added (area codes %s)", added.size(), config.sandbox().areaCodes());
    }

    /** The sandbox numbers of {@code areaCodes}, in E.164; an area code that is not one stops the start. */
    public static List<String> numbers(List<String> areaCodes) {
        LinkedHashSet<String> numbers = new LinkedHashSet<>();
        for (String raw : areaCodes) {
            String code = raw.trim();
            if (!PhoneNumbers.isAreaCode(code)) {
                throw new IllegalStateException(
                        "fetchsms.catalog.sandbox.area-codes: '" + raw + "' is not a 3-digit US area code");
            }
            for (int line = FIRST_LINE; line < FIRST_LINE + LINES; line++) {
                numbers.add("+1" + code + "555" + String.format("%04d", line));
            }
        }
        return new ArrayList<>(numbers);
    }

    /**
     * Adds the sandbox numbers of {@code areaCodes} that are not in the inventory yet, each with its event, in one
     * transaction; answers those added. A configured number already in the inventory as a live number stays live (and
     * is logged): it is never turned into a sandbox number.
     */
    public Uni<List<String>> stock(List<String> areaCodes) {
        List<String> wanted = numbers(areaCodes);
        return pool.withTransaction(tx -> sandbox.stock(tx, wanted).call(added -> {
            Instant now = Instant.now();
            return outbox.publishAll(tx, added.stream()
                    .map(number -> new InventoryNumberChanged(number, PhoneNumbers.areaCode(number),
                            Sandbox.GATEWAY_ID, Sandbox.NUMBER_STATE, now))
                    .toList());
        })).call(added -> added.size() == wanted.size()
                ? Uni.createFrom().voidItem()
                : sandbox.notSandbox(pool, wanted).invoke(live -> {
                    if (!live.isEmpty()) {
                        LOG.warnf("%d configured sandbox number(s) are live numbers of the inventory and stay live, "
                                + "e.g. %s", live.size(), live.get(0));
                    }
                }).replaceWithVoid());
    }
}
