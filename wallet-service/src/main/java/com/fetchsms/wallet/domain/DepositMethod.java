package com.fetchsms.wallet.domain;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a customer pays a deposit, as a request names it ({@code "card"}, {@code "crypto"}) and a deposit stores it. */
public enum DepositMethod {
    CARD("card"),
    CRYPTO("crypto");

    /** Every method's code. */
    public static final List<String> CODES = Arrays.stream(values()).map(DepositMethod::code).toList();

    private final String code;

    DepositMethod(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }
}
