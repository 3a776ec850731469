package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fetchsms.common.events.Topics;
import com.fetchsms.common.security.ApiKeys;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceCredentials;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class ApiKeysTest {

    @Inject
    Pool pool;

    @Test
    void aNewKeyIsShownOnceStoredAsItsHashAndPublishedActive() {
        TestAccounts.TestAccount account = TestAccounts.create();
        Response created = issue(account, "  production  ");
        created.then().statusCode(201)
                .body("name", equalTo("production"))
                .body("key", matchesPattern("fsk_live_[0-9A-Za-z]{32}"))
                .body("created_at", notNullValue());
        String key = created.path("key");
        String id = created.path("id");
        assertEquals(key.substring(0, 13), created.path("prefix"));

        assertEquals(ApiKeys.hash(key), Db.rows(pool, "SELECT key_hash FROM api_key WHERE id = $1",
                UUID.fromString(id)).iterator().next().getString(0));
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM api_key k WHERE k::text LIKE '%' || $1 || '%'", key),
                "the key itself is stored nowhere");

        given().auth().oauth2(account.token()).when().get("/v1/api-keys").then().statusCode(200)
                .body("id", equalTo(List.of(id)))
                .body("[0]", not(hasKey("key")))
                .body("[0].prefix", equalTo(key.substring(0, 13)))
                .body("[0].last_used_at", nullValue())
                .body("[0].revoked_at", nullValue());

        KafkaEvents.Received event = KafkaEvents.await(Topics.API_KEY_CHANGED, r -> ApiKeys.hash(key).equals(r.key()),
                Duration.ofSeconds(20));
        assertEquals("fetchsms.api-key.changed.v1", event.type());
        assertEquals("/fetchsms/wallet-service", event.source());
        assertEquals("active", event.data().get("status").asText());
        assertEquals(id, event.data().get("key_id").asText());
        assertEquals(account.id().toString(), event.data().get("account_id").asText());
        assertFalse(event.data().toString().contains(key), "the key never travels");
        assertEquals("compact", KafkaEvents.topicConfig(Topics.API_KEY_CHANGED, "cleanup.policy"));
    }

    @Test
    void aRevokedKeyIsOnTheTopicAsRevokedWithinOneSecond() throws Exception {
        TestAccounts.TestAccount account = TestAccounts.create();
        Response created = issue(account, "to revoke");
        String hash = ApiKeys.hash(created.path("key"));
        String id = created.path("id");
        KafkaEvents.await(Topics.API_KEY_CHANGED, r -> hash.equals(r.key()), Duration.ofSeconds(20));

        try (TopicTail tail = new TopicTail(Topics.API_KEY_CHANGED)) {
            given().auth().oauth2(account.token()).when().delete("/v1/api-keys/" + id).then().statusCode(204);
            long answered = System.nanoTime();
            ConsumerRecord<String, String> record = tail.next(r -> hash.equals(r.key()), Duration.ofSeconds(5))
                    .orElseThrow(() -> new AssertionError("no record for the key after its revocation"));
            long millis = Duration.ofNanos(System.nanoTime() - answered).toMillis();
            assertTrue(millis < 1000, "revocation took " + millis + " ms to reach the topic");
            JsonNode change = new ObjectMapper().readTree(record.value());
            assertEquals("revoked", change.get("status").asText(), record.value());
            assertEquals(id, change.get("key_id").asText());
        }

        given().auth().oauth2(account.token()).when().get("/v1/api-keys").then().statusCode(200)
                .body("[0].revoked_at", notNullValue());
        // revoking again changes nothing and publishes nothing
        given().auth().oauth2(account.token()).when().delete("/v1/api-keys/" + id).then().statusCode(204);
        assertEquals(2, Db.publishedOfKey(pool, Topics.API_KEY_CHANGED, hash).size(), "issued, revoked");
    }

    @Test
    void anotherAccountsKeyOrAnUnknownKeyIs404() {
        TestAccounts.TestAccount owner = TestAccounts.create();
        TestAccounts.TestAccount other = TestAccounts.create();
        String id = issue(owner, "mine").path("id");

        given().auth().oauth2(other.token()).when().delete("/v1/api-keys/" + id).then().statusCode(404)
                .body("detail", equalTo("No API key " + id));
        given().auth().oauth2(owner.token()).when().delete("/v1/api-keys/" + UUID.randomUUID()).then()
                .statusCode(404);
        given().auth().oauth2(owner.token()).when().delete("/v1/api-keys/not-an-id").then().statusCode(404);
        given().auth().oauth2(other.token()).when().get("/v1/api-keys").then().statusCode(200).body("",
                equalTo(List.of()));
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM api_key WHERE id = $1 AND revoked_at IS NOT NULL",
                UUID.fromString(id)));
    }

    @Test
    void badNamesAre4xxAndWriteNothing() {
        TestAccounts.TestAccount account = TestAccounts.create();
        given().auth().oauth2(account.token()).contentType(ContentType.JSON).body(Map.of())
                .when().post("/v1/api-keys").then().statusCode(400).body("detail", equalTo("'name' is required"));
        issue(account, "   ").then().statusCode(422).body("detail", equalTo("'name' must be 1 to 100 characters"));
        issue(account, "n".repeat(101)).then().statusCode(422);
        given().auth().oauth2(account.token()).contentType(ContentType.JSON).body(Map.of("name", Map.of("a", 1)))
                .when().post("/v1/api-keys").then().statusCode(400)
                .body("detail", equalTo("Field 'name' has the wrong type"));
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM api_key WHERE account_id = $1", account.id()));
        issue(account, "n".repeat(100)).then().statusCode(201);
    }

    @Test
    void anAccountHoldsAtMostTwentyFiveActiveKeys() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String first = null;
        for (int i = 0; i < 25; i++) {
            String id = issue(account, "key " + i).then().statusCode(201).extract().path("id");
            first = first == null ? id : first;
        }
        issue(account, "one too many").then().statusCode(422)
                .body("detail", equalTo("An account may hold at most 25 active API keys; revoke one first"));
        given().auth().oauth2(account.token()).when().delete("/v1/api-keys/" + first).then().statusCode(204);
        issue(account, "replacement").then().statusCode(201);
        assertEquals(25L, Db.count(pool, "SELECT count(*) FROM api_key WHERE account_id = $1 AND revoked_at IS NULL",
                account.id()));
    }

    @Test
    void introspectionAnswersActiveRevokedOrUnknown() {
        TestAccounts.TestAccount account = TestAccounts.create();
        Response created = issue(account, "svc");
        String key = created.path("key");
        String id = created.path("id");

        introspect(ApiKeys.hash(key)).then().statusCode(200)
                .body("key_id", equalTo(id))
                .body("account_id", equalTo(account.id().toString()))
                .body("prefix", equalTo(key.substring(0, 13)))
                .body("status", equalTo("active"));
        given().auth().oauth2(account.token()).when().delete("/v1/api-keys/" + id).then().statusCode(204);
        introspect(ApiKeys.hash(key)).then().statusCode(200).body("status", equalTo("revoked"));
        introspect(ApiKeys.hash("fsk_live_unknown")).then().statusCode(404).body("detail", equalTo("Unknown key"));
        introspect("xyz").then().statusCode(422);
        ServiceCredentials.internal().contentType(ContentType.JSON).body(Map.of()).when()
                .post("/internal/api-keys/introspect").then()
                .statusCode(400).body("detail", equalTo("'key_hash' is required"));
    }

    @Test
    void usageReportsOnlyMoveLastUsedAtForward() {
        TestAccounts.TestAccount account = TestAccounts.create();
        UUID id = UUID.fromString(issue(account, "busy").path("id"));
        Instant t1 = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        Instant t0 = t1.minus(1, ChronoUnit.HOURS);
        Instant t2 = t1.plus(5, ChronoUnit.MINUTES);

        usage(List.of(Map.of("key_id", id.toString(), "last_used_at", t1.toString()))).then().statusCode(204);
        assertEquals(t1, lastUsed(id));
        // a replica reporting late, with an older use, does not move it back
        usage(List.of(Map.of("key_id", id.toString(), "last_used_at", t0.toString()))).then().statusCode(204);
        assertEquals(t1, lastUsed(id));
        // several reports of one key in a batch: the newest wins; unknown keys are ignored
        usage(List.of(Map.of("key_id", id.toString(), "last_used_at", t2.toString()),
                Map.of("key_id", id.toString(), "last_used_at", t0.toString()),
                Map.of("key_id", UUID.randomUUID().toString(), "last_used_at", t2.toString())))
                .then().statusCode(204);
        assertEquals(t2, lastUsed(id));
        // a clock ahead of ours is clamped to now
        usage(List.of(Map.of("key_id", id.toString(), "last_used_at", Instant.now().plus(1, ChronoUnit.DAYS)
                .toString()))).then().statusCode(204);
        assertTrue(!lastUsed(id).isAfter(Instant.now().plusSeconds(1)));

        given().auth().oauth2(account.token()).when().get("/v1/api-keys").then().statusCode(200)
                .body("[0].last_used_at", notNullValue());
        usage(List.of(Map.of("last_used_at", t2.toString()))).then().statusCode(400)
                .body("detail", equalTo("usages[0] needs 'key_id' and 'last_used_at'"));
        ServiceCredentials.internal().contentType(ContentType.JSON).body(Map.of()).when()
                .post("/internal/api-keys/usage").then()
                .statusCode(400).body("detail", equalTo("'usages' is required"));
    }

    private Instant lastUsed(UUID id) {
        return Db.rows(pool, "SELECT last_used_at FROM api_key WHERE id = $1", id).iterator().next()
                .getOffsetDateTime(0).toInstant();
    }

    private static Response issue(TestAccounts.TestAccount account, String name) {
        return given().auth().oauth2(account.token()).contentType(ContentType.JSON).body(Map.of("name", name))
                .when().post("/v1/api-keys");
    }

    private static Response introspect(String hash) {
        return ServiceCredentials.internal().contentType(ContentType.JSON).body(Map.of("key_hash", hash))
                .when().post("/internal/api-keys/introspect");
    }

    private static Response usage(List<Map<String, String>> usages) {
        return ServiceCredentials.internal().contentType(ContentType.JSON).body(Map.of("usages", usages))
                .when().post("/internal/api-keys/usage");
    }
}
