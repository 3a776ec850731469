package com.fetchsms.webhook;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.KeyMode;
import com.fetchsms.common.security.ApiKeys;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class WebhookEndpointsTest {

    @Test
    void aNewEndpointShowsItsSecretOnceAndStoresItEncrypted() {
        Fixtures customer = new Fixtures();
        JsonPath created = customer.endpoint("http://127.0.0.1:9/hook");
        assertEquals(List.of("id", "url", "events", "secret", "created_at"),
                List.copyOf(created.getMap("$").keySet()));
        assertEquals("http://127.0.0.1:9/hook", created.getString("url"));
        assertEquals(List.of("sms.received", "rental.expired"), created.getList("events"));
        String secret = created.getString("secret");
        assertTrue(secret.matches("whsec_[A-Za-z0-9+/]{43}="), secret);
        assertTrue(created.getString("created_at").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));

        String id = created.getString("id");
        List<Map<String, Object>> listed = customer.as().get("/v1/webhooks").then().statusCode(200)
                .body("$", hasSize(1)).extract().jsonPath().getList("$");
        assertEquals(List.of("id", "url", "events", "status", "disabled_reason", "created_at"),
                List.copyOf(listed.get(0).keySet()));
        assertEquals(id, listed.get(0).get("id"));
        assertEquals("active", listed.get(0).get("status"));
        assertFalse(listed.get(0).containsKey("secret"));

        byte[] stored = Fixtures.query("SELECT secret_ciphertext FROM endpoint WHERE id = ?", UUID.fromString(id),
                byte[].class);
        String storedText = new String(stored, StandardCharsets.ISO_8859_1);
        assertFalse(storedText.contains(secret) || storedText.contains(secret.substring(6)),
                "the secret is encrypted at rest");
        assertEquals(12 + secret.length() + 16, stored.length, "nonce + ciphertext + GCM tag");
    }

    @Test
    void anEventFilterIsKeptAndUnknownEventsAreRefused() {
        Fixtures customer = new Fixtures();
        assertEquals(List.of("rental.expired"),
                customer.endpoint("http://127.0.0.1:9/a", "rental.expired", "rental.expired").getList("events"));
        customer.as().contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/b", "events", List.of("sms.received", "sms.sent")))
                .post("/v1/webhooks").then().statusCode(422)
                .body("detail", equalTo("'events[1]' must be one of sms.received, rental.expired"));
        customer.as().contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/b", "events", List.of()))
                .post("/v1/webhooks").then().statusCode(422).body("detail", notNullValue());
        customer.as().contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/b", "events", "all"))
                .post("/v1/webhooks").then().statusCode(400).body("detail", notNullValue());
    }

    @Test
    void malformedInputIsA4xxWithADetail() {
        Fixtures customer = new Fixtures();
        customer.as().contentType(ContentType.JSON).post("/v1/webhooks").then().statusCode(400)
                .body("detail", notNullValue());
        customer.as().contentType(ContentType.JSON).body("{\"url\":").post("/v1/webhooks").then().statusCode(400)
                .body("detail", notNullValue());
        customer.as().contentType(ContentType.JSON).body(Map.of("events", List.of("sms.received")))
                .post("/v1/webhooks").then().statusCode(400).body("detail", equalTo("'url' is required"));
        customer.as().contentType(ContentType.JSON).body(Map.of("url", 42)).post("/v1/webhooks").then()
                .statusCode(400).body("detail", notNullValue());
        for (String url : List.of("not a url", "/relative/path", "ftp://127.0.0.1/hook",
                "http://user:pass@127.0.0.1/hook", "https://does-not-exist.invalid/hook")) {
            customer.as().contentType(ContentType.JSON).body(Map.of("url", url)).post("/v1/webhooks").then()
                    .statusCode(422).body("detail", startsWith("Field 'url' is not allowed: "));
        }
        customer.as().get("/v1/webhooks").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void privateLoopbackLinkLocalAndMetadataAddressesAreRefusedAtCreation() {
        Fixtures customer = new Fixtures();
        for (String url : List.of("http://169.254.169.254/", "http://169.254.169.254/latest/meta-data/",
                "http://10.0.0.1/", "http://192.168.1.10/hook", "http://172.16.0.1/", "http://localhost:8080/hook",
                "http://[::1]/hook", "http://[fd00::1]/hook", "http://[fe80::1]/hook", "http://0.0.0.0/",
                "http://100.64.0.1/", "http://224.0.0.1/")) {
            customer.as().contentType(ContentType.JSON).body(Map.of("url", url)).post("/v1/webhooks").then()
                    .statusCode(422)
                    .body("detail", matchesPattern("Field 'url' is not allowed: the host .* resolves to a private "
                            + "or reserved address"));
        }
        customer.as().get("/v1/webhooks").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void everySpellingOfALoopbackOrPrivateAddressIsRefusedAtCreation() {
        Fixtures customer = new Fixtures();
        for (String url : List.of("http://0177.0.0.1/", "http://0x7f.0.0.1/", "http://0x7f000001/",
                "http://2130706433/", "http://127.1/", "http://127.0.1:9/hook", "http://0xa9fea9fe/latest/meta-data/",
                "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[::127.0.0.1]/",
                "http://[2002:7f00:1::]/", "http://[2002:a9fe:a9fe::]/",
                "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "http://[64:ff9b::7f00:1]/",
                "http://LOCALHOST/", "http://localhost./", "http://127.0.0.1.:9/hook")) {
            customer.as().contentType(ContentType.JSON).body(Map.of("url", url)).post("/v1/webhooks").then()
                    .statusCode(422).body("detail", startsWith("Field 'url' is not allowed: the host "));
        }
        for (String url : List.of("http://127.0.0.1:99999/hook", "http://127.0.0.1:0/hook",
                "http://93.184.216.34:65536/hook")) {
            customer.as().contentType(ContentType.JSON).body(Map.of("url", url)).post("/v1/webhooks").then()
                    .statusCode(422)
                    .body("detail", equalTo("Field 'url' is not allowed: the port must be a number from 1 to 65535"));
        }
        customer.as().get("/v1/webhooks").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void anAllowedLoopbackHostIsNeverThePlatformsOwnPortsOrInternalRoutes() {
        Fixtures customer = new Fixtures();
        for (String url : List.of("http://127.0.0.1:8080/v1/services", "http://127.0.0.1:8081/hook",
                "http://127.0.0.1:8082/internal/debits", "http://127.0.0.1:8086/hook", "http://127.0.0.1:9092/")) {
            customer.as().contentType(ContentType.JSON).body(Map.of("url", url)).post("/v1/webhooks").then()
                    .statusCode(422)
                    .body("detail", matchesPattern("Field 'url' is not allowed: the port \\d+ of 127\\.0\\.0\\.1 "
                            + "is one of the platform's own services"));
        }
        for (String url : List.of("http://127.0.0.1:9/internal/reservations/1/release", "http://127.0.0.1:9/q/health",
                "http://127.0.0.1:9/hook/../internal/debits", "http://127.0.0.1:9/%69nternal/debits",
                "http://127.0.0.1:9//q/metrics")) {
            customer.as().contentType(ContentType.JSON).body(Map.of("url", url)).post("/v1/webhooks").then()
                    .statusCode(422).body("detail", matchesPattern("Field 'url' is not allowed: the path .* leads to "
                            + "the platform's internal routes"));
        }
        customer.as().get("/v1/webhooks").then().statusCode(200).body("$", hasSize(0));
        // a public address is accepted (not delivered here), and so is the allowed loopback host elsewhere
        assertEquals("https://93.184.216.34/hooks/fetchsms?x=1",
                customer.endpoint("https://93.184.216.34/hooks/fetchsms?x=1").getString("url"));
        customer.endpoint("http://127.0.0.1:9/hooks/internal");
        customer.as().get("/v1/webhooks").then().statusCode(200).body("$", hasSize(2));
    }

    @Test
    void anAccountHasAtMostTenEndpoints() {
        Fixtures customer = new Fixtures();
        for (int i = 0; i < 10; i++) {
            customer.endpoint("http://127.0.0.1:9/hook/" + i);
        }
        customer.as().contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/hook/10"))
                .post("/v1/webhooks").then().statusCode(422)
                .body("detail", equalTo("An account can have at most 10 webhook endpoints"));
        customer.as().get("/v1/webhooks").then().statusCode(200).body("$", hasSize(10));
        new Fixtures().endpoint("http://127.0.0.1:9/hook/other");
    }

    @Test
    void anotherAccountsEndpointDoesNotExist() {
        Fixtures owner = new Fixtures();
        Fixtures other = new Fixtures();
        String id = owner.endpoint("http://127.0.0.1:9/hook").getString("id");
        owner.as().post("/v1/webhooks/" + id + "/test").then().statusCode(202);
        String delivery = owner.awaitDeliveries(id, d -> !d.isEmpty(), java.time.Duration.ofSeconds(10)).get(0)
                .get("id").toString();

        other.as().get("/v1/webhooks").then().statusCode(200).body("$", hasSize(0));
        other.as().get("/v1/webhooks/" + id + "/deliveries").then().statusCode(404)
                .body("detail", equalTo("No webhook endpoint " + id));
        other.as().post("/v1/webhooks/" + id + "/test").then().statusCode(404).body("detail", notNullValue());
        other.as().delete("/v1/webhooks/" + id).then().statusCode(404).body("detail", notNullValue());
        other.as().post("/v1/webhooks/deliveries/" + delivery + "/retry").then().statusCode(404)
                .body("detail", equalTo("No delivery " + delivery));
        other.as().get("/v1/webhooks/not-an-id/deliveries").then().statusCode(404).body("detail", notNullValue());
        owner.as().get("/v1/webhooks").then().statusCode(200).body("$", hasSize(1));
    }

    @Test
    void deletingAnEndpointRemovesItAndItsDeliveries() {
        Fixtures customer = new Fixtures();
        String id = customer.endpoint("http://127.0.0.1:9/hook").getString("id");
        customer.as().post("/v1/webhooks/" + id + "/test").then().statusCode(202);
        customer.as().delete("/v1/webhooks/" + id).then().statusCode(204);
        customer.as().get("/v1/webhooks").then().statusCode(200).body("$", hasSize(0));
        customer.as().delete("/v1/webhooks/" + id).then().statusCode(404);
        assertEquals(0L, Fixtures.query("SELECT count(*) FROM delivery WHERE endpoint_id = ?", UUID.fromString(id),
                Long.class));
    }

    @Test
    void theRoutesTakeASessionOrATestKeyAndALiveKeyIsForbidden() {
        given().get("/v1/webhooks").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/hook")).post("/v1/webhooks")
                .then().statusCode(401);
        // an unknown key is no credential at all
        given().auth().oauth2("fsk_" + "a".repeat(40)).get("/v1/webhooks").then().statusCode(401)
                .body("detail", notNullValue());
        given().auth().oauth2(ApiKeys.generate(KeyMode.TEST)).get("/v1/webhooks").then().statusCode(401);
        // a live key is the wrong kind of credential: it never redirects the live account's webhooks (decision 0024),
        // refused before the body is read and before an id is looked up
        UUID account = UUID.randomUUID();
        String key = Fixtures.apiKey(account, KeyMode.LIVE);
        String detail = "/v1/webhooks takes a dashboard session or a test key (fsk_test_…): a live API key cannot "
                + "manage webhook endpoints";
        given().auth().oauth2(key).get("/v1/webhooks").then().statusCode(403).body("detail", equalTo(detail));
        given().auth().oauth2(key).contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/hook"))
                .post("/v1/webhooks").then().statusCode(403).body("detail", equalTo(detail));
        given().auth().oauth2(key).contentType(ContentType.JSON).body("{not json").post("/v1/webhooks").then()
                .statusCode(403).body("detail", equalTo(detail));
        String someId = UUID.randomUUID().toString();
        given().auth().oauth2(key).delete("/v1/webhooks/" + someId).then().statusCode(403)
                .body("detail", equalTo(detail));
        given().auth().oauth2(key).post("/v1/webhooks/" + someId + "/rotate-secret").then().statusCode(403);
        given().auth().oauth2(key).post("/v1/webhooks/" + someId + "/test").then().statusCode(403);
        given().auth().oauth2(key).get("/v1/webhooks/" + someId + "/deliveries").then().statusCode(403);
        given().auth().oauth2(key).post("/v1/webhooks/deliveries/" + someId + "/retry").then().statusCode(403)
                .body("detail", equalTo(detail));
        assertEquals(0L, Fixtures.query("SELECT count(*) FROM endpoint WHERE account_id = ?", account, Long.class),
                "the live key made nothing");
    }

    @Test
    void aTestKeyManagesItsSandboxsOwnEndpointsApartFromTheLiveAccounts() {
        Fixtures live = new Fixtures();
        Fixtures sandbox = Fixtures.sandboxTwin();
        String liveId = live.endpoint("http://127.0.0.1:9/live").getString("id");

        JsonPath created = sandbox.endpoint("http://127.0.0.1:9/sandbox", "sms.received");
        String id = created.getString("id");
        assertEquals(List.of("id", "url", "events", "secret", "created_at"),
                List.copyOf(created.getMap("$").keySet()));
        assertTrue(created.getString("secret").matches("whsec_[A-Za-z0-9+/]{43}="), created.getString("secret"));
        sandbox.as().get("/v1/webhooks").then().statusCode(200).body("id", equalTo(List.of(id)))
                .body("[0].url", equalTo("http://127.0.0.1:9/sandbox"))
                .body("[0].events", equalTo(List.of("sms.received"))).body("[0].status", equalTo("active"));
        assertEquals(sandbox.account, Fixtures.query("SELECT account_id FROM endpoint WHERE id = ?", Fixtures.uuid(id),
                UUID.class), "the twin's endpoint");
        // neither world sees the other's endpoints: each is another account's (404)
        live.as().get("/v1/webhooks").then().statusCode(200).body("id", equalTo(List.of(liveId)));
        for (var other : List.of(live.as().delete("/v1/webhooks/" + id),
                live.as().post("/v1/webhooks/" + id + "/rotate-secret"),
                live.as().post("/v1/webhooks/" + id + "/test"),
                live.as().get("/v1/webhooks/" + id + "/deliveries"),
                sandbox.as().delete("/v1/webhooks/" + liveId),
                sandbox.as().post("/v1/webhooks/" + liveId + "/rotate-secret"),
                sandbox.as().post("/v1/webhooks/" + liveId + "/test"),
                sandbox.as().get("/v1/webhooks/" + liveId + "/deliveries"))) {
            other.then().statusCode(404).body("detail", startsWith("No webhook endpoint "));
        }

        String rotated = sandbox.as().post("/v1/webhooks/" + id + "/rotate-secret").then().statusCode(200)
                .body("id", equalTo(id)).extract().path("secret");
        assertFalse(rotated.equals(created.getString("secret")));
        sandbox.as().post("/v1/webhooks/" + id + "/test").then().statusCode(202);
        String delivery = sandbox.awaitDeliveries(id, d -> !d.isEmpty(), Duration.ofSeconds(10)).get(0).get("id")
                .toString();
        live.as().post("/v1/webhooks/deliveries/" + delivery + "/retry").then().statusCode(404)
                .body("detail", equalTo("No delivery " + delivery));
        // the twin's own retry: 202 once no attempt is in flight (409 while one is)
        await("the sandbox's retry").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> sandbox.as().post("/v1/webhooks/deliveries/" + delivery + "/retry").statusCode(),
                        status -> status == 202);

        sandbox.as().delete("/v1/webhooks/" + id).then().statusCode(204);
        sandbox.as().get("/v1/webhooks").then().statusCode(200).body("$", hasSize(0));
        live.as().get("/v1/webhooks").then().statusCode(200).body("id", equalTo(List.of(liveId)));
    }

    @Test
    void aSandboxEndpointIsHeldToTheSameUrlRules() {
        Fixtures sandbox = Fixtures.sandboxTwin();
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
                "http://localhost:8080/hook", "http://0x7f000001/", "http://[::ffff:127.0.0.1]/")) {
            sandbox.as().contentType(ContentType.JSON).body(Map.of("url", url)).post("/v1/webhooks").then()
                    .statusCode(422).body("detail", startsWith("Field 'url' is not allowed: the host "));
        }
        sandbox.as().contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:8082/internal/debits"))
                .post("/v1/webhooks").then().statusCode(422)
                .body("detail", matchesPattern("Field 'url' is not allowed: the port 8082 of 127\\.0\\.0\\.1 "
                        + "is one of the platform's own services"));
        sandbox.as().contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/q/health"))
                .post("/v1/webhooks").then().statusCode(422)
                .body("detail", matchesPattern("Field 'url' is not allowed: the path .* leads to the platform's "
                        + "internal routes"));
        sandbox.as().get("/v1/webhooks").then().statusCode(200).body("$", hasSize(0));
    }
}
