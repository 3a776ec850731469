package com.fetchsms.wallet.client;

import java.util.UUID;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;

/**
 * A payment provider that collects deposits. The one in use is chosen by {@code fetchsms.wallet.payments.provider}
 * (its {@link #name()}). A provider either confirms at once ({@link Start#completed()}) or later through a signed
 * webhook call to {@code POST /v1/wallet/deposits/webhooks/{name}}; both go through the same idempotent completion, so
 * a deposit is credited once whatever the duplicates.
 */
public interface PaymentProvider {

    /** Name in configuration and in the webhook route. */
    String name();

    /** Starts collecting a deposit. Called outside any database transaction. */
    Uni<Start> start(Request request);

    /**
     * Authenticates and reads a webhook call: fails with a 401 {@code ApiException} when the signature is not valid,
     * 400/422 when the body is not a notification. {@code header} answers a request header by name.
     */
    Notification verify(String body, Function<String, String> header);

    /** A deposit to collect. */
    record Request(UUID depositId, UUID accountId, long amountCents, String method) {
    }

    /**
     * The provider accepted the payment: its reference, whether it is already confirmed, and where to send the
     * customer when the provider needs them (null when not).
     */
    record Start(String reference, boolean completed, String checkoutUrl) {
    }

    /** A confirmed outcome of a payment, as the provider reported it. */
    record Notification(String reference, Outcome outcome, long amountCents) {
    }

    enum Outcome {
        SUCCEEDED,
        FAILED
    }
}
