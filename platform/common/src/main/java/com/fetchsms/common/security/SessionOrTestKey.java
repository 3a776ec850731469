package com.fetchsms.common.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * Puts a resource (class or method) within reach of a dashboard session or a test key ({@code fsk_test_…}) but not of
 * a live key: {@link SessionOrTestKeyFilter} answers a live key 403, before the request's body is read. A session acts
 * on the customer's live account, a test key on its sandbox twin ({@link Caller#accountId()} either way), so the
 * sandbox can be managed by the integration under test while a live key, which a purchase script holds, can never
 * change the live account's settings. The resource still declares its roles
 * ({@code @RolesAllowed({"user", "api"})}: a request without a credential is 401 as everywhere).
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface SessionOrTestKey {

    /** The reason given when the annotation names none. */
    String ANY_SETTINGS = "act on the account's settings";

    /**
     * What a live key may not do here, the end of the 403's detail: "{@code <route> takes a dashboard session or a
     * test key (fsk_test_…): a live API key cannot <value>}". Read from the method, else from its class.
     */
    String value() default ANY_SETTINGS;
}
