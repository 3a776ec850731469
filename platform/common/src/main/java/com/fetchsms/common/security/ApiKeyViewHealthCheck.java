package com.fetchsms.common.security;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Startup;

import com.fetchsms.common.messaging.StartupWait;

/**
 * {@code api-key-view} in {@code /q/health/started}: up once the API-key view has read the key topic up to where it
 * stood at start (a flag; never blocks), so a new replica does not send every credential to wallet-service while it
 * replays; or once {@code fetchsms.kafka.startup-wait} has passed without (the broker away at start): the replica then
 * serves as a stale view does, asking wallet-service (decision 0032). Whether the view is fresh now is data, never a
 * status: a stale view still serves by asking wallet-service, so taking replicas out of service while Kafka is away
 * would only turn 503s into connection errors (decision 0009).
 */
@Startup
@ApplicationScoped
public class ApiKeyViewHealthCheck implements HealthCheck {

    private final ApiKeyView view;
    private final StartupWait wait;

    public ApiKeyViewHealthCheck(ApiKeyView view, StartupWait wait) {
        this.view = view;
        this.wait = wait;
    }

    @Override
    public HealthCheckResponse call() {
        boolean caughtUp = view.caughtUp();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("api-key-view")
                .status(caughtUp || wait.over()).withData("caught-up", caughtUp).withData("fresh", view.fresh());
        if (!caughtUp && wait.over()) {
            response.withData("gave up waiting after", wait.bound());
        }
        return response.build();
    }
}
