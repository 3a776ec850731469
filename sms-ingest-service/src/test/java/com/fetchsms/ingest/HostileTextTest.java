package com.fetchsms.ingest;

import static com.fetchsms.ingest.Fixtures.admin;
import static com.fetchsms.ingest.Fixtures.count;
import static com.fetchsms.ingest.Fixtures.events;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Broken UTF-16, NUL and absurd times from a gateway or an administrator are a 4xx naming the field, never a 500, and
 * store and publish nothing. Bodies are raw JSON so that {@code \u0000} and lone surrogates arrive as sent.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class HostileTextTest {

    @Test
    void aGatewayNameWithANulOrALoneSurrogateIsRefusedNamingTheFieldAndCreatesNoGateway() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        admin().contentType(ContentType.JSON).body("{\"name\": \"modem\\u0000" + tag + "\"}")
                .post("/v1/admin/gateways").then().statusCode(400)
                .body("detail", equalTo("'name' must not contain control characters"));
        admin().contentType(ContentType.JSON).body("{\"name\": \"modem\\ud800" + tag + "\"}")
                .post("/v1/admin/gateways").then().statusCode(400)
                .body("detail", equalTo("'name' is not valid Unicode text (a lone UTF-16 surrogate)"));
        assertEquals(0, count("SELECT count(*) FROM gateway WHERE name LIKE ?", "%" + tag + "%"));
    }

    @Test
    void anSmsWithBrokenUnicodeInItsTextOrSenderIsRefusedNamingTheFieldAndNothingIsStored() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        send(gateway, "{\"to\": \"" + number + "\", \"from\": \"Google\", \"text\": \"G-123456 \\ud83d code\"}")
                .then().statusCode(400)
                .body("detail", equalTo("'text' is not valid Unicode text (a lone UTF-16 surrogate)"));
        send(gateway, "{\"to\": \"" + number + "\", \"from\": \"Goo\\udc00gle\", \"text\": \"G-123456\"}")
                .then().statusCode(400)
                .body("detail", equalTo("'from' is not valid Unicode text (a lone UTF-16 surrogate)"));
        send(gateway, "{\"to\": \"" + number + "\", \"from\": \"Google\", \"text\": \"G-123456\", "
                + "\"gateway_message_id\": \"id\\ud800\"}").then().statusCode(400)
                .body("detail", equalTo("'gateway_message_id' is not valid Unicode text (a lone UTF-16 surrogate)"));
        send(gateway, "{\"to\": \"+1332555\\u00000184\", \"from\": \"Google\", \"text\": \"G-123456\"}")
                .then().statusCode(422)
                .body("detail", equalTo("'to' must be a US phone number in E.164 (+13325550184)"));
        assertEquals(0, count("SELECT count(*) FROM raw_message WHERE to_number = ?", number));
        assertEquals(0, events(number).size());
    }

    @Test
    void anAbsurdReceivedAtIsRefusedNamingTheFieldAndNothingIsStored() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        send(gateway, "{\"to\": \"" + number + "\", \"from\": \"Google\", \"text\": \"G-123456\", "
                + "\"received_at\": \"+999999999-12-31T23:59:59Z\"}").then().statusCode(422)
                .body("detail", equalTo("'received_at' must not be later than 9999-12-31T23:59:59Z"));
        send(gateway, "{\"to\": \"" + number + "\", \"from\": \"Google\", \"text\": \"G-123456\", "
                + "\"received_at\": \"2026-13-01T00:00:00Z\"}").then().statusCode(422)
                .body("detail", equalTo("'received_at' must be an ISO-8601 time with offset, e.g. "
                        + "2026-11-22T08:15:30Z"));
        assertEquals(0, count("SELECT count(*) FROM raw_message WHERE to_number = ?", number));
        assertEquals(0, events(number).size());
    }

    @Test
    void inABatchAHostileItemIsRefusedOnItsOwnAndTheOthersAreIngested() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        String batch = "[{\"to\": \"" + number + "\", \"from\": \"Google\", \"text\": \"G-111111 \\udfff\"},"
                + " {\"to\": \"" + number + "\", \"from\": \"Google\", \"text\": \"G-222222\", "
                + "\"received_at\": \"+999999999-12-31T23:59:59Z\"},"
                + " {\"to\": \"" + number + "\", \"from\": \"Google\", \"text\": \"G-333333 is your code\"}]";
        gateway.as().contentType(ContentType.JSON).body(batch).post("/v1/ingest/messages/batch").then()
                .statusCode(202)
                .body("accepted", equalTo(1)).body("failed", equalTo(2))
                .body("results[0].status", equalTo(400))
                .body("results[0].detail", equalTo("'text' is not valid Unicode text (a lone UTF-16 surrogate)"))
                .body("results[1].status", equalTo(422))
                .body("results[1].detail",
                        equalTo("'received_at' must not be later than 9999-12-31T23:59:59Z"))
                .body("results[2].status", equalTo(202));
        assertEquals(1, count("SELECT count(*) FROM raw_message WHERE to_number = ?", number));
        assertEquals(1, Fixtures.awaitEvent(number) == null ? 0 : events(number).size());
    }

    @Test
    void aJasminFormFieldOfAHundredThousandCharactersIsRefusedNamingTheFieldNotA500() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        given().queryParam("token", gateway.token()).contentType("application/x-www-form-urlencoded")
                .formParam("id", UUID.randomUUID().toString()).formParam("from", "TikTok")
                .formParam("to", "1".repeat(100_000)).formParam("coding", "0").formParam("content", "G-123456")
                .post("/v1/ingest/jasmin").then().statusCode(422)
                .body("detail", equalTo("'to' must be a US phone number in E.164 (+13325550184)"));
        given().queryParam("token", gateway.token()).contentType("application/x-www-form-urlencoded")
                .formParam("id", UUID.randomUUID().toString()).formParam("from", "TikTok").formParam("to", number)
                .formParam("coding", "0").formParam("content", "G-123456 " + "x".repeat(100_000))
                .post("/v1/ingest/jasmin").then().statusCode(422)
                .body("detail", startsWith("'text' is longer than"));
        assertEquals(0, count("SELECT count(*) FROM raw_message WHERE to_number = ?", number));
    }

    @Test
    void aKannelContentTypeThatCannotBeParsedIsRefusedNotA500() throws java.io.IOException {
        Fixtures.Gw gateway = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        // an empty Content-Type header, which no HTTP client library sends: written on a socket
        try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /v1/ingest/kannel HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + gateway.token() + "\r\nContent-Type: \r\nX-Kannel-To: " + number
                    + "\r\nX-Kannel-From: Google\r\nContent-Length: 8\r\nConnection: close\r\n\r\nG-123456")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 415"), answer);
            assertTrue(answer.contains("{\"detail\":\"Content-Type '' cannot be read\"}"), answer);
        }
        assertEquals(0, count("SELECT count(*) FROM raw_message WHERE to_number = ?", number));
    }

    private static Response send(Fixtures.Gw gateway, String json) {
        return gateway.as().contentType(ContentType.JSON).body(json).post("/v1/ingest/messages");
    }
}
