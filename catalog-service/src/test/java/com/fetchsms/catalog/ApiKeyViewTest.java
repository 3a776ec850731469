package com.fetchsms.catalog;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.ApiKeyChanged;
import com.fetchsms.common.security.ApiKeyView;
import com.fetchsms.common.security.ApiKeys;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The shared API-key view (fetchsms-common), as every service that takes keys runs it: fed by the compacted
 * {@code api-key.changed} topic, with wallet-service introspection on a miss (a real local HTTP stand-in here).
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(WalletStubResource.class)
class ApiKeyViewTest {

    @ConfigProperty(name = "fetchsms.services.wallet-url")
    String wallet;

    @TestHTTPResource("/v1/admin/numbers")
    URL adminNumbers;

    @Inject
    ApiKeyView view;

    @Test
    void aRevokedKeyIsRefusedWithinOneSecondOfItsEventOnTheTopic() {
        String key = ApiKeys.generate();
        UUID keyId = UUID.randomUUID();
        UUID account = UUID.randomUUID();
        KafkaEvents.send(change(key, keyId, account, ApiKeyChanged.ACTIVE));
        awaitStatus(key, 403, Duration.ofSeconds(10)); // known and valid: the wrong credential for an admin route
        given().auth().oauth2(key).get("/v1/admin/numbers").then().statusCode(403)
                .body("detail", equalTo("API keys are not accepted here; use a dashboard session token"));

        KafkaEvents.send(change(key, keyId, account, ApiKeyChanged.REVOKED));
        long sent = System.nanoTime();
        awaitStatus(key, 401, Duration.ofSeconds(5));
        long millis = Duration.ofNanos(System.nanoTime() - sent).toMillis();
        assertTrue(millis < 1000, "revocation took " + millis + " ms to reach the view");
        given().auth().oauth2(key).get("/v1/admin/numbers").then().statusCode(401)
                .body("detail", equalTo("Invalid or revoked API key"));
    }

    @Test
    void aKeyTheViewHasNotSeenIsIntrospectedOnceAndItsUseReportedInBatches() {
        String key = ApiKeys.generate();
        UUID keyId = UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"key_id\":\"" + keyId + "\",\"account_id\":\"" + UUID.randomUUID()
                        + "\",\"prefix\":\"" + ApiKeys.shownPrefix(key) + "\",\"status\":\"active\"}")
                .put(wallet + "/stub/keys/" + ApiKeys.hash(key)).then().statusCode(204);

        given().auth().oauth2(key).get("/v1/admin/numbers").then().statusCode(403);
        given().auth().oauth2(key).get("/v1/admin/numbers").then().statusCode(403);

        await("the key's use reported").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> given().get(wallet + "/stub/usage").then().statusCode(200).extract().asString(),
                        usage -> usage.contains(keyId.toString()));
    }

    @Test
    void thousandsOfRandomKeysLeaveTheUnknownKeyCacheAtItsBoundAndRealKeysStillAuthenticate() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<Void>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            inFlight.add(client.sendAsync(HttpRequest.newBuilder(adminNumbers.toURI())
                    .header("Authorization", "Bearer " + ApiKeys.generate()).build(),
                    HttpResponse.BodyHandlers.discarding()));
            if (inFlight.size() == 50) {
                assertAllRefused(inFlight);
            }
        }
        assertAllRefused(inFlight);
        long remembered = view.unknownKeysRemembered();
        assertTrue(remembered > 0 && remembered <= 300, remembered + " unknown keys remembered (bound 300)");

        // real keys, from the topic and from introspection, still authenticate (403: valid, but not an admin)
        String fromTopic = ApiKeys.generate();
        KafkaEvents.send(change(fromTopic, UUID.randomUUID(), UUID.randomUUID(), ApiKeyChanged.ACTIVE));
        awaitStatus(fromTopic, 403, Duration.ofSeconds(10));
        String introspected = ApiKeys.generate();
        given().contentType(ContentType.JSON)
                .body("{\"key_id\":\"" + UUID.randomUUID() + "\",\"account_id\":\"" + UUID.randomUUID()
                        + "\",\"prefix\":\"" + ApiKeys.shownPrefix(introspected) + "\",\"status\":\"active\"}")
                .put(wallet + "/stub/keys/" + ApiKeys.hash(introspected)).then().statusCode(204);
        given().auth().oauth2(introspected).get("/v1/admin/numbers").then().statusCode(403);
        assertTrue(view.unknownKeysRemembered() <= 300);
    }

    private static void assertAllRefused(List<CompletableFuture<HttpResponse<Void>>> inFlight) throws Exception {
        for (CompletableFuture<HttpResponse<Void>> f : inFlight) {
            assertEquals(401, f.get(30, TimeUnit.SECONDS).statusCode());
        }
        inFlight.clear();
    }

    @Test
    void anUnknownKeyIsAnswered401AndSessionRoutesStillNeedASession() {
        given().auth().oauth2(ApiKeys.generate()).get("/v1/admin/numbers").then().statusCode(401)
                .body("detail", containsString("Invalid or revoked API key"));
        given().get("/v1/services").then().statusCode(200);
        // the start waits for the key view to catch up with the topic (a moment after start): startup, not readiness
        await("started").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().get("/q/health/started").statusCode() == 200);
        given().get("/q/health/started").then()
                .body("checks.find { it.name == 'api-key-view' }.data.'caught-up'", equalTo(true));
    }

    private static ApiKeyChanged change(String key, UUID keyId, UUID account, String status) {
        return new ApiKeyChanged(ApiKeys.hash(key), keyId, account, ApiKeys.shownPrefix(key), status, Instant.now());
    }

    private static void awaitStatus(String key, int status, Duration timeout) {
        await("status " + status + " for the key").atMost(timeout).pollInterval(Duration.ofMillis(10))
                .until(() -> given().auth().oauth2(key).get("/v1/admin/numbers").statusCode() == status);
    }
}
