package com.fetchsms.verification.domain;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON answers of the SMS-Activate compatible API, in the protocol's own field names (camelCase, unlike the REST
 * API). Money is in dollars with two decimals; times are UTC, {@code yyyy-MM-dd HH:mm:ss}.
 */
public final class ProtocolDocuments {

    private ProtocolDocuments() {
    }

    /** {@code getNumberV2}. */
    public record NumberV2(long activationId, String phoneNumber, BigDecimal activationCost, String currency,
            String countryCode, boolean canGetAnotherSms, String activationTime, String activationEndTime,
            String activationOperator) {
    }

    /** {@code getStatusV2}: the code once it arrived ({@code sms} null before); {@code call} is never used. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record StatusV2(int verificationType, Sms sms, Object call) {
    }

    /** The code of {@link StatusV2}; {@code text} is null: a verification's SMS body is never shown. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Sms(String dateTime, String code, String text) {
    }

    /** One service of {@code getPrices}: the price and the numbers in stock. */
    public record Price(BigDecimal cost, long count) {
    }

    /** {@code getActiveActivations}. */
    public record ActiveActivations(String status, List<Activation> activeActivations) {
    }

    /** {@code getActiveActivations} when there is none. */
    public record NoActivations(String status, String error) {
    }

    /** One item of {@link ActiveActivations}; {@code activationStatus} is the {@code getStatus} word. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Activation(long activationId, String serviceCode, String phoneNumber, BigDecimal activationCost,
            String activationStatus, String smsCode, String smsText, String activationTime, String countryCode,
            boolean canGetAnotherSms, String currency) {
    }
}
