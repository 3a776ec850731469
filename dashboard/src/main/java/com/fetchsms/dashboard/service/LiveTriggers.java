package com.fetchsms.dashboard.service;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What an account event changes on the dashboard's pages, as the names of the live triggers the pages listen to
 * ({@code hx-trigger="sse:<name>"}): the purchase itself ({@code verification-<id>}, {@code rental-<id>}), the lists
 * of its kind ({@code verifications}, {@code rentals}), and {@code wallet} when the event refunds the purchase.
 */
public final class LiveTriggers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LiveTriggers() {
    }

    /** The triggers of one event of {@code GET /v1/events}: its {@code event} name and its {@code data}. */
    public static List<String> of(String event, String data) {
        List<String> names = new ArrayList<>();
        if (event == null || data == null) {
            return names;
        }
        JsonNode body;
        try {
            body = JSON.readTree(data);
        } catch (Exception malformed) {
            return names;
        }
        boolean refund = event.endsWith(".cancelled") || event.endsWith(".expired");
        purchase(body, "verification_id", "verification", names);
        purchase(body, "rental_id", "rental", names);
        if (refund && !names.isEmpty()) {
            names.add("wallet");
        }
        return names;
    }

    private static void purchase(JsonNode body, String field, String kind, List<String> names) {
        JsonNode id = body.get(field);
        if (id == null || !id.isTextual()) {
            return;
        }
        try {
            names.add(kind + "-" + UUID.fromString(id.asText()));
            names.add(kind + "s");
        } catch (IllegalArgumentException notAnId) {
            // Not an id the pages could be listening to.
        }
    }
}
