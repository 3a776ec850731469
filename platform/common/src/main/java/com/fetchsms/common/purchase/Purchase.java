package com.fetchsms.common.purchase;

import java.time.Instant;
import java.util.UUID;

import com.fetchsms.common.events.CancelReason;

/**
 * A purchase as stored (a verification or a rental): the columns both products share ({@link PurchaseRow}), read
 * through these accessors, and the product's own ones on the implementing record.
 */
public interface Purchase {

    /** The saga is running (internal: customers never see it). */
    String PENDING = "pending";
    /** Held and paid for, nothing received yet: the status that may be cancelled. */
    String WAITING = "waiting";
    String EXPIRED = "expired";
    String CANCELLED = "cancelled";
    /** The saga ended in a refusal (internal: kept for Idempotency-Key replays). */
    String FAILED = "failed";
    /** The stored {@code cancel_reason} of a cancel by the buyer. */
    String CUSTOMER = "customer";
    /** The stored {@code cancel_reason} of a report: the number did not work. */
    String REPORTED = "reported";

    /** The shared columns of the row. */
    PurchaseRow row();

    default UUID id() {
        return row().id();
    }

    default String ref() {
        return row().ref();
    }

    default UUID accountId() {
        return row().accountId();
    }

    /** The service as the buyer named it: a numeric id or a slug. */
    default String serviceRef() {
        return row().serviceRef();
    }

    default String areaCode() {
        return row().areaCode();
    }

    default Integer serviceId() {
        return row().serviceId();
    }

    default String service() {
        return row().service();
    }

    default String serviceName() {
        return row().serviceName();
    }

    default String number() {
        return row().number();
    }

    default Integer costCents() {
        return row().costCents();
    }

    /** {@code pending} while the saga runs, {@code failed} when it ended in a refusal, else the product's own. */
    default String status() {
        return row().status();
    }

    /** Set when the saga stopped on a refusal (whose compensation may still be to do while pending). */
    default Integer failureStatus() {
        return row().failureStatus();
    }

    default String failureDetail() {
        return row().failureDetail();
    }

    /** The buyer's price cap ({@code max_price_cents}), null without one: the saga never charges more. */
    default Integer maxPriceCents() {
        return row().maxPriceCents();
    }

    /** The current price a refusal for the cap was about (its {@code price_cents}); null for any other refusal. */
    default Integer failurePriceCents() {
        return row().failurePriceCents();
    }

    default String idempotencyKey() {
        return row().idempotencyKey();
    }

    /** SHA-256 of the create request ({@link PurchaseRequest#hash()}), to tell a replay from another request. */
    default String requestHash() {
        return row().requestHash();
    }

    default Instant createdAt() {
        return row().createdAt();
    }

    default Instant expiresAt() {
        return row().expiresAt();
    }

    /**
     * Why it was cancelled: {@link CancelReason#REPORTED} after a report, {@link CancelReason#CUSTOMER} after a cancel;
     * null while it is not cancelled.
     */
    default CancelReason cancelReason() {
        if (!CANCELLED.equals(status())) {
            return null;
        }
        return REPORTED.equals(row().cancelReason()) ? CancelReason.REPORTED : CancelReason.CUSTOMER;
    }

    /** The text the buyer gave with a report ({@code report_reason}), null without one. */
    default String reportReason() {
        return row().reportReason();
    }

    /**
     * Bought with a test key ({@code Caller.sandbox()}): held on a sandbox number, paid with test money; every run of
     * its saga asks catalog-service for a sandbox number.
     */
    default boolean sandbox() {
        return row().sandbox();
    }

    /**
     * Whether it still waits for news, so that a long poll of it waits: a purchase {@code waiting} (for its code, its
     * first message); a product may wait in more cases (a verification waiting for another code).
     */
    default boolean awaiting() {
        return WAITING.equals(status());
    }

    /** Whether customers see it (the saga finished with a number). */
    default boolean visible() {
        return !PENDING.equals(status()) && !FAILED.equals(status());
    }
}
