package com.fetchsms.common.validation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Min;

/**
 * The price cap of a purchase ({@code max_price_cents} of {@code POST /v1/verifications} and {@code POST /v1/rentals}):
 * a whole number of cents above zero, else <b>422</b> naming the field; {@code null} passes (the cap is optional). A
 * value that is not a JSON integer is a 400 with {@link #TYPE_HINT}, as every amount in cents.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.RECORD_COMPONENT,
        ElementType.TYPE_USE})
@Constraint(validatedBy = {})
@Min(1)
@ReportAsSingleViolation
public @interface PriceCap {

    String message() default "must be an integer number of cents greater than 0";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** The hint shown when the cap is sent as something other than an integer. */
    String TYPE_HINT = TypeHint.CENTS + " greater than 0";

    /** The field's description in the OpenAPI documents (the same on both purchase routes). */
    String DESCRIPTION = "Optional price cap in cents: when the current price is higher the purchase is refused with "
            + "409 and the price (price_cents), and nothing is reserved or charged";
}
