package com.fetchsms.verification;

import java.time.Instant;
import java.util.UUID;

import com.fetchsms.testkit.PurchaseCustomer;

import io.restassured.response.Response;

/** A customer with a session, money in the stub wallet, and helpers that go through the real API. */
final class Fixtures extends PurchaseCustomer<Fixtures> {

    Fixtures() {
        super("verification", Fixtures::new);
    }

    private Fixtures(UUID account, String token) {
        super("verification", account, token, Fixtures::new);
    }

    Response create(Object service) {
        return create(service, null, null);
    }

    Response create(Object service, String areaCode, String idempotencyKey) {
        return purchase("/v1/verifications", areaCode, idempotencyKey, "service", service);
    }

    /** A Telegram verification (70 cents at the stub catalog) with a price cap. */
    @Override
    public Response buyCapped(Object maxPriceCents, String idempotencyKey) {
        return purchase("/v1/verifications", null, idempotencyKey, "service", 4, "max_price_cents", maxPriceCents);
    }

    /** A code SMS as sms-ingest would publish it, to the number shown as {@code display}. */
    static void sms(String display, String detectedService, String code, Instant receivedAt) {
        sms(display, detectedService == null ? "12345" : detectedService, "Your code is " + code, detectedService,
                code, receivedAt);
    }
}
