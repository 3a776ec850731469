package com.fetchsms.common.purchase;

import com.fetchsms.common.contract.PurchaseMode;

import java.time.Duration;
import java.util.List;

import com.fetchsms.common.events.EventPayload;

/**
 * What truly differs between the two purchase products, verifications and rentals (decision 0017); everything else of
 * a purchase (its table's shared statements, the saga, create with Idempotency-Key replay, get, list, cancel, report,
 * expiry and recovery) is written once in this package over this description. Each service has one, as a bean.
 */
public abstract class PurchaseProduct<P extends Purchase> {

    private final String name;
    private final PurchaseMode mode;
    private final String refPrefix;
    private final PurchaseConfig config;
    private final String smsConsumer;
    private final List<String> activeStatuses;
    private final List<String> historyStatuses;

    /**
     * @param name {@code verification} or {@code rental}: the table, the {@code product} tag of the metrics, the noun
     *        of messages
     * @param mode what catalog-service sells for it: {@code SHORT} (a verification) or {@code LONG} (a rental)
     * @param refPrefix prefix of the public reference: {@code v_} or {@code r_}
     * @param config the service's settings of its purchases
     * @param smsConsumer the consumer of {@code sms.inbound} whose arrival watermark bounds the expiry (decision 0016)
     * @param activeStatuses the {@code active} tab of the list: the purchases still running, which the expiry job ends
     *        once their term is over
     * @param historyStatuses the {@code history} tab of the list
     */
    protected PurchaseProduct(String name, PurchaseMode mode, String refPrefix, PurchaseConfig config,
            String smsConsumer,
            List<String> activeStatuses, List<String> historyStatuses) {
        this.name = name;
        this.mode = mode;
        this.refPrefix = refPrefix;
        this.config = config;
        this.smsConsumer = smsConsumer;
        this.activeStatuses = List.copyOf(activeStatuses);
        this.historyStatuses = List.copyOf(historyStatuses);
    }

    /** How long the purchase is held once paid: {@code expires_at = created_at + term}. */
    public abstract Duration term(P pending);

    /** The event of a cancel (the wallet refunds, the catalog takes the number back). */
    public abstract EventPayload cancelledEvent(P cancelled);

    /** The event of the end of the term. */
    public abstract EventPayload expiredEvent(P expired);

    /** The 409 of a cancel refused in {@code status} (neither waiting nor cancelled). */
    public abstract String cancelRefusal(String status);

    /**
     * How long after its creation a purchase still waiting may be reported as not working (never past its
     * {@code expires_at}): a verification's whole window, a rental's first hour.
     */
    public abstract Duration reportWindow();

    /**
     * The 409 of a report refused for {@code purchase} (no longer waiting, or past {@link #reportWindow()}), saying
     * which: a code arrived, too late, or already ended.
     */
    public abstract String reportRefusal(P purchase);

    /** The term in days to reserve at catalog-service: none for a verification. */
    public Integer days(P pending) {
        return null;
    }

    /**
     * Whether a cancel is refused as soon as {@code expires_at} has passed (a rental), rather than only once the
     * expiry job has ended the purchase (a verification).
     */
    public boolean cancelEndsWithTerm() {
        return false;
    }

    public String name() {
        return name;
    }

    public PurchaseMode mode() {
        return mode;
    }

    public String refPrefix() {
        return refPrefix;
    }

    public PurchaseConfig config() {
        return config;
    }

    public String smsConsumer() {
        return smsConsumer;
    }

    public List<String> activeStatuses() {
        return activeStatuses;
    }

    public List<String> historyStatuses() {
        return historyStatuses;
    }

    /** The noun of messages with a capital: {@code Verification}, {@code Rental}. */
    public String noun() {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
