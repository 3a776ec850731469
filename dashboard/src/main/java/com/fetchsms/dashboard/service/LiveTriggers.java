package com.fetchsms.dashboard.service;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What an account event changes on the dashboard's pages, as the names of the live triggers the pages listen to
 * ({@code hx-trigger="sse:<name>"}): the purchase itself ({@code verification-<id>}, {@code rental-<id>}), the lists
 * of its kind ({@code verifications}, {@code rentals}); a {@code wallet.refunded} changes the wallet only
 * ({@code wallet}). The purchase's end ({@code ….cancelled}, {@code ….expired}) does not refresh the wallet: its refund
 * is booked by the wallet afterwards, and announced by that event.
 */
public final class LiveTriggers {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The stream's event for a refund the wallet booked. */
    static final String WALLET_REFUNDED = "wallet.refunded";

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
        purchase(body, "verification_id", "verification", names);
        purchase(body, "rental_id", "rental", names);
        if (WALLET_REFUNDED.equals(event)) {
            return names.isEmpty() ? names : new ArrayList<>(List.of("wallet"));
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
