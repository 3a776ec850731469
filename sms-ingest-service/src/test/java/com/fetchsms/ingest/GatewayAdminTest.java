package com.fetchsms.ingest;

import static com.fetchsms.ingest.Fixtures.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.ApiKeyChanged;
import com.fetchsms.common.security.ApiKeys;
import com.fetchsms.ingest.service.GatewayCredentials;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class GatewayAdminTest {

    @Test
    void anAdminCreatesAGatewayWhoseTokenIsShownOnceAndStoredOnlyAsItsHash() {
        String name = "Modem rack " + UUID.randomUUID().toString().substring(0, 6);
        JsonPath created = admin().contentType(ContentType.JSON).body(Map.of("name", "  " + name + " "))
                .post("/v1/admin/gateways").then().statusCode(201)
                .body("id", matchesPattern("[0-9a-f-]{36}"))
                .body("name", equalTo(name))
                .body("token", matchesPattern("fgw_[0-9A-Za-z]{40}"))
                .body("signing_key", matchesPattern("[A-Za-z0-9_-]{43}"))
                .body("created_at", notNullValue())
                .extract().jsonPath();
        String token = created.getString("token");
        List<Map<String, Object>> rows = Fixtures.rows("SELECT token_hash, token_prefix FROM gateway WHERE id = ?",
                UUID.fromString(created.getString("id")));
        assertEquals(GatewayCredentials.hash(token), rows.get(0).get("token_hash"));
        assertEquals(token.substring(0, 8), rows.get(0).get("token_prefix"));
        assertFalse(Fixtures.rows("SELECT * FROM gateway").toString().contains(token), "the token is never stored");

        admin().get("/v1/admin/gateways").then().statusCode(200)
                .body("find { it.name == '" + name + "' }.token", nullValue())
                .body("find { it.name == '" + name + "' }.token_prefix", equalTo(token.substring(0, 8)))
                .body("find { it.name == '" + name + "' }.last_seen_at", nullValue())
                .body("find { it.name == '" + name + "' }.messages", equalTo(0))
                .body("find { it.name == '" + name + "' }.messages_last_hour", equalTo(0));
    }

    @Test
    void theListCountsNumbersMessagesDuplicatesAndRejectionsAndShowsWhenTheGatewayWasLastSeen() {
        Fixtures.Gw gateway = Fixtures.gateway();
        Fixtures.Gw other = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        Fixtures.numberOf(gateway);
        String foreign = Fixtures.numberOf(other);
        gateway.send(Map.of("to", number, "from", "Google", "text", "G-123456 is your Google verification code."))
                .then().statusCode(202);
        gateway.send(Map.of("to", number, "from", "Google", "text", "G-123456 is your Google verification code."))
                .then().statusCode(202).body("duplicate", equalTo(true));
        gateway.send(Map.of("to", foreign, "from", "Google", "text", "G-654321 is your Google verification code."))
                .then().statusCode(403);

        String path = "find { it.id == '" + gateway.id() + "' }";
        admin().get("/v1/admin/gateways").then().statusCode(200)
                .body(path + ".numbers", equalTo(2))
                .body(path + ".messages", equalTo(1))
                .body(path + ".messages_last_hour", equalTo(1))
                .body(path + ".duplicates", equalTo(1))
                .body(path + ".rejected", equalTo(1))
                .body(path + ".last_seen_at", notNullValue());
    }

    @Test
    void messagesOfTheLastHourCountTheGatewaysMessagesStoredInTheLast60MinutesWithoutDuplicates() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        String old = gateway.send(Fixtures.sms(number, "Telegram", "Telegram code: 11111"))
                .then().statusCode(202).extract().path("id");
        gateway.send(Fixtures.sms(number, "Telegram", "Telegram code: 22222")).then().statusCode(202)
                .body("outcome", equalTo("accepted"));
        gateway.send(Fixtures.sms(number, "Telegram", "Telegram code: 22222")).then().statusCode(202)
                .body("outcome", equalTo("duplicate"));
        gateway.send(Fixtures.sms(number, "WhatsApp", "Your WhatsApp code: 333-333")).then().statusCode(202)
                .body("outcome", equalTo("accepted"));
        // the first message was stored 61 minutes ago (received just as long ago: its time is the gateway's)
        assertEquals(1, Fixtures.rows("""
                UPDATE inbound_message SET created_at = created_at - interval '61 minutes',
                                           received_at = received_at - interval '61 minutes'
                WHERE id = ? RETURNING id""", UUID.fromString(old)).size());

        String path = "find { it.id == '" + gateway.id() + "' }";
        admin().get("/v1/admin/gateways").then().statusCode(200)
                .body(path + ".messages", equalTo(3))
                .body(path + ".messages_last_hour", equalTo(2))
                .body(path + ".duplicates", equalTo(1));
        assertEquals(2, Fixtures.count("""
                SELECT count(*) FROM inbound_message WHERE gateway_id = ? AND created_at >= now() - interval '1 hour'
                """, gateway.id()));
    }

    @Test
    void rotatingATokenRevokesTheOldOneAtOnce() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        JsonPath rotated = admin().post("/v1/admin/gateways/" + gateway.id() + "/rotate").then().statusCode(200)
                .body("id", equalTo(gateway.id().toString()))
                .body("token", matchesPattern("fgw_[0-9A-Za-z]{40}"))
                .extract().jsonPath();
        assertNotEquals(gateway.token(), rotated.getString("token"));
        assertNotEquals(gateway.signingKey(), rotated.getString("signing_key"));

        gateway.send(Fixtures.sms(number, "Telegram", "Telegram code: 55123")).then().statusCode(401)
                .body("detail", equalTo("Invalid gateway token"));
        given().auth().oauth2(rotated.getString("token")).contentType(ContentType.JSON)
                .body(Fixtures.sms(number, "Telegram", "Telegram code: 55123")).post("/v1/ingest/messages")
                .then().statusCode(202).body("duplicate", equalTo(false));
        admin().post("/v1/admin/gateways/" + UUID.randomUUID() + "/rotate").then().statusCode(404)
                .body("detail", equalTo("Gateway not found"));
    }

    @Test
    void badGatewayRequestsAreClearClientErrorsThatChangeNothing() {
        long before = Fixtures.count("SELECT count(*) FROM gateway");
        admin().contentType(ContentType.JSON).body(Map.of("name", " ")).post("/v1/admin/gateways").then()
                .statusCode(422).body("detail", equalTo("'name' is required"));
        admin().contentType(ContentType.JSON).body("{").post("/v1/admin/gateways").then().statusCode(400)
                .body("detail", notNullValue());
        admin().contentType(ContentType.JSON).body(Map.of("name", "x".repeat(101))).post("/v1/admin/gateways")
                .then().statusCode(422);
        Fixtures.Gw existing = Fixtures.gateway();
        admin().contentType(ContentType.JSON).body(Map.of("name", existing.name().toUpperCase()))
                .post("/v1/admin/gateways").then().statusCode(409)
                .body("detail", equalTo("A gateway named '" + existing.name().toUpperCase() + "' exists"));
        assertEquals(before + 1, Fixtures.count("SELECT count(*) FROM gateway"));
    }

    @Test
    void onlyAdminSessionsManageGateways() {
        given().get("/v1/admin/gateways").then().statusCode(401);
        given().auth().oauth2(TestTokens.user(UUID.randomUUID())).get("/v1/admin/gateways").then().statusCode(403);
        given().auth().oauth2(TestTokens.expired(UUID.randomUUID())).get("/v1/admin/gateways").then()
                .statusCode(401);
        Fixtures.Gw gateway = Fixtures.gateway();
        given().auth().oauth2(gateway.token()).get("/v1/admin/gateways").then().statusCode(401);
        // API keys are a credential here (of the sandbox's route only): an unknown one is 401, a valid one 403
        given().auth().oauth2("fsk_live_" + "a".repeat(32)).contentType(ContentType.JSON)
                .body(Map.of("name", "x")).post("/v1/admin/gateways").then().statusCode(401);
        String key = ApiKeys.generate();
        KafkaEvents.send(new ApiKeyChanged(ApiKeys.hash(key), UUID.randomUUID(), UUID.randomUUID(),
                ApiKeys.shownPrefix(key), ApiKeyChanged.ACTIVE, Instant.now()));
        Fixtures.await("the key is known", () -> given().auth().oauth2(key).contentType(ContentType.JSON)
                .body(Map.of("name", "x")).post("/v1/admin/gateways").statusCode() == 403);
        given().auth().oauth2(key).get("/v1/admin/gateways").then().statusCode(403)
                .body("detail", equalTo("API keys are not accepted here; use a dashboard session token"));
    }
}
