package com.fetchsms.ingest;

import static io.restassured.RestAssured.given;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fetchsms.common.events.InventoryNumberChanged;
import com.fetchsms.common.events.Topics;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Gateways created through the admin API, numbers assigned through the inventory topic, and row/event look-ups. */
final class Fixtures {

    /** A gateway as its creation answered it. */
    record Gw(UUID id, String name, String token, String signingKey) {

        RequestSpecification as() {
            return given().auth().oauth2(token);
        }

        Response send(Map<String, Object> message) {
            return as().contentType(ContentType.JSON).body(message).post("/v1/ingest/messages");
        }
    }

    private Fixtures() {
    }

    static RequestSpecification admin() {
        return given().auth().oauth2(TestTokens.admin());
    }

    static Gw gateway() {
        return gateway("modem-" + UUID.randomUUID().toString().substring(0, 8));
    }

    static Gw gateway(String name) {
        JsonPath created = admin().contentType(ContentType.JSON).body(Map.of("name", name))
                .post("/v1/admin/gateways").then().statusCode(201).extract().jsonPath();
        return new Gw(UUID.fromString(created.getString("id")), name, created.getString("token"),
                created.getString("signing_key"));
    }

    /** A random US number no other test uses. */
    static String newNumber() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "+1" + (2 + r.nextInt(8)) + r.nextInt(10) + r.nextInt(10) + (2 + r.nextInt(8))
                + String.format("%06d", r.nextInt(1_000_000));
    }

    /** A new number served by {@code gateway}, known to the service (its inventory event was applied). */
    static String numberOf(Gw gateway) {
        String number = newNumber();
        assign(number, gateway.id(), "available");
        return number;
    }

    /**
     * Sets the number's state in catalog (the stand-in's inventory) and publishes it as catalog would, then waits until
     * the service applied it.
     */
    static void assign(String number, UUID gatewayId, String state) {
        stock(number, gatewayId, state);
        KafkaEvents.send(new InventoryNumberChanged(number, number.substring(2, 5), gatewayId, state, Instant.now()));
        await("inventory state of " + number, () -> {
            List<Map<String, Object>> rows = rows("SELECT state, gateway_id FROM gateway_number WHERE number = ?",
                    number);
            return !rows.isEmpty() && state.equals(rows.get(0).get("state"))
                    && gatewayId.equals(rows.get(0).get("gateway_id"));
        });
    }

    /** Sets the number's state in catalog only (the stand-in's inventory): the service's copy does not know it yet. */
    static void stock(String number, UUID gatewayId, String state) {
        given().put(catalog() + "/stub/number/" + number + "/" + gatewayId + "/" + state).then().statusCode(200);
    }

    /** How many inventory look-ups at catalog asked for the number. */
    static int lookups(String number) {
        return Integer.parseInt(given().get(catalog() + "/stub/number-lookups/" + number).asString());
    }

    /** Makes catalog's look-up answer 503 (or work again). */
    static void catalogDown(boolean down) {
        given().put(catalog() + "/stub/catalog-down/" + down).then().statusCode(200);
    }

    private static String catalog() {
        return ConfigProvider.getConfig().getValue("fetchsms.services.catalog-url", String.class);
    }

    static Map<String, Object> sms(String to, String from, String text) {
        Map<String, Object> message = new HashMap<>();
        message.put("to", to);
        message.put("from", from);
        message.put("text", text);
        return message;
    }

    /**
     * Every sms.inbound event for {@code number}, once the outbox holds none of its rows: everything committed for the
     * number so far has been published and is counted, without waiting for a quiet period.
     */
    static List<KafkaEvents.Received> events(String number) {
        await("outbox rows of " + number + " published",
                () -> count("SELECT count(*) FROM outbox_event WHERE message_key = ? AND parked_at IS NULL",
                        number) == 0);
        return KafkaEvents.upToNow(Topics.SMS_INBOUND, r -> number.equals(r.key()));
    }

    static KafkaEvents.Received awaitEvent(String number) {
        return KafkaEvents.await(Topics.SMS_INBOUND, r -> number.equals(r.key()), Duration.ofSeconds(20));
    }

    static List<Map<String, Object>> rows(String sql, Object... params) {
        try (Connection c = ServiceTestResource.database().connect();
                PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> result = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int col = 1; col <= rs.getMetaData().getColumnCount(); col++) {
                        row.put(rs.getMetaData().getColumnLabel(col), rs.getObject(col));
                    }
                    result.add(row);
                }
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static long count(String sql, Object... params) {
        return ((Number) rows(sql, params).get(0).values().iterator().next()).longValue();
    }

    static void await(String what, BooleanSupplier condition) {
        org.awaitility.Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(condition::getAsBoolean);
    }
}
