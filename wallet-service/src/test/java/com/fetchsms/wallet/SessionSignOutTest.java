package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.Topics;
import com.fetchsms.testkit.ServiceCredentials;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Signing sessions out: one ({@code POST /v1/auth/logout}) or all of the account's ({@code POST /v1/auth/logout-all}).
 * This service refuses a signed-out token at once; the sign-out is published as {@code fetchsms.session.revoked.v1}
 * for every other service's credential view.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class SessionSignOutTest {

    private static final String CREDENTIAL_PROBLEM = "Missing, invalid, or revoked credential";

    @Test
    void aSignedOutSessionIsRefusedAtOnceAndItsSignOutIsPublished() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String other = TestAccounts.login(account.email(), TestAccounts.PASSWORD).then().statusCode(200).extract()
                .path("token");
        given().auth().oauth2(account.token()).get("/v1/account").then().statusCode(200);

        given().auth().oauth2(account.token()).post("/v1/auth/logout").then().statusCode(204);

        given().auth().oauth2(account.token()).get("/v1/account").then().statusCode(401)
                .body("detail", equalTo(CREDENTIAL_PROBLEM));
        given().auth().oauth2(account.token()).post("/v1/auth/logout").then().statusCode(401);
        given().auth().oauth2(other).get("/v1/account").then().statusCode(200); // only that session
        String sessionId = claim(account.token(), "jti");
        KafkaEvents.Received event = KafkaEvents.await(Topics.API_KEY_CHANGED,
                r -> ("session:" + sessionId).equals(r.key()), Duration.ofSeconds(20));
        assertEquals("fetchsms.session.revoked.v1", event.type());
        assertEquals(account.id().toString(), event.data().get("account_id").asText());
        assertEquals(sessionId, event.data().get("session_id").asText());
        assertNotNull(event.data().get("expires_at").asText());
        assertRevoked(account.id(), sessionId, true);
        assertRevoked(account.id(), claim(other, "jti"), false);
    }

    @Test
    void signingOutEverywhereEndsEverySessionAndAFreshLoginWorks() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String second = TestAccounts.login(account.email(), TestAccounts.PASSWORD).then().statusCode(200).extract()
                .path("token");

        given().auth().oauth2(second).post("/v1/auth/logout-all").then().statusCode(204);

        given().auth().oauth2(account.token()).get("/v1/account").then().statusCode(401);
        given().auth().oauth2(second).get("/v1/api-keys").then().statusCode(401);
        // a login in the same second as the sign-out is a new session
        String fresh = TestAccounts.login(account.email(), TestAccounts.PASSWORD).then().statusCode(200).extract()
                .path("token");
        given().auth().oauth2(fresh).get("/v1/account").then().statusCode(200);
        ServiceCredentials.internal().contentType(ContentType.JSON)
                .body(Map.of("account_id", account.id().toString(), "session_id",
                        claim(fresh, "jti"), "issued_at", java.time.Instant.now().toString()))
                .post("/internal/sessions/introspect").then().statusCode(200).body("revoked", equalTo(false));

        KafkaEvents.Received event = KafkaEvents.await(Topics.API_KEY_CHANGED,
                r -> ("account-sessions:" + account.id()).equals(r.key()), Duration.ofSeconds(20));
        assertEquals("fetchsms.session.revoked.v1", event.type());
        assertTrue(event.data().get("session_id") == null || event.data().get("session_id").isNull());
        assertNotNull(event.data().get("issued_before").asText());
        assertTrue(event.data().get("issued_before_ms").asLong() > 0);
    }

    @Test
    void signOutNeedsASession() {
        given().post("/v1/auth/logout").then().statusCode(401);
        given().post("/v1/auth/logout-all").then().statusCode(401);
        // this service takes keys (its sandbox routes): an unknown key is a bad credential (401), a valid one 403
        given().auth().oauth2("fsk_live_" + "x".repeat(32)).post("/v1/auth/logout").then().statusCode(401);
    }

    @Test
    void theInternalCheckAnswersForATokenWithoutSessionId() {
        ServiceCredentials.internal().contentType(ContentType.JSON)
                .body(Map.of("session_id", UUID.randomUUID().toString()))
                .post("/internal/sessions/introspect").then().statusCode(400)
                .body("detail", equalTo("'account_id' is required"));
        TestAccounts.TestAccount account = TestAccounts.create();
        ServiceCredentials.internal().contentType(ContentType.JSON).body(Map.of("account_id", account.id().toString()))
                .post("/internal/sessions/introspect").then().statusCode(200).body("revoked", equalTo(false));
        given().auth().oauth2(account.token()).post("/v1/auth/logout-all").then().statusCode(204);
        // no session id and no issue time: signed out everywhere covers it
        ServiceCredentials.internal().contentType(ContentType.JSON).body(Map.of("account_id", account.id().toString()))
                .post("/internal/sessions/introspect").then().statusCode(200).body("revoked", equalTo(true));
    }

    private static void assertRevoked(UUID account, String sessionId, boolean revoked) {
        ServiceCredentials.internal().contentType(ContentType.JSON)
                .body(Map.of("account_id", account.toString(), "session_id", sessionId))
                .post("/internal/sessions/introspect").then().statusCode(200).body("revoked", equalTo(revoked));
    }

    private static String claim(String token, String name) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        return payload.replaceAll(".*\"" + name + "\":\"([^\"]+)\".*", "$1");
    }
}
