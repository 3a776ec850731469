package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class SignupAndLoginTest {

    private static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";

    @Inject
    Pool pool;

    @Test
    void signupCreatesACustomerWithAnEmptyWalletAndStoresOnlyABcryptHash() {
        String email = TestAccounts.freshEmail();
        String id = TestAccounts.signup(email, TestAccounts.PASSWORD).then().statusCode(201)
                .body("email", equalTo(email))
                .body("role", equalTo("user"))
                .body("created_at", matchesPattern(TIMESTAMP))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("password")))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("password_hash")))
                .extract().path("id");

        String hash = Db.rows(pool, "SELECT password_hash FROM account WHERE id = $1", UUID.fromString(id))
                .iterator().next().getString(0);
        assertTrue(hash.startsWith("$2"), "bcrypt modular crypt format: " + hash);
        assertFalse(hash.contains(TestAccounts.PASSWORD));
        assertEquals(0L, Db.count(pool, "SELECT balance_cents FROM ledger_account WHERE account_id = $1",
                UUID.fromString(id)));
    }

    @Test
    void anAddressTakenInAnotherCaseIs409() {
        String email = TestAccounts.freshEmail();
        TestAccounts.signup(email, TestAccounts.PASSWORD).then().statusCode(201);
        TestAccounts.signup(email.toUpperCase(Locale.ROOT), "another-good-password").then().statusCode(409)
                .body("detail", equalTo("An account with this email already exists"));
        TestAccounts.signup("  " + email + " ", TestAccounts.PASSWORD).then().statusCode(409);
        assertEquals(1L, Db.count(pool, "SELECT count(*) FROM account WHERE lower(email) = $1",
                email.toLowerCase(Locale.ROOT)));
    }

    @Test
    void weakAndOverlongPasswordsAre422AndWriteNothing() {
        String email = TestAccounts.freshEmail();
        TestAccounts.signup(email, "short-pw").then().statusCode(422)
                .body("detail", equalTo("Password too weak: use at least 10 characters"));
        TestAccounts.signup(email, "aaaaaaaaaaaaaaaa").then().statusCode(422)
                .body("detail", containsString("too weak"));
        TestAccounts.signup(email, email + "1").then().statusCode(422);
        // 37 characters but 74 bytes: bcrypt would silently ignore what follows byte 72
        TestAccounts.signup(email, "é".repeat(37)).then().statusCode(422)
                .body("detail", equalTo("Password too long: at most 72 bytes (UTF-8)"));
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM account WHERE email = $1", email));
    }

    @Test
    void malformedSignupsAre4xxWithADetailAndWriteNothing() {
        String email = TestAccounts.freshEmail();
        given().contentType(ContentType.JSON).body(Map.of("password", TestAccounts.PASSWORD))
                .when().post("/v1/auth/signup").then().statusCode(400).body("detail", equalTo("'email' is required"));
        given().contentType(ContentType.JSON).body(Map.of("email", email))
                .when().post("/v1/auth/signup").then().statusCode(400)
                .body("detail", equalTo("'password' is required"));
        TestAccounts.signup("not-an-email", TestAccounts.PASSWORD).then().statusCode(422)
                .body("detail", containsString("valid email address"));
        TestAccounts.signup("two@@example.com", TestAccounts.PASSWORD).then().statusCode(422);
        given().contentType(ContentType.JSON).body(Map.of("email", List.of(email), "password", "x"))
                .when().post("/v1/auth/signup").then().statusCode(400)
                .body("detail", equalTo("Field 'email' has the wrong type"));
        given().contentType(ContentType.JSON).body("{\"email\": ").when().post("/v1/auth/signup").then()
                .statusCode(400).body("detail", containsString("JSON"));
        given().contentType(ContentType.JSON).when().post("/v1/auth/signup").then().statusCode(400)
                .body("detail", startsWith("A JSON body is required"));
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM account WHERE email = $1", email));
    }

    @Test
    void loginIssuesAnRs256SessionWithThePlatformClaims() throws Exception {
        String email = TestAccounts.freshEmail();
        String id = TestAccounts.signup(email, TestAccounts.PASSWORD).then().statusCode(201).extract().path("id");
        Instant before = Instant.now();
        Response login = TestAccounts.login(email.toUpperCase(Locale.ROOT), TestAccounts.PASSWORD);
        login.then().statusCode(200).body("token_type", equalTo("Bearer")).body("expires_at",
                matchesPattern(TIMESTAMP));
        String token = login.path("token");

        String[] parts = token.split("\\.");
        assertEquals(3, parts.length);
        ObjectMapper json = new ObjectMapper();
        JsonNode header = json.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = json.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        assertEquals("RS256", header.get("alg").asText());
        assertEquals(TestTokens.ISSUER, claims.get("iss").asText());
        assertEquals(TestTokens.AUDIENCE, claims.get("aud").isArray()
                ? claims.get("aud").get(0).asText()
                : claims.get("aud").asText());
        assertEquals(id, claims.get("sub").asText());
        assertEquals(email, claims.get("upn").asText());
        assertEquals(List.of("user"), json.convertValue(claims.get("groups"), List.class));
        assertTrue(claims.hasNonNull("jti"));
        long iat = claims.get("iat").asLong();
        long exp = claims.get("exp").asLong();
        assertTrue(Math.abs(iat - before.getEpochSecond()) < 60, "iat " + iat);
        assertEquals(Duration.ofHours(12).toSeconds(), exp - iat);
        assertEquals(Instant.ofEpochSecond(exp).toString(), login.path("expires_at"));

        given().auth().oauth2(token).when().get("/v1/account").then().statusCode(200)
                .body("id", equalTo(id)).body("email", equalTo(email)).body("role", equalTo("user"))
                .body("created_at", matchesPattern(TIMESTAMP));
        // each login is a new session
        assertNotEquals(token, TestAccounts.login(email, TestAccounts.PASSWORD).path("token"));
    }

    @Test
    void aWrongPasswordAndAnUnknownEmailGetTheIdenticalAnswer() {
        String email = TestAccounts.freshEmail();
        TestAccounts.signup(email, TestAccounts.PASSWORD).then().statusCode(201);

        Response wrongPassword = TestAccounts.login(email, "not-the-password");
        Response unknownEmail = TestAccounts.login(TestAccounts.freshEmail(), "not-the-password");
        assertEquals(401, wrongPassword.statusCode());
        assertEquals(401, unknownEmail.statusCode());
        assertEquals(wrongPassword.body().asString(), unknownEmail.body().asString());
        assertEquals("{\"detail\":\"Wrong email or password\"}", wrongPassword.body().asString());
        assertEquals(wrongPassword.contentType(), unknownEmail.contentType());
        assertEquals(wrongPassword.header("WWW-Authenticate"), unknownEmail.header("WWW-Authenticate"));
        // a password longer than bcrypt reads is refused too, not truncated into a match
        TestAccounts.login(email, TestAccounts.PASSWORD + "x".repeat(80)).then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("email", email)).when().post("/v1/auth/login").then()
                .statusCode(400).body("detail", equalTo("'password' is required"));
    }
}
