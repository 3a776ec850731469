package com.fetchsms.common.validation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import com.fetchsms.common.purchase.RentalTerms;

/**
 * A rental term that is sold ({@link RentalTerms}): any other number of days is <b>422</b>
 * {@code 'days' must be one of 1, 7, 30, 90, 365 (14 days is not sold)}. {@code null} passes.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.RECORD_COMPONENT,
        ElementType.TYPE_USE})
@Constraint(validatedBy = RentalTerm.Validator.class)
public @interface RentalTerm {

    String message() default "is not a term sold";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks {@link RentalTerm}. */
    class Validator implements ConstraintValidator<RentalTerm, Integer> {

        @Override
        public boolean isValid(Integer days, ConstraintValidatorContext context) {
            if (days == null || RentalTerms.isSold(days)) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate("must be one of " + RentalTerms.TEXT + " (" + days
                    + " days is not sold)").addConstraintViolation();
            return false;
        }
    }
}
