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

import com.fetchsms.common.input.TextGuard;

/**
 * A text that may be stored: {@link TextGuard}'s rules as a constraint. A control character (tab, line feed and carriage
 * return allowed when {@link #multiLine}) or a lone UTF-16 surrogate is <b>400</b> naming the field; {@code null} passes
 * (whether the field is required is {@link Required}'s). Length stays with {@code @Size} or the route.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.RECORD_COMPONENT,
        ElementType.TYPE_USE})
@Constraint(validatedBy = CleanText.Validator.class)
@BadRequest.Always
public @interface CleanText {

    String message() default "must not contain control characters";

    boolean multiLine() default false;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks {@link CleanText}. */
    class Validator implements ConstraintValidator<CleanText, String> {

        private boolean multiLine;

        @Override
        public void initialize(CleanText annotation) {
            multiLine = annotation.multiLine();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            TextGuard.Problem problem = TextGuard.problem(value, multiLine, Integer.MAX_VALUE);
            if (problem == null) {
                return true;
            }
            if (problem == TextGuard.Problem.BROKEN_UNICODE) {
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate("is not valid Unicode text (a lone UTF-16 surrogate)")
                        .addConstraintViolation();
            }
            return false;
        }
    }
}
