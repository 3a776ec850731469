package com.fetchsms.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.restassured.RestAssured;
import io.restassured.config.ObjectMapperConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.filter.Filter;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.mapper.factory.DefaultJackson2ObjectMapperFactory;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * What every scenario shares on the running stack: the operator's side (the first administrator, two modem gateways
 * and their numbers), the customers the suite signed up (the money invariant is checked for each at the end), and
 * every HTTP status the API answered (the documented error statuses must all have been seen).
 */
final class World implements AutoCloseable {

    /** A modem gateway: its id and its token. */
    record ModemGateway(String id, String name, String token) {
    }

    /** The statuses the API's error table lists. */
    static final Set<Integer> DOCUMENTED_STATUSES = Set.of(200, 201, 400, 401, 402, 403, 404, 409, 422, 429);

    final Stack stack;
    final Set<Integer> statuses = ConcurrentHashMap.newKeySet();
    final List<Customer> customers = new CopyOnWriteArrayList<>();
    /** E.164 number → the gateway that serves it. */
    private final Map<String, ModemGateway> numberGateways = new ConcurrentHashMap<>();
    private final AtomicInteger customerSeq = new AtomicInteger();
    private final AtomicInteger numberSeq = new AtomicInteger();

    String adminToken;
    ModemGateway modemA;
    ModemGateway modemB;
    /** The one number modem B serves (the others of the base stock are modem A's). */
    String modemBNumber;

    private World(Stack stack) {
        this.stack = stack;
    }

    static World create(Stack stack) {
        World world = new World(stack);
        try {
            world.setUp();
            return world;
        } catch (RuntimeException | Error e) {
            stack.printLogTails();
            try {
                stack.close();
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
    }

    private void setUp() {
        RestAssured.reset();
        RestAssured.baseURI = stack.baseUrl;
        RestAssured.basePath = "/v1";
        RestAssured.config = RestAssuredConfig.config().objectMapperConfig(ObjectMapperConfig.objectMapperConfig()
                .jackson2ObjectMapperFactory(new DefaultJackson2ObjectMapperFactory()));
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        Filter recorder = (request, response, ctx) -> {
            Response answer = ctx.next(request, response);
            statuses.add(answer.statusCode());
            return answer;
        };
        RestAssured.filters(recorder);

        // The operator: the first administrator (from FETCHSMS_ADMIN_EMAIL/_PASSWORD), two modem gateways, numbers.
        adminToken = login(stack.adminEmail, stack.adminPassword);
        given().header("Authorization", "Bearer " + adminToken).get("/account").then().statusCode(200)
                .body("role", equalTo("admin"));
        modemA = createGateway("e2e modem A");
        modemB = createGateway("e2e modem B");
        List<String> short332 = newNumbers("332", 4);
        List<String> short415 = newNumbers("415", 2);
        importNumbers(modemA, short332);
        importNumbers(modemA, short415);
        modemBNumber = newNumbers("917", 1).get(0);
        importNumbers(modemB, List.of(modemBNumber));
        // The same import again adds nothing: imports are idempotent.
        admin().body(Map.of("gateway_id", modemA.id(), "numbers", short332)).post("/admin/numbers").then()
                .statusCode(201).body("added", equalTo(0)).body("skipped", equalTo(short332.size()));
    }

    // ---------------------------------------------------------------- credentials and requests

    RequestSpecification admin() {
        return as(adminToken);
    }

    static RequestSpecification as(String bearer) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + bearer);
    }

    static RequestSpecification anonymous() {
        return given().contentType(ContentType.JSON);
    }

    static String login(String email, String password) {
        return anonymous().body(Map.of("email", email, "password", password)).post("/auth/login").then()
                .statusCode(200).body("token_type", equalTo("Bearer")).body("expires_at", notNullValue())
                .extract().path("token");
    }

    // ---------------------------------------------------------------- the operator's side

