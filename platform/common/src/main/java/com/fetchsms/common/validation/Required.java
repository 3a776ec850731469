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

/**
 * A field the request must carry: absent or {@code null} (and, for a text, blank unless {@link #allowBlank}) is
 * <b>400</b> {@code 'field' is required}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.RECORD_COMPONENT,
        ElementType.TYPE_USE})
@Constraint(validatedBy = Required.Validator.class)
@BadRequest.Always
public @interface Required {

    String message() default "is required";

    /** Whether a blank text counts as present (its route then refuses it with its own rule, e.g. a length). */
    boolean allowBlank() default false;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks {@link Required}. */
    class Validator implements ConstraintValidator<Required, Object> {

        private boolean allowBlank;

        @Override
        public void initialize(Required annotation) {
            allowBlank = annotation.allowBlank();
        }

        @Override
        public boolean isValid(Object value, ConstraintValidatorContext context) {
            if (value == null) {
                return false;
            }
            return allowBlank || !(value instanceof CharSequence text) || !text.toString().isBlank();
        }
    }
}
