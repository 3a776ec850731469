package com.fetchsms.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Last: the money of every account the suite created, checked through the API only. For each account,
 * deposits − debits + refunds (+ adjustments) = balance, and the ledger's running balance adds up; every debit
 * belongs to one of the account's verifications or rentals and has exactly one outcome: charged (received / active)
 * or refunded. Whatever is still waiting is cancelled first (as a customer would), so every purchase has ended.
 */
@Order(Integer.MAX_VALUE)
class MoneyInvariantTest extends E2eTest {

    private static final Set<String> CHARGED = Set.of("received", "active");
    private static final Set<String> REFUNDED = Set.of("cancelled", "expired");

    @Test
    @Order(1)
    void everyPurchaseStillWaitingIsCancelled() {
        for (Customer customer : world().customers) {
            for (String kind : List.of("verifications", "rentals")) {
                for (Map<String, Object> purchase : customer.purchases(kind)) {
                    if ("waiting".equals(purchase.get("status"))) {
                        customer.withKey().post("/" + kind + "/{id}/cancel", purchase.get("id")).then()
                                .statusCode(200).body("status", equalTo("cancelled"));
                    }
                }
            }
        }
    }

    @Test
    @Order(2)
    void depositsMinusDebitsPlusRefundsIsTheBalance() {
        assertFalse(world().customers.isEmpty(), "the suite created accounts");
        List<String> report = new ArrayList<>();
        for (Customer customer : world().customers) {
            List<Map<String, Object>> purchases = new ArrayList<>(customer.purchases("verifications"));
            purchases.addAll(customer.purchases("rentals"));
            long toRefund = purchases.stream().filter(p -> refunded(p)).count();
            // Refunds follow cancellations by event: wait until each ended purchase has one.
            List<Customer.LedgerItem> ledger = Poll.until(toRefund + " refunds in " + customer + "'s ledger", ASYNC,
                    customer::ledger,
                    items -> items.stream().filter(i -> i.type().equals("refund")).count() >= toRefund);
            long balance = customer.balance();

            long deposits = sum(ledger, "deposit");
            long debits = -sum(ledger, "debit");
            long refunds = sum(ledger, "refund");
            long adjustments = sum(ledger, "adjustment");
            assertTrue(ledger.stream().allMatch(i -> Set.of("deposit", "debit", "refund", "adjustment")
                    .contains(i.type())), "known entry types: " + ledger);
            assertEquals(balance, deposits - debits + refunds + adjustments,
                    customer + ": deposits − debits + refunds (+ adjustments) = balance");
            assertTrue(ledger.stream().noneMatch(i -> i.type().equals("deposit") && i.amountCents() <= 0));
            assertTrue(ledger.stream().noneMatch(i -> i.type().equals("debit") && i.amountCents() >= 0));
            assertTrue(ledger.stream().noneMatch(i -> i.type().equals("refund") && i.amountCents() <= 0));
            // The running balance: newest first, each line's balance_after = the next older one's + its amount.
            long running = 0;
            for (int i = ledger.size() - 1; i >= 0; i--) {
                running += ledger.get(i).amountCents();
                assertEquals(running, ledger.get(i).balanceAfterCents(), customer + ": balance after " + ledger.get(i));
                assertTrue(running >= 0, "never below zero");
            }
            assertEquals(balance, running, customer + ": the newest line's balance is the wallet's");

            checkEveryDebitHasOneOutcome(customer, ledger, purchases);
            report.add(String.format("%s: deposits %d − debits %d + refunds %d = %d (%d purchases)", customer,
                    deposits, debits, refunds, balance, purchases.size()));
        }
        report.forEach(line -> System.out.println("[e2e] " + line));
    }

    private static void checkEveryDebitHasOneOutcome(Customer customer, List<Customer.LedgerItem> ledger,
            List<Map<String, Object>> purchases) {
        Map<String, Customer.LedgerItem> debits = new HashMap<>();
        Map<String, Customer.LedgerItem> refunds = new HashMap<>();
        for (Customer.LedgerItem item : ledger) {
            if (item.type().equals("debit") && debits.put(item.ref(), item) != null) {
                fail(customer + ": two debits for " + item.ref());
            }
            if (item.type().equals("refund") && refunds.put(item.ref(), item) != null) {
                fail(customer + ": two refunds for " + item.ref());
            }
        }
        Map<String, Map<String, Object>> byRef = new HashMap<>();
        purchases.forEach(p -> byRef.put((String) p.get("ref"), p));
        assertEquals(new TreeSet<>(byRef.keySet()), new TreeSet<>(debits.keySet()),
                customer + ": one debit per verification or rental, none without one");
        assertTrue(debits.keySet().containsAll(refunds.keySet()), customer + ": every refund is of a debit");

        for (Map.Entry<String, Customer.LedgerItem> debit : debits.entrySet()) {
            Map<String, Object> purchase = byRef.get(debit.getKey());
            assertNotNull(purchase);
            long cost = ((Number) purchase.get("cost_cents")).longValue();
            assertEquals(-cost, debit.getValue().amountCents(), "the debit is the price of " + purchase);
            Customer.LedgerItem refund = refunds.get(debit.getKey());
            if (charged(purchase)) {
                assertEquals(null, refund, customer + ": charged and refunded: " + purchase);
            } else if (refunded(purchase)) {
                assertNotNull(refund, customer + ": ended without a code but not refunded: " + purchase);
                assertEquals(cost, refund.amountCents(), "the refund is the debit");
            } else {
                fail(customer + ": a purchase without an outcome: " + purchase);
            }
        }
    }

    /** Received verification, rental with a code (active, or expired after a code): the charge stays. */
    private static boolean charged(Map<String, Object> purchase) {
        Object status = purchase.get("status");
        return CHARGED.contains(status) || "expired".equals(status) && purchase.get("last_code") != null;
    }

    /** Cancelled, or expired without a code: refunded. */
    private static boolean refunded(Map<String, Object> purchase) {
        return REFUNDED.contains(purchase.get("status")) && !charged(purchase);
    }

    private static long sum(List<Customer.LedgerItem> ledger, String type) {
        return ledger.stream().filter(i -> i.type().equals(type)).mapToLong(Customer.LedgerItem::amountCents).sum();
    }

    @Test
    @Order(3)
    void everyDocumentedErrorStatusWasSeen() {
        Set<Integer> missing = new TreeSet<>(World.DOCUMENTED_STATUSES);
        missing.removeAll(world().statuses);
        assertTrue(missing.isEmpty(), "statuses of the API's error table never answered: " + missing
                + " (run the whole suite; seen: " + new TreeSet<>(world().statuses) + ")");
    }
}
