package com.fetchsms.catalog;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.SessionRevoked;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A service other than wallet-service refuses signed-out sessions once {@code fetchsms.session.revoked.v1} reaches
 * its credential view (wallet-service publishes it on logout and logout-all; here the test publishes it as wallet
 * would).
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(WalletStubResource.class)
class SessionSignOutViewTest {

    private static final Set<String> ADMIN = Set.of("user", "admin");

    @Test
    void aSignedOutSessionIsRefusedWithinASecondOfItsEvent() {
        UUID account = UUID.randomUUID();
        UUID session = UUID.randomUUID();
        String token = TestTokens.session(account, session, ADMIN);
        String other = TestTokens.session(account, UUID.randomUUID(), ADMIN);
        given().auth().oauth2(token).get("/v1/admin/numbers").then().statusCode(200);

        KafkaEvents.send(SessionRevoked.one(account, session, Instant.now().plusSeconds(3600), Instant.now()));
        long sent = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> given().auth().oauth2(token).get("/v1/admin/numbers").statusCode() == 401);
        long millis = Duration.ofNanos(System.nanoTime() - sent).toMillis();
        assertTrue(millis < 1000, "the sign-out took " + millis + " ms to reach the view");
        given().auth().oauth2(other).get("/v1/admin/numbers").then().statusCode(200); // only that session
    }

    @Test
    void signingOutEverywhereRefusesEveryEarlierSessionAndNotALaterOne() {
        UUID account = UUID.randomUUID();
        String first = TestTokens.session(account, UUID.randomUUID(), ADMIN);
        String second = TestTokens.session(account, UUID.randomUUID(), ADMIN);
        String withoutSessionId = TestTokens.admin(account); // a token from before sessions had ids
        given().auth().oauth2(first).get("/v1/admin/numbers").then().statusCode(200);

        Instant now = Instant.now(); // in the same second as the tokens: the cut-off travels in milliseconds
        KafkaEvents.send(SessionRevoked.all(account, now, now.plusSeconds(3600)));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> given().auth().oauth2(second).get("/v1/admin/numbers").statusCode() == 401);
        given().auth().oauth2(first).get("/v1/admin/numbers").then().statusCode(401);
        given().auth().oauth2(withoutSessionId).get("/v1/admin/numbers").then().statusCode(401);

        String fresh = TestTokens.session(account, UUID.randomUUID(), ADMIN); // a login after the sign-out
        given().auth().oauth2(fresh).get("/v1/admin/numbers").then().statusCode(200);
        given().auth().oauth2(TestTokens.admin(UUID.randomUUID())).get("/v1/admin/numbers").then().statusCode(200);
    }
}
