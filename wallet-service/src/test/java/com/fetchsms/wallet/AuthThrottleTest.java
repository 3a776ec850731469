package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Login and signup are throttled per account and per client address; the address comes from X-Forwarded-For because
 * the tests connect from loopback, which is a trusted proxy (as the local gateway is).
 */
@QuarkusTest
@TestProfile(AuthLimitsProfile.class)
@WithTestResource(ServiceTestResource.class)
class AuthThrottleTest {

    /** An address in the shared address space, different for every call. */
    static String someAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "100." + (64 + random.nextInt(64)) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    static Response login(String from, String email, String password) {
        return given().header("X-Forwarded-For", from).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password)).when().post("/v1/auth/login");
    }

    static Response signup(String from, String email) {
        return given().header("X-Forwarded-For", from).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", TestAccounts.PASSWORD)).when().post("/v1/auth/signup");
    }

    @Test
    void theSixthFailedLoginOfAnAccountIs429WithRetryAfterFromAnyAddress() {
        String email = TestAccounts.freshEmail();
        signup(someAddress(), email).then().statusCode(201);
        for (int i = 0; i < 5; i++) {
            login(someAddress(), email, "wrong-password-" + i).then().statusCode(401);
        }
        login(someAddress(), email, "wrong-password-6").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("detail", containsString("Too many failed logins for this account"));
        // Locked for the window: even the right password waits (no bcrypt work is spent on the account).
        Response right = login(someAddress(), email, TestAccounts.PASSWORD);
        right.then().statusCode(429);
        assertTrue(Long.parseLong(right.header("Retry-After")) >= 1, right.header("Retry-After"));
    }

    @Test
    void aSuccessfulLoginClearsTheAccountsFailures() {
        String email = TestAccounts.freshEmail();
        signup(someAddress(), email).then().statusCode(201);
        for (int i = 0; i < 4; i++) {
            login(someAddress(), email, "wrong-password-" + i).then().statusCode(401);
        }
        login(someAddress(), email, TestAccounts.PASSWORD).then().statusCode(200);
        for (int i = 0; i < 5; i++) {
            login(someAddress(), email, "wrong-password-again-" + i).then().statusCode(401);
        }
        login(someAddress(), email, "one-too-many").then().statusCode(429);
    }

    @Test
    void oneAddressGetsThreeFailedLoginsOverAnyAccountsThen429AndOthersAreUnaffected() {
        String attacker = someAddress();
        for (int i = 0; i < 3; i++) {
            login(attacker, TestAccounts.freshEmail(), "wrong-password").then().statusCode(401);
        }
        login(attacker, TestAccounts.freshEmail(), "wrong-password").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("detail", containsString("Too many failed logins from this address"));
        login(someAddress(), TestAccounts.freshEmail(), "wrong-password").then().statusCode(401);
    }

    @Test
    void aFourthSignupFromOneAddressIs429AndCreatesNothing() {
        String from = someAddress();
        for (int i = 0; i < 3; i++) {
            signup(from, TestAccounts.freshEmail()).then().statusCode(201);
        }
        String refused = TestAccounts.freshEmail();
        signup(from, refused).then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("detail", containsString("Too many signups from this address"));
        login(someAddress(), refused, TestAccounts.PASSWORD).then().statusCode(401);
        signup(someAddress(), refused).then().statusCode(201);
    }

    @Test
    void aClientWritingItsOwnForwardedForIsKeyedOnTheAddressTheProxyAppended() {
        // The gateway appends the peer it saw; what the client wrote before it is never the key.
        String attacker = someAddress();
        for (int i = 0; i < 3; i++) {
            login(someAddress() + ", " + attacker, TestAccounts.freshEmail(), "wrong-password").then()
                    .statusCode(401);
        }
        login(someAddress() + ", " + attacker, TestAccounts.freshEmail(), "wrong-password").then()
                .statusCode(429);
    }
}
