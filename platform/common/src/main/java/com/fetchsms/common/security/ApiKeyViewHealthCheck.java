package com.fetchsms.common.security;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the API-key view has read the key topic up to where it stood at start (a flag; never blocks). Whether the
 * view is fresh now is reported as data, not as readiness: a stale view still serves by asking wallet-service, so
 * taking every replica out of the Service while Kafka is away would only turn 503s into connection errors.
 */
@Readiness
@ApplicationScoped
public class ApiKeyViewHealthCheck implements HealthCheck {

    private final ApiKeyView view;

    public ApiKeyViewHealthCheck(ApiKeyView view) {
        this.view = view;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("api-key-view").status(view.caughtUp()).withData("fresh", view.fresh())
                .build();
    }
}
