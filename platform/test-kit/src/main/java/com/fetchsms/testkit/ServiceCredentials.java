package com.fetchsms.testkit;

import static io.restassured.RestAssured.given;

import com.fetchsms.common.client.InternalClients;
import com.sun.net.httpserver.HttpExchange;

import io.restassured.specification.RequestSpecification;

/**
 * The platform's service credential in tests: {@link ServiceTestResource} configures the application under test with
 * {@link #TEST}, stand-ins for other services ({@link PlatformStubs}) refuse internal calls without it, and tests call
 * a service's {@code /internal/…} routes as another service would with {@link #internal()}.
 */
public final class ServiceCredentials {

    /** Tests only; never a production credential. */
    public static final String TEST = "test-only-service-credential-0123456789abcdef";

    private ServiceCredentials() {
    }

    /** A request that presents the test service credential, as the platform's own clients do. */
    public static RequestSpecification internal() {
        return given().header(InternalClients.CREDENTIAL_HEADER, TEST);
    }

    /** Whether a request to a stand-in presents the test service credential. */
    public static boolean presented(HttpExchange exchange) {
        return TEST.equals(exchange.getRequestHeaders().getFirst(InternalClients.CREDENTIAL_HEADER));
    }
}
