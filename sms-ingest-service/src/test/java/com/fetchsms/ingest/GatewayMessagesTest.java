package com.fetchsms.ingest;

import static com.fetchsms.ingest.Fixtures.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.sandbox.Sandbox;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * {@code GET /v1/admin/gateways/{id}/messages}: what a gateway reported lately and what the pipeline made of each
 * report, for operators who check that detection works; never the text nor the code of a customer's SMS.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class GatewayMessagesTest {

    @Test
    void aGatewaysMessagesShowWhatDetectionFoundNewestFirstButNeverTheirTextOrCode() {
        Fixtures.Gw gateway = Fixtures.gateway();
        Fixtures.Gw other = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        String foreign = Fixtures.numberOf(other);
        Instant receivedAt = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> telegram = Fixtures.sms(number, "Telegram", "Telegram code: 48291. Do not share it");
        telegram.put("received_at", receivedAt.toString());
        String accepted = gateway.send(telegram).then().statusCode(202).body("outcome", equalTo("accepted"))
                .extract().path("id");
        gateway.send(telegram).then().statusCode(202).body("outcome", equalTo("duplicate"));
        gateway.send(Fixtures.sms(number, "+15557654321", "Running late, see you at the station"))
                .then().statusCode(202).body("outcome", equalTo("accepted"));
        gateway.send(Fixtures.sms(foreign, "Google", "G-771020 is your Google verification code.")).then()
                .statusCode(403);
        Map<String, Object> part = Fixtures.sms(number, "Discord", "Your Discord security code is 6");
        part.put("udh", "0500035A0201");
        gateway.send(part).then().statusCode(202).body("outcome", equalTo("partial"));
        other.send(Fixtures.sms(foreign, "Uber", "Your Uber code is 4411")).then().statusCode(202);

        Response answer = admin().get("/v1/admin/gateways/" + gateway.id() + "/messages");
        JsonPath page = answer.then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("partial", "rejected", "accepted", "duplicate", "accepted"), page.getList("outcome"));
        assertEquals(List.of(false, false, false, true, false), page.getList("duplicate"));
        assertEquals(Arrays.asList(null, null, null, "telegram", "telegram"), page.getList("detected_service"));
        assertEquals(List.of(false, false, false, true, true), page.getList("code_found"));
        assertEquals(List.of(number, foreign, number, number, number), page.getList("to"));
        assertEquals(List.of("Discord", "Google", "+15557654321", "Telegram", "Telegram"), page.getList("from"));
        assertEquals(display(number), page.getString("[0].to_display"));
        assertEquals(display(foreign), page.getString("[1].to_display"));
        assertEquals(receivedAt.toString(), page.getString("[4].received_at"));
        assertEquals(Set.of("id", "to", "to_display", "from", "received_at", "detected_service", "code_found",
                "duplicate", "outcome"), page.getMap("[0]").keySet());
        // operators see whether detection worked, not the customers' codes nor their messages (ids set aside: a
        // random id may hold any digits)
        String body = answer.asString().replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "");
        for (String secret : List.of("48291", "Do not share", "771020", "station", "security code", "4411")) {
            assertFalse(body.contains(secret), secret + " in " + body);
        }

        // the gateway's raw reports, newest first; the accepted one's message is the message the gateway was answered
        List<String> reports = new ArrayList<>();
        Fixtures.rows("SELECT id FROM raw_message WHERE gateway_id = ? ORDER BY ingested_at DESC, id DESC",
                gateway.id()).forEach(row -> reports.add(row.get("id").toString()));
        assertEquals(reports, page.getList("id"));
        assertEquals(UUID.fromString(accepted), Fixtures.rows("SELECT message_id FROM raw_message WHERE id = ?",
                UUID.fromString(page.getString("[4].id"))).get(0).get("message_id"));
    }

    @Test
    void aGatewaysMessagesArePagedByTheLastOneSeen() {
        Fixtures.Gw gateway = Fixtures.gateway();
        Fixtures.Gw other = Fixtures.gateway();
        String number = Fixtures.numberOf(gateway);
        for (int i = 1; i <= 5; i++) {
            gateway.send(Fixtures.sms(number, "Telegram", "Telegram code: 1000" + i)).then().statusCode(202);
        }
        other.send(Fixtures.sms(Fixtures.numberOf(other), "Telegram", "Telegram code: 20001")).then()
                .statusCode(202);
        List<String> all = admin().get("/v1/admin/gateways/" + gateway.id() + "/messages").then().statusCode(200)
                .extract().jsonPath().getList("id");
        assertEquals(5, all.size());

        List<String> paged = new ArrayList<>();
        String before = null;
        List<Integer> sizes = new ArrayList<>();
        do {
            var request = admin().queryParam("limit", 2);
            if (before != null) {
                request = request.queryParam("before", before);
            }
            List<String> ids = request.get("/v1/admin/gateways/" + gateway.id() + "/messages").then()
                    .statusCode(200).extract().jsonPath().getList("id");
            sizes.add(ids.size());
            paged.addAll(ids);
            before = ids.isEmpty() ? null : ids.get(ids.size() - 1);
        } while (before != null);
        assertEquals(List.of(2, 2, 1, 0), sizes);
        assertEquals(all, paged);
        admin().queryParam("limit", 200).get("/v1/admin/gateways/" + gateway.id() + "/messages").then()
                .statusCode(200).body("size()", equalTo(5));
    }

    @Test
    void aBadLimitOrCursorIsRefusedAndAnUnknownGatewayIsNotFound() {
        Fixtures.Gw gateway = Fixtures.gateway();
        Fixtures.Gw other = Fixtures.gateway();
        other.send(Fixtures.sms(Fixtures.numberOf(other), "Telegram", "Telegram code: 30001")).then()
                .statusCode(202);
        String othersReport = admin().get("/v1/admin/gateways/" + other.id() + "/messages").then().statusCode(200)
                .extract().path("[0].id");
        String path = "/v1/admin/gateways/" + gateway.id() + "/messages";
        for (String limit : List.of("0", "201", "-1")) {
            admin().queryParam("limit", limit).get(path).then().statusCode(422)
                    .body("detail", equalTo("Query parameter 'limit' must be between 1 and 200"));
        }
        admin().queryParam("limit", "ten").get(path).then().statusCode(422)
                .body("detail", equalTo("Query parameter 'limit' must be an integer"));
        admin().queryParam("before", "nope").get(path).then().statusCode(422)
                .body("detail", equalTo("Query parameter 'before' must be the id of a message"));
        // another gateway's report, or none at all, is no cursor of this gateway's list
        for (String before : List.of(othersReport, UUID.randomUUID().toString())) {
            admin().queryParam("before", before).get(path).then().statusCode(422)
                    .body("detail", equalTo("'before' is not a message of this gateway"));
        }
        admin().get(path).then().statusCode(200).body("size()", equalTo(0));

        for (String unknown : List.of(UUID.randomUUID().toString(), "not-an-id", Sandbox.GATEWAY_ID.toString())) {
            admin().get("/v1/admin/gateways/" + unknown + "/messages").then().statusCode(404)
                    .body("detail", equalTo("Gateway not found"));
        }
    }

    @Test
    void onlyAnAdministratorsSessionReadsAGatewaysMessages() {
        Fixtures.Gw gateway = Fixtures.gateway();
        String path = "/v1/admin/gateways/" + gateway.id() + "/messages";
        given().get(path).then().statusCode(401);
        given().auth().oauth2(TestTokens.expired(UUID.randomUUID())).get(path).then().statusCode(401);
        given().auth().oauth2(TestTokens.user(UUID.randomUUID())).get(path).then().statusCode(403);
        // not even the gateway's own token
        given().auth().oauth2(gateway.token()).get(path).then().statusCode(401);
    }

    @Test
    void theOpenApiDocumentDescribesTheRouteAndItsMessagesWithoutTextOrCode() {
        JsonPath openApi = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract()
                .jsonPath();
        assertEquals("#/components/schemas/GatewayMessage",
                openApi.getString("paths.'/v1/admin/gateways/{id}/messages'.get.responses.'200'.content."
                        + "'application/json'.schema.items.'$ref'"),
                String.valueOf(openApi.getMap("paths.'/v1/admin/gateways/{id}/messages'")));
        assertEquals(List.of("id", "to", "to_display", "from", "received_at", "detected_service", "code_found",
                "duplicate", "outcome"),
                new ArrayList<>(openApi.getMap("components.schemas.GatewayMessage.properties").keySet()));
        assertTrue(openApi.getMap("components.schemas.GatewayView.properties").containsKey("messages_last_hour"));
    }

    @Test
    void theListReadsAValidIndexByGatewayAndTimeOfIngestion() {
        // V3 builds it concurrently, outside a transaction (FlywayLock: Flyway's lock is no open transaction)
        List<Map<String, Object>> index = Fixtures.rows("""
                SELECT i.indisvalid, pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i
                JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'raw_message_gateway_ingested_idx'""");
        assertEquals(1, index.size());
        assertEquals(true, index.get(0).get("indisvalid"));
        assertTrue(String.valueOf(index.get(0).get("definition")).endsWith("(gateway_id, ingested_at, id)"),
                String.valueOf(index.get(0).get("definition")));
    }

    private static String display(String e164) {
        return "(" + e164.substring(2, 5) + ") " + e164.substring(5, 8) + "-" + e164.substring(8);
    }
}
