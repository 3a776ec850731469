package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/** Support tickets through the public API, and their rows. */
final class Tickets {

    static final String CUSTOMERS = "/v1/support/tickets";
    static final String OPERATORS = "/v1/admin/support/tickets";

    /** A ticket's row and its messages' rows, to compare before and after a refused request. */
    record Stored(String status, String updatedAt, List<String> messages) {
    }

    private Tickets() {
    }

    static Response open(String token, String subject, String body) {
        Map<String, Object> json = new HashMap<>();
        json.put("subject", subject);
        json.put("body", body);
        return as(token).contentType(ContentType.JSON).body(json).when().post(CUSTOMERS);
    }

    /** Opens a ticket and answers its id. */
    static String opened(String token, String subject) {
        return open(token, subject, "Please help with " + subject).then().statusCode(201).extract().path("id");
    }

    /** A request with a raw JSON body (so that escapes like NUL reach the service as sent). */
    static Response postRaw(String token, String path, String json) {
        return as(token).contentType(ContentType.JSON).body(json).when().post(path);
    }

    static Response reply(String token, String id, String body) {
        Map<String, Object> json = new HashMap<>();
        json.put("body", body);
        return as(token).contentType(ContentType.JSON).body(json).when()
                .post(CUSTOMERS + "/" + id + "/messages");
    }

    static Response answer(String adminToken, String id, String body) {
        Map<String, Object> json = new HashMap<>();
        json.put("body", body);
        return as(adminToken).contentType(ContentType.JSON).body(json).when()
                .post(OPERATORS + "/" + id + "/messages");
    }

    static Response get(String token, String path) {
        return as(token).when().get(path);
    }

    static Response post(String token, String path) {
        return as(token).when().post(path);
    }

    /** A request with {@code token} as its bearer credential, or without any when null. */
    static RequestSpecification as(String token) {
        return token == null ? given() : given().auth().oauth2(token);
    }

    /** Every page from {@code first} on, following the {@code Link} headers: the ids in order. */
    static List<String> allPages(String token, String first) {
        List<String> ids = new ArrayList<>();
        String next = first;
        while (next != null) {
            Response page = get(token, next);
            page.then().statusCode(200);
            ids.addAll(page.jsonPath().getList("id"));
            String link = page.header("Link");
            next = link == null ? null : link.substring(link.indexOf('<') + 1, link.indexOf('>'));
        }
        return ids;
    }

    static Stored stored(Pool pool, String id) {
        Row ticket = Db.rows(pool, "SELECT status, updated_at::text FROM support_ticket WHERE id = $1",
                UUID.fromString(id)).iterator().next();
        List<String> messages = new ArrayList<>();
        Db.rows(pool, "SELECT author || ': ' || body FROM support_message WHERE ticket_id = $1 ORDER BY seq",
                UUID.fromString(id)).forEach(row -> messages.add(row.getString(0)));
        return new Stored(ticket.getString(0), ticket.getString(1), messages);
    }

    static long ticketsOf(Pool pool, UUID account) {
        return Db.count(pool, "SELECT count(*) FROM support_ticket WHERE account_id = $1", account);
    }

    static long messagesOf(Pool pool, UUID account) {
        return Db.count(pool, """
                SELECT count(*) FROM support_message m JOIN support_ticket t ON t.id = m.ticket_id
                WHERE t.account_id = $1""", account);
    }
}
