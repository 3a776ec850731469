package com.fetchsms.verification.domain;

/** The SMS-Activate protocol's refusals, answered as plain text with HTTP 200. */
public enum ProtocolWord {
    /** {@code api_key} absent, not a key, unknown or revoked. */
    BAD_KEY,
    /** {@code action} absent or not one this API answers. */
    BAD_ACTION,
    /** {@code service} absent or not the code of a verification service. */
    BAD_SERVICE,
    /** No number in stock for the service, or a country other than the one sold. */
    NO_NUMBERS,
    /** The wallet's balance is below the price. */
    NO_BALANCE,
    /** {@code id} absent, not an integer, unknown, or another account's activation. */
    NO_ACTIVATION,
    /** {@code status} absent, unknown, or not allowed in the activation's state. */
    BAD_STATUS,
    /** {@code maxPrice} below the current price (answered with the price: {@code WRONG_MAX_PRICE:0.70}). */
    WRONG_MAX_PRICE;

    public ProtocolAnswer answer() {
        return ProtocolAnswer.text(name());
    }
}