    private ModemGateway createGateway(String name) {
        JsonPath created = admin().body(Map.of("name", name)).post("/admin/gateways").then().statusCode(201)
                .body("name", equalTo(name)).body("token", startsWith("fgw_")).extract().jsonPath();
        return new ModemGateway(created.getString("id"), name, created.getString("token"));
    }

    /** New numbers of this run in an area code: +1 AAA 555 01NN. */
    List<String> newNumbers(String areaCode, int count) {
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            numbers.add(String.format("+1%s55501%02d", areaCode, numberSeq.incrementAndGet()));
        }
        return numbers;
    }

    /** The operator stocks numbers served by a modem gateway ({@code POST /v1/admin/numbers}). */
    void importNumbers(ModemGateway gateway, List<String> numbers) {
        admin().body(Map.of("gateway_id", gateway.id(), "numbers", numbers)).post("/admin/numbers").then()
                .statusCode(201).body("added", equalTo(numbers.size())).body("skipped", equalTo(0));
        numbers.forEach(n -> numberGateways.put(n, gateway));
    }

    // ---------------------------------------------------------------- the modem gateways' side

    /**
     * A modem gateway reports an SMS ({@code POST /v1/ingest/messages}) to a number it serves, as soon as
     * sms-ingest-service knows that the number is this gateway's (it learns it from the inventory topic, so right
     * after an import the answer may still be 403 for a moment). Returns the 202 answer.
     */
    JsonPath deliverSms(String number, String from, String text) {
        return deliverSms(number, from, text, null);
    }

    /** {@link #deliverSms(String, String, String)} with the time the modem received it (ISO-8601). */
    JsonPath deliverSms(String number, String from, String text, String receivedAt) {
        String e164 = e164(number);
        ModemGateway gateway = numberGateways.get(e164);
        if (gateway == null) {
            throw new IllegalArgumentException(number + " is not a number the suite imported");
        }
        Response answer = Poll.until("sms-ingest-service to accept an SMS to " + e164 + " from " + gateway.name(),
                Duration.ofSeconds(30), () -> postSms(gateway.token(), e164, from, text, receivedAt),
                r -> r.statusCode() != 403);
        answer.then().statusCode(202).body("outcome", equalTo("accepted")).body("duplicate", equalTo(false));
        return answer.jsonPath();
    }

    static Response postSms(String gatewayToken, String to, String from, String text, String receivedAt) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("to", to);
        body.put("from", from);
        body.put("text", text);
        if (receivedAt != null) {
            body.put("received_at", receivedAt);
        }
        return as(gatewayToken).body(body).post("/ingest/messages");
    }

    /** {@code (332) 555-0184} or {@code +13325550184} → {@code +13325550184}. */
    static String e164(String usNumber) {
        String digits = usNumber.replaceAll("\\D", "");
        if (digits.length() == 11 && digits.startsWith("1")) {
            digits = digits.substring(1);
        }
        assertEquals(10, digits.length(), "a US number: " + usNumber);
        return "+1" + digits;
    }

    // ---------------------------------------------------------------- customers

    /**
     * A customer as the dashboard makes one: signs up, logs in, tops up with the sandbox provider (when
     * {@code depositCents} > 0) and creates an API key. Registered for the money invariant.
     */
    Customer newCustomer(String label, long depositCents) {
        String email = label + "-" + customerSeq.incrementAndGet() + "@e2e.example.com";
        String password = "correct-horse-" + label + "-battery";
        String id = anonymous().body(Map.of("email", email, "password", password)).post("/auth/signup").then()
                .statusCode(201).body("email", equalTo(email)).body("role", equalTo("user"))
                .body("created_at", notNullValue()).extract().path("id");
        Customer customer = new Customer(email, password, id, login(email, password));
        customers.add(customer);
        as(customer.session).get("/account").then().statusCode(200).body("id", equalTo(id));
        if (depositCents > 0) {
            customer.deposit(depositCents);
        }
        customer.apiKey = customer.createApiKey("e2e " + label).key();
        return customer;
    }

    @Override
    public void close() {
        stack.close();
    }
}
