package com.fetchsms.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** A customer of the platform: a dashboard session, an API key, and what the dashboard shows of its money. */
final class Customer {

    /** An API key as answered once at creation. */
    record ApiKey(String id, String key, String prefix) {
    }

    /** One line of {@code GET /v1/wallet/ledger}. */
    record LedgerItem(String id, String type, long amountCents, long balanceAfterCents, String ref) {
    }

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

    final String email;
    final String password;
    final String id;
    final String session;
    String apiKey;

    Customer(String email, String password, String id, String session) {
        this.email = email;
        this.password = password;
        this.id = id;
        this.session = session;
    }

    /** Requests with the API key (what the customer's own code uses). */
    RequestSpecification withKey() {
        return World.as(apiKey);
    }

    /** Requests with the dashboard session. */
    RequestSpecification withSession() {
        return World.as(session);
    }

    ApiKey createApiKey(String name) {
        JsonPath created = withSession().body(Map.of("name", name)).post("/api-keys").then().statusCode(201)
                .body("name", equalTo(name)).body("key", startsWith("fsk_")).body("prefix", notNullValue())
                .extract().jsonPath();
        String key = created.getString("key");
        assertTrue(key.startsWith(created.getString("prefix")), "the prefix is the key's start");
        // The listing never shows the key itself again.
        String listing = withSession().get("/api-keys").then().statusCode(200).extract().asString();
        assertFalse(listing.contains(key), "GET /v1/api-keys shows no key");
        return new ApiKey(created.getString("id"), key, created.getString("prefix"));
    }

    /** Tops up with the sandbox provider, which completes at once. */
    void deposit(long cents) {
        withSession().body(Map.of("amount_cents", cents, "method", "card")).post("/wallet/deposits").then()
                .statusCode(201).body("amount_cents", equalTo((int) cents)).body("method", equalTo("card"))
                .body("status", equalTo("completed")).body("checkout_url", nullValue());
    }

    long balance() {
        return withSession().get("/wallet").then().statusCode(200).body("currency", equalTo("USD")).extract()
                .jsonPath().getLong("balance_cents");
    }

    /** The whole ledger, newest first, following the {@code Link: rel="next"} pages. */
    List<LedgerItem> ledger() {
        List<LedgerItem> items = new ArrayList<>();
        String path = "/wallet/ledger?limit=200";
        while (path != null) {
            Response page = withSession().get(path);
            page.then().statusCode(200);
            for (Map<String, Object> item : page.jsonPath().<Map<String, Object>>getList("$")) {
                items.add(new LedgerItem((String) item.get("id"), (String) item.get("type"),
                        ((Number) item.get("amount_cents")).longValue(),
                        ((Number) item.get("balance_after_cents")).longValue(), (String) item.get("ref")));
            }
            String link = page.header("Link");
            Matcher next = link == null ? null : NEXT.matcher(link);
            path = next != null && next.find() ? next.group(1).replaceFirst("^/v1", "") : null;
        }
        return items;
    }

    /** Every verification or rental of the account ({@code kind} = "verifications" or "rentals"), both tabs. */
    List<Map<String, Object>> purchases(String kind) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (String tab : List.of("active", "history")) {
            String before = null;
            while (true) {
                RequestSpecification request = withSession().queryParam("tab", tab).queryParam("limit", 200);
                if (before != null) {
                    request.queryParam("before", before);
                }
                List<Map<String, Object>> page = request.get("/" + kind).then().statusCode(200).extract().jsonPath()
                        .getList("$");
                all.addAll(page);
                if (page.size() < 200) {
                    break;
                }
                before = (String) page.get(page.size() - 1).get("id");
            }
        }
        return all;
    }

    @Override
    public String toString() {
        return email;
    }
}
