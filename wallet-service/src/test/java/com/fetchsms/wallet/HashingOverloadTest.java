package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A flood of wrong passwords meets a hashing pool of one thread and a queue of two (at bcrypt cost 12): what does
 * not fit is refused at once with 503, never queued without bound, no event loop is ever blocked by a hash, and a
 * cheap route keeps answering meanwhile.
 */
@QuarkusTest
@TestProfile(AuthLimitsProfile.class)
@WithTestResource(ServiceTestResource.class)
class HashingOverloadTest {

    private static final int FLOOD = 40;

    /**
     * Vert.x's blocked-thread warnings about event loops that were hashing a password: each warning carries the
     * blocked thread's stack (the profile's warning-exception-time), so a stall of the machine is not mistaken for it.
     */
    static final class BlockedEventLoops extends Handler {
        final ConcurrentLinkedQueue<String> warnings = new ConcurrentLinkedQueue<>();

        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            if (message == null || !message.contains("has been blocked for") || !message.contains("eventloop")) {
                return;
            }
            Throwable stack = record.getThrown();
            if (stack == null) {
                warnings.add(message + " (no stack)");
                return;
            }
            for (StackTraceElement frame : stack.getStackTrace()) {
                String name = frame.getClassName();
                if (name.contains("PasswordHasher") || name.contains("Bcrypt") || name.contains("BCrypt")) {
                    warnings.add(message + " at " + frame);
                    return;
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aFloodOfWrongPasswordsIsPartlyRefusedWith503WhileTheEventLoopsStayFree() throws Exception {
        String email = TestAccounts.freshEmail();
        AuthThrottleTest.signup(AuthThrottleTest.someAddress(), email).then().statusCode(201);
        String token = AuthThrottleTest.login(AuthThrottleTest.someAddress(), email, TestAccounts.PASSWORD).then()
                .statusCode(200).extract().path("token");

        // The first session-authenticated request builds the JWT parser (a one-time service-loader scan on an event
        // loop): done before the watch starts, which is about hashing.
        given().auth().oauth2(token).when().get("/v1/wallet").then().statusCode(200);
        BlockedEventLoops blocked = new BlockedEventLoops();
        Logger root = Logger.getLogger("");
        root.addHandler(blocked);
        ExecutorService callers = Executors.newFixedThreadPool(FLOOD);
        try {
            List<CompletableFuture<Response>> flood = new ArrayList<>();
            for (int i = 0; i < FLOOD; i++) {
                // Each from its own address for an unknown account, so no throttle stands in the way: only the pool.
                flood.add(CompletableFuture.supplyAsync(() -> given()
                        .header("X-Forwarded-For", AuthThrottleTest.someAddress()).contentType(ContentType.JSON)
                        .body(Map.of("email", TestAccounts.freshEmail(), "password", "wrong-password"))
                        .when().post("/v1/auth/login"), callers));
            }
            // A cheap route, while the flood is being answered.
            for (int i = 0; i < 5; i++) {
                given().auth().oauth2(token).when().get("/v1/wallet").then().statusCode(200);
            }
            int refused = 0;
            for (CompletableFuture<Response> call : flood) {
                Response answer = call.get();
                int status = answer.statusCode();
                assertTrue(status == 401 || status == 503, "status " + status + ": " + answer.asString());
                if (status == 503) {
                    refused++;
                    assertEquals("Too many password checks in progress: try again shortly",
                            answer.jsonPath().getString("detail"));
                    assertEquals("1", answer.header("Retry-After"));
                }
            }
            assertTrue(refused > 0, "a queue of two cannot hold " + FLOOD + " concurrent password checks");
            assertTrue(refused < FLOOD, "some checks ran");
            // The pool is free again: a right password is answered (a later marker, not a sleep).
            AuthThrottleTest.login(AuthThrottleTest.someAddress(), email, TestAccounts.PASSWORD).then()
                    .statusCode(200);
            assertEquals(List.of(), List.copyOf(blocked.warnings), "no event loop may be blocked by hashing");
        } finally {
            callers.shutdownNow();
            root.removeHandler(blocked);
        }
    }
}
