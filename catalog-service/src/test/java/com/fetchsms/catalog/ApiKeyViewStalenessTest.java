package com.fetchsms.catalog;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fetchsms.common.security.ApiKeyView;
import com.fetchsms.common.security.ApiKeys;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The API-key view fails closed when it is stale: with its consumer stopped (it reads nothing, as when the broker is away),
 * a key revoked at wallet-service (its event cannot travel) is refused within {@code max-staleness}, valid keys are
 * still served by asking wallet-service, and when wallet-service cannot be asked the answer is 503, never a pass. The
 * same holds for signed-out dashboard sessions.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(WalletStubResource.class)
@TestProfile(ApiKeyViewStalenessTest.TwoSecondBound.class)
class ApiKeyViewStalenessTest {

    /** A short bound, so the test waits seconds and not the default. */
    public static class TwoSecondBound implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fetchsms.api-keys.max-staleness", "2s");
        }
    }

    @ConfigProperty(name = "fetchsms.services.wallet-url")
    String wallet;

    @Inject
    ApiKeyView view;

    @Test
    void whileTheViewHearsNothingARevokedKeyIsRefusedWithinTheBoundAndTheOthersAreCheckedAtWallet() {
        String revoked = ApiKeys.generate();
        String valid = ApiKeys.generate();
        register(revoked, "active");
        register(valid, "active");
        await().atMost(Duration.ofSeconds(60)).until(view::fresh);
        given().auth().oauth2(revoked).get("/v1/admin/numbers").then().statusCode(403); // a valid key, no admin
        UUID admin = UUID.randomUUID();
        UUID signedOutSession = UUID.randomUUID();
        String signedOut = TestTokens.session(admin, signedOutSession, Set.of("user", "admin"));
        String live = TestTokens.session(admin, UUID.randomUUID(), Set.of("user", "admin"));
        given().auth().oauth2(signedOut).get("/v1/admin/numbers").then().statusCode(200);

        view.pause(true); // the view hears nothing more, as when its broker is away
        long stopped = System.nanoTime();
        register(revoked, "revoked"); // revoked at wallet-service: its event cannot reach the view

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().auth().oauth2(revoked).get("/v1/admin/numbers").statusCode() == 401);
        long millis = Duration.ofNanos(System.nanoTime() - stopped).toMillis();
        // the bound (2 s) plus one freshness check (0.5 s) and slack for a busy machine
        assertTrue(millis < 4000, "the revoked key was accepted for " + millis + " ms after the view stopped hearing");
        assertFalse(view.fresh());
        given().auth().oauth2(revoked).get("/v1/admin/numbers").then().statusCode(401)
                .body("detail", equalTo("Invalid or revoked API key"));
        given().auth().oauth2(valid).get("/v1/admin/numbers").then().statusCode(403); // asked wallet: still valid

        // sessions follow the same rule: signed out at wallet-service (the event cannot travel) is refused
        given().put(wallet + "/stub/sessions/" + signedOutSession).then().statusCode(204);
        given().auth().oauth2(signedOut).get("/v1/admin/numbers").then().statusCode(401);
        given().auth().oauth2(live).get("/v1/admin/numbers").then().statusCode(200);

        // the view is not part of readiness (a stale view still serves, by asking wallet-service); the startup check
        // answers from a flag and reports the view as stale, still up
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", not(hasItem("api-key-view")));
        given().get("/q/health/started").then().statusCode(200)
                .body("checks.find { it.name == 'api-key-view' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'api-key-view' }.data.fresh", equalTo(false));

        // wallet-service cannot be asked either: refused with 503, never accepted on the stale view alone
        given().put(wallet + "/stub/introspection/down").then().statusCode(204);
        given().auth().oauth2(valid).get("/v1/admin/numbers").then().statusCode(503)
                .body("detail", equalTo("Cannot check the API key now (the key service is unreachable); try again"));
        given().auth().oauth2(live).get("/v1/admin/numbers").then().statusCode(503).body("detail",
                equalTo("Cannot check the session now (the account service is unreachable); try again"));
        given().put(wallet + "/stub/introspection/up").then().statusCode(204);

        view.pause(false);
        await().atMost(Duration.ofSeconds(60)).until(view::fresh);
        given().auth().oauth2(valid).get("/v1/admin/numbers").then().statusCode(403);
        given().auth().oauth2(revoked).get("/v1/admin/numbers").then().statusCode(401);
        given().auth().oauth2(live).get("/v1/admin/numbers").then().statusCode(200);
    }

    private void register(String key, String status) {
        given().contentType(ContentType.JSON)
                .body("{\"key_id\":\"" + UUID.nameUUIDFromBytes(key.getBytes()) + "\",\"account_id\":\""
                        + UUID.nameUUIDFromBytes(ApiKeys.hash(key).getBytes()) + "\",\"prefix\":\""
                        + ApiKeys.shownPrefix(key) + "\",\"status\":\"" + status + "\"}")
                .put(wallet + "/stub/keys/" + ApiKeys.hash(key)).then().statusCode(204);
    }
}
