package com.fetchsms.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The controls a buyer expects, through the gateway against the real stack: a price cap that buys nothing above it,
 * another code on the same number (released, charged once), reporting a number that does not work (refunded, and after
 * three reports the number is retired from that service while other services still get it), and the code pushed over the account's event stream ({@code GET /v1/events}).
 */
@Order(36)
class BuyerControlsTest extends E2eTest {

    static Customer buyer;

    @BeforeAll
    static void signUp() {
        buyer = world().newCustomer("controls", 1000);
    }

    @Test
    void aPriceCapBelowThePriceBuysNothingAndAnswersThePrice() {
        Response refused = buyer.withKey().body(Map.of("service", "telegram", "max_price_cents", 69))
                .post("/verifications");
        refused.then().statusCode(409).body("price_cents", equalTo(70));
        assertEquals(1000, buyer.balance(), "nothing charged");
        buyer.withKey().body(Map.of("service", "telegram", "max_price_cents", 70)).post("/verifications").then()
                .statusCode(201).body("max_price_cents", equalTo(70)).body("cost_cents", equalTo(70));
        assertEquals(930, buyer.balance());
    }

    @Test
    void anotherCodeOnTheSameNumberIsReleasedAndChargedOnce() {
        long before = buyer.balance();
        JsonPath bought = buyer.withKey().body(Map.of("service", "telegram")).post("/verifications").then()
                .statusCode(201).extract().jsonPath();
        String id = bought.getString("id");
        String first = code(5);
        world().deliverSms(bought.getString("number"), "Telegram", "Telegram code: " + first);
        awaitVerification(buyer, id, "received");
        buyer.withKey().post("/verifications/{id}/another-code", id).then().statusCode(200)
                .body("awaiting_another_code", equalTo(true)).body("code", equalTo(first));

        String second = code(6);
        // the modem receives it after the request (carrier times are whole seconds: one second later is surely after)
        world().deliverSms(bought.getString("number"), "Telegram", "Telegram code: " + second,
                java.time.Instant.now().plusSeconds(1).toString());
        JsonPath done = Poll.until("the second code released", ASYNC,
                () -> buyer.withKey().get("/verifications/{id}", id),
                r -> r.statusCode() == 200 && second.equals(r.jsonPath().getString("code"))).jsonPath();
        assertEquals(List.of(first, second), done.getList("codes.code"));
        assertEquals(false, done.getBoolean("awaiting_another_code"));
        assertEquals(before - bought.getLong("cost_cents"), buyer.balance(), "charged once for both codes");
    }

    @Test
    void reportsAreRefundedAndThreeRetireTheNumberFromTheServiceOnly() {
        // modem B serves the only 917 number: every purchase with that area code gets it
        String number = world().modemBNumber;
        long before = buyer.balance();
        for (int i = 0; i < 3; i++) {
            // catalog releases the reported number when it reads the cancellation, a moment after the report
            JsonPath bought = Poll.until("the 917 number on sale for Netflix", ASYNC,
                    () -> buyer.withKey().body(Map.of("service", "netflix", "area_code", "917")).post("/verifications"),
                    r -> r.statusCode() == 201).jsonPath();
            assertEquals(number, World.e164(bought.getString("number")));
            buyer.withKey().body(Map.of("reason", "the service says the number is not allowed"))
                    .post("/verifications/{id}/report", bought.getString("id")).then().statusCode(200)
                    .body("status", equalTo("cancelled")).body("cancel_reason", equalTo("reported"));
            assertEquals(40, awaitRefund(buyer, bought.getString("ref")).amountCents(), "refunded in full");
        }
        assertEquals(before, buyer.balance(), "three reports, three refunds");

        JsonPath health = Poll.until("the 917 number retired from Netflix", ASYNC,
                () -> world().admin().get("/admin/numbers/{number}/health", number),
                r -> r.statusCode() == 200 && r.jsonPath().getString("services.find { it.service == 'netflix' }"
                        + ".retired_at") != null)
                .jsonPath();
        assertEquals(3, health.getInt("services.find { it.service == 'netflix' }.reports"));
        assertEquals("consecutive_failures",
                health.getString("services.find { it.service == 'netflix' }.retired_reason"));
        assertEquals(409, buyer.withKey().body(Map.of("service", "netflix", "area_code", "917"))
                .post("/verifications").statusCode(), "no Netflix number left with that area code");
        String other = buyer.withKey().body(Map.of("service", "yahoo", "area_code", "917")).post("/verifications")
                .then().statusCode(201).extract().path("id");
        buyer.withKey().post("/verifications/{id}/cancel", other).then().statusCode(200);

        world().admin().queryParam("limit", 200).get("/admin/numbers/retirements").then().statusCode(200)
                .body("find { it.number == '" + number + "' && it.service == 'netflix' }.reason",
                        equalTo("consecutive_failures"));
    }

    @Test
    void theEventStreamPushesTheCodeThroughTheGateway() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(world().stack.baseUrl + "/v1/events"))
                .header("Authorization", "Bearer " + buyer.apiKey).header("Accept", "text/event-stream").GET()
                .build();
        HttpResponse<java.io.InputStream> stream = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<String> lines = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        try {
            List<String> opening = List.of(reader.readLine(), reader.readLine());
            assertTrue(opening.contains(": connected") && opening.contains("retry:3000"),
                    "the stream opens at once: " + opening);

            JsonPath bought = buyer.withKey().body(Map.of("service", "telegram")).post("/verifications").then()
                    .statusCode(201).body("code", nullValue()).extract().jsonPath();
            String id = bought.getString("id");
            String code = code(6);
            world().deliverSms(bought.getString("number"), "Telegram", "Telegram code: " + code
                    + ". Do not give this code to anyone, even if they say they are from Telegram!");

            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
                try {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        lines.add(line);
                        if (line.startsWith("data:") && line.contains(id)) {
                            return line;
                        }
                    }
                    return null;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String data = received.get(ASYNC.toSeconds(), TimeUnit.SECONDS);
            assertTrue(data != null, "the stream ended: " + lines);
            JsonPath event = JsonPath.from(data.substring("data:".length()));
            assertEquals(id, event.getString("verification_id"));
            assertEquals(code, event.getString("code"));
            assertEquals(bought.getString("ref"), event.getString("ref"));
            assertEquals("event:sms.received", lines.get(lines.size() - 2), "the event's type: " + lines);
            assertTrue(lines.get(lines.size() - 3).matches("id:\\d+"), "the event's id: " + lines);
            awaitVerification(buyer, id, "received");
        } finally {
            stream.body().close();
        }
    }
}
