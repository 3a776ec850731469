package com.fetchsms.common.validation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Payload;

/**
 * Marks a constraint whose violation is a malformed request, answered <b>400</b> (a missing field, a control character):
 * every other violation is a well-formed but unacceptable value, answered <b>422</b>. Read by
 * {@link com.fetchsms.common.error.ApiExceptionMappers}. On a use of a constraint: {@code payload = BadRequest.class};
 * on a constraint of our own whose every violation is malformed input ({@link Required}, {@link CleanText}):
 * {@link Always} (Bean Validation wants a constraint's default payload empty).
 */
public interface BadRequest extends Payload {

    /** On a constraint annotation type: each of its violations is a 400. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.ANNOTATION_TYPE)
    @interface Always {
    }
}
