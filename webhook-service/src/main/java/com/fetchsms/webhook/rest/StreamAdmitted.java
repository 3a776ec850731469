package com.fetchsms.webhook.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * Puts a stream route behind {@link StreamAdmissionFilter}: the stream's {@code Last-Event-ID} is checked and its slot
 * taken before the route answers, while a refusal can still be a 400 or 429 (an event stream's 200 and headers go
 * out as soon as its route returns).
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface StreamAdmitted {
}
