package com.fetchsms.common.security;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.ApiKeyChanged;
import com.fetchsms.common.events.SessionRevoked;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.KafkaEvents.Outgoing;
import com.fetchsms.testkit.ServiceTestResource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@link ApiKeyView} following the compacted {@code api-key.changed} topic of a real broker: keys created and revoked
 * there, and sign-outs, reach the view and decide what the route of {@link ProbeResource} answers. No wallet-service
 * runs: a key the view does not hold cannot be introspected, so while the view is fresh it is simply not a credential.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class ApiKeyViewTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    ApiKeyView view;
    @Inject
    MeterRegistry registry;

    @BeforeEach
    void viewIsFresh() {
        await().atMost(Duration.ofSeconds(60)).until(view::fresh);
    }

    @Test
    void aKeyCreatedOnTheTopicAuthenticatesAndItsRevocationOnTheTopicEndsThat() {
        String key = ApiKeys.generate();
        UUID keyId = UUID.randomUUID();
        UUID account = UUID.randomUUID();
        long hopsBefore = hops();
        KafkaEvents.send(change(key, keyId, account, ApiKeyChanged.ACTIVE));

        await().atMost(PATIENCE).until(() -> state(key).isPresent());
        ApiKeyView.KeyState created = state(key).orElseThrow();
        assertEquals(keyId, created.keyId());
        assertEquals(account, created.accountId());
        assertEquals(ApiKeys.shownPrefix(key), created.prefix());
        assertTrue(created.active());
        given().auth().oauth2(key).get("/probe/limited").then().statusCode(200).body(equalTo(account.toString()));
        // a change after the view caught up is a hop of fetchsms_consumer_event_delay_seconds{consumer=api-key-view}
        await().atMost(PATIENCE).until(() -> hops() >= hopsBefore + 1);

        KafkaEvents.send(change(key, keyId, account, ApiKeyChanged.REVOKED));
        await().atMost(PATIENCE).until(() -> !state(key).orElseThrow().active());
        given().auth().oauth2(key).get("/probe/limited").then().statusCode(401)
                .body("detail", equalTo("Invalid or revoked API key"));
    }

    @Test
    void theNewestChangeOfAKeyIsItsStateAndTheOtherKeysOfTheAccountKeepTheirs() {
        String revokedLater = ApiKeys.generate();
        String keptActive = ApiKeys.generate();
        UUID account = UUID.randomUUID();
        UUID revokedId = UUID.randomUUID();
        KafkaEvents.sendAll(List.of(
                new Outgoing(change(revokedLater, revokedId, account, ApiKeyChanged.ACTIVE),
                        UUID.randomUUID().toString()),
                new Outgoing(change(keptActive, UUID.randomUUID(), account, ApiKeyChanged.ACTIVE),
                        UUID.randomUUID().toString()),
                new Outgoing(change(revokedLater, revokedId, account, ApiKeyChanged.REVOKED),
                        UUID.randomUUID().toString())));

        await().atMost(PATIENCE).until(() -> state(revokedLater).map(k -> !k.active()).orElse(false));
        await().atMost(PATIENCE).until(() -> state(keptActive).isPresent());
        assertTrue(state(keptActive).orElseThrow().active());
        given().auth().oauth2(revokedLater).get("/probe/limited").then().statusCode(401);
        given().auth().oauth2(keptActive).get("/probe/limited").then().statusCode(200);
    }

    @Test
    void aKeyTheViewNeverHeardOfIsNoCredentialWhileTheViewIsFresh() {
        String unknown = ApiKeys.generate();
        assertEquals(Optional.empty(), state(unknown));
        given().auth().oauth2(unknown).get("/probe/limited").then().statusCode(401)
                .body("detail", equalTo("Invalid or revoked API key"));
    }

    @Test
    void signOutsOnTheTopicReachTheView() {
        UUID account = UUID.randomUUID();
        UUID signedOut = UUID.randomUUID();
        UUID stillIn = UUID.randomUUID();
        Instant issued = Instant.now().minusSeconds(60);
        Instant expires = Instant.now().plusSeconds(3600);
        assertFalse(revoked(account, signedOut, issued));

        KafkaEvents.send(SessionRevoked.one(account, signedOut, expires, Instant.now()));
        await().atMost(PATIENCE).until(() -> revoked(account, signedOut, issued));
        assertFalse(revoked(account, stillIn, issued), "another session of the account is not signed out");

        // "sign out everywhere": every session issued at or before the cut-off, none issued after it
        Instant cutoff = Instant.now();
        KafkaEvents.send(SessionRevoked.all(account, cutoff, expires));
        await().atMost(PATIENCE).until(() -> revoked(account, stillIn, issued));
        assertFalse(revoked(account, UUID.randomUUID(), cutoff.plusSeconds(1)), "a later login is a new session");
    }

    private Optional<ApiKeyView.KeyState> state(String key) {
        return view.find(ApiKeys.hash(key)).await().atMost(Duration.ofSeconds(10));
    }

    private boolean revoked(UUID account, UUID session, Instant issuedAt) {
        return view.sessionRevoked(account, session, issuedAt).await().atMost(Duration.ofSeconds(10));
    }

    private long hops() {
        Timer timer = registry.find("fetchsms.consumer.event.delay").tag("consumer", ApiKeyView.HOP).timer();
        return timer == null ? 0 : timer.count();
    }

    private static ApiKeyChanged change(String key, UUID keyId, UUID account, String status) {
        return new ApiKeyChanged(ApiKeys.hash(key), keyId, account, ApiKeys.shownPrefix(key), status, Instant.now());
    }
}
