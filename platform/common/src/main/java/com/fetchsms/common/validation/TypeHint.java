package com.fetchsms.common.validation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a field of a request body must be, told to a client who sent the wrong JSON type: {@code @TypeHint("an integer
 * number of cents")} answers {@code Field 'amount_cents' must be an integer number of cents} (400) for {@code 10.5} or
 * {@code "100"}. Without it the answer is {@code Field 'amount_cents' has the wrong type}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.TYPE})
public @interface TypeHint {

    /** The hint of an amount in cents, a JSON integer (a {@code Long} or {@code Integer} field). */
    String CENTS = "an integer number of cents";

    String value();
}
