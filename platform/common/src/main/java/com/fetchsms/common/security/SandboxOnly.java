package com.fetchsms.common.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * Puts a resource (class or method) in the sandbox only: {@link SandboxOnlyFilter} answers a live key or a dashboard
 * session 403, before the request's body is read, so only a test key ({@code fsk_test_…}) reaches it. The resource
 * still declares its roles ({@code @RolesAllowed({"user", "api"})}: a request without a credential is 401 as
 * everywhere).
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface SandboxOnly {
}
