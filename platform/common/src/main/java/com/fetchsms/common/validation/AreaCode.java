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

import com.fetchsms.common.phone.PhoneNumbers;

/**
 * A US area code as a client asks for one: three digits, a valid NPA ({@link PhoneNumbers#isAreaCode}); anything else
 * is <b>422</b> naming the field. {@code null} passes (an area code is optional wherever it is taken).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.RECORD_COMPONENT,
        ElementType.TYPE_USE})
@Constraint(validatedBy = AreaCode.Validator.class)
public @interface AreaCode {

    String message() default "must be a 3-digit US area code, e.g. \"332\"";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** The hint shown when an area code is sent as something other than a string. */
    String TYPE_HINT = "a string of 3 digits, e.g. \"332\"";

    /** Checks {@link AreaCode}. */
    class Validator implements ConstraintValidator<AreaCode, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || PhoneNumbers.isAreaCode(value);
        }
    }
}
