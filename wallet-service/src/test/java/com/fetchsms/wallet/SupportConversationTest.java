package com.fetchsms.wallet;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A support ticket's conversation: the customer opens it (open), an operator answers (answered), the customer replies
 * (open again), either side closes it (closed, for good: a reply is 409 and changes nothing).
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class SupportConversationTest {

    private static final String INSTANT = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";

    @Inject
    Pool pool;

    @Test
    void aCustomerOpensAnOperatorAnswersTheCustomerRepliesAndAClosedTicketTakesNoReply() {
        TestAccounts.TestAccount customer = TestAccounts.create();
        UUID operatorId = UUID.randomUUID();
        String operator = TestTokens.admin(operatorId);

        Response opened = Tickets.open(customer.token(), "  Deposit not credited  ",
                "  I paid 10 USD by card\nbut my balance is 0.  ");
        opened.then().statusCode(201)
                .body("subject", equalTo("Deposit not credited"))
                .body("status", equalTo("open"))
                .body("account_id", equalTo(customer.id().toString()))
                .body("email", equalTo(customer.email()))
                .body("created_at", matchesPattern(INSTANT))
                .body("updated_at", equalTo(opened.path("created_at")))
                .body("messages.author", equalTo(List.of("customer")))
                .body("messages[0].body", equalTo("I paid 10 USD by card\nbut my balance is 0."))
                .body("messages[0].created_at", matchesPattern(INSTANT));
        Map<String, Object> ticket = opened.jsonPath().getMap("$");
        assertEquals(Set.of("id", "subject", "status", "account_id", "email", "created_at", "updated_at", "messages"),
                ticket.keySet());
        assertEquals(Set.of("id", "author", "body", "created_at"),
                opened.jsonPath().getMap("messages[0]").keySet());
        String id = opened.path("id");
        Tickets.Stored stored = Tickets.stored(pool, id);
        assertEquals("open", stored.status());
        assertEquals(List.of("customer: I paid 10 USD by card\nbut my balance is 0."), stored.messages());
        assertEquals(1L, Db.count(pool, """
                SELECT count(*) FROM support_message m JOIN support_ticket t ON t.id = m.ticket_id
                WHERE m.ticket_id = $1 AND m.author_account_id = $2 AND m.created_at = t.created_at""",
                UUID.fromString(id), customer.id()));

        // the customer sees it in its list (without messages) and alone
        Tickets.get(customer.token(), Tickets.CUSTOMERS).then().statusCode(200)
                .body("id", equalTo(List.of(id)))
                .body("[0].status", equalTo("open"))
                .body("[0].email", equalTo(customer.email()))
                .body("[0].messages", nullValue());
        // the operators see it in the open queue, with the customer's email
        assertTrue(Tickets.allPages(operator, Tickets.OPERATORS + "?limit=200").contains(id));

        Tickets.answer(operator, id, "We found your deposit.\n\nIt is credited now.").then().statusCode(201)
                .body("status", equalTo("answered"))
                .body("messages.author", equalTo(List.of("customer", "operator")))
                .body("messages[1].body", equalTo("We found your deposit.\n\nIt is credited now."));
        assertEquals(1L, Db.count(pool, "SELECT count(*) FROM support_message WHERE ticket_id = $1"
                + " AND author = 'operator' AND author_account_id = $2", UUID.fromString(id), operatorId));
        assertTrue(Tickets.allPages(operator, Tickets.OPERATORS + "?status=answered&limit=200").contains(id));
        assertTrue(!Tickets.allPages(operator, Tickets.OPERATORS + "?limit=200").contains(id),
                "an answered ticket waits for the customer, not in the open queue");

        Tickets.reply(customer.token(), id, "Thanks, I see it. One more question:\ta refund?").then()
                .statusCode(201)
                .body("status", equalTo("open"))
                .body("messages.author", equalTo(List.of("customer", "operator", "customer")))
                .body("messages[2].body", equalTo("Thanks, I see it. One more question:\ta refund?"));
        Tickets.get(operator, Tickets.OPERATORS + "/" + id).then().statusCode(200)
                .body("status", equalTo("open"))
                .body("email", equalTo(customer.email()))
                .body("messages.author", equalTo(List.of("customer", "operator", "customer")));

        Response closed = Tickets.post(customer.token(), Tickets.CUSTOMERS + "/" + id + "/close");
        closed.then().statusCode(200).body("status", equalTo("closed"))
                .body("messages.size()", equalTo(3));
        Tickets.Stored atClose = Tickets.stored(pool, id);
        assertEquals("closed", atClose.status());
        assertEquals(3, atClose.messages().size());

        // closed for good: neither side may write, and nothing changes
        Tickets.reply(customer.token(), id, "Hello again").then().statusCode(409)
                .body("detail", equalTo("The ticket is closed; open a new one"));
        Tickets.answer(operator, id, "One more thing").then().statusCode(409)
                .body("detail", equalTo("The ticket is closed; open a new one"));
        // closing again answers the closed ticket as it is
        Tickets.post(customer.token(), Tickets.CUSTOMERS + "/" + id + "/close").then().statusCode(200)
                .body("status", equalTo("closed")).body("updated_at", equalTo(closed.path("updated_at")));
        Tickets.post(operator, Tickets.OPERATORS + "/" + id + "/close").then().statusCode(200)
                .body("status", equalTo("closed"));
        assertEquals(atClose, Tickets.stored(pool, id));
        Tickets.get(customer.token(), Tickets.CUSTOMERS + "/" + id).then().statusCode(200)
                .body("status", equalTo("closed"))
                .body("messages.author", equalTo(List.of("customer", "operator", "customer")));
        assertTrue(Tickets.allPages(operator, Tickets.OPERATORS + "?status=closed&limit=200").contains(id));
    }

    @Test
    void anOperatorClosesATicketAndTheCustomerMayOpenANewOne() {
        TestAccounts.TestAccount customer = TestAccounts.create();
        String operator = TestTokens.admin();
        String id = Tickets.opened(customer.token(), "Number does not receive");

        Tickets.post(operator, Tickets.OPERATORS + "/" + id + "/close").then().statusCode(200)
                .body("status", equalTo("closed")).body("messages.size()", equalTo(1));
        Tickets.reply(customer.token(), id, "Still broken").then().statusCode(409);
        assertEquals(List.of("customer: Please help with Number does not receive"),
                Tickets.stored(pool, id).messages());

        String second = Tickets.opened(customer.token(), "Number still does not receive");
        // most recently changed first
        Tickets.get(customer.token(), Tickets.CUSTOMERS).then().statusCode(200)
                .body("id", equalTo(List.of(second, id)))
                .body("status", equalTo(List.of("open", "closed")));
    }

    @Test
    void concurrentRepliesOfBothSidesAreAllKeptInOrder() throws Exception {
        TestAccounts.TestAccount customer = TestAccounts.create();
        String operator = TestTokens.admin();
        String id = Tickets.opened(customer.token(), "Many messages");
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String text = "message " + i;
            calls.add(i % 2 == 0
                    ? () -> Tickets.reply(customer.token(), id, text)
                    : () -> Tickets.answer(operator, id, text));
        }
        List<Integer> statuses = DebitTest.race(calls);
        assertEquals(12, statuses.stream().filter(s -> s == 201).count(), statuses.toString());

        Response answer = Tickets.get(customer.token(), Tickets.CUSTOMERS + "/" + id);
        answer.then().statusCode(200).body("messages.size()", equalTo(13));
        List<String> bodies = answer.jsonPath().getList("messages.body");
        assertEquals("Please help with Many messages", bodies.get(0));
        Set<String> replies = new TreeSet<>(bodies.subList(1, 13));
        assertEquals(12, replies.size(), bodies.toString());
        // the order of the answer is the order of the rows, and each message's time is not before the previous one's
        assertEquals(0L, Db.count(pool, """
                SELECT count(*) FROM (
                    SELECT created_at < lag(created_at) OVER (ORDER BY seq) AS back
                    FROM support_message WHERE ticket_id = $1) m
                WHERE back""", UUID.fromString(id)));
        // the ticket's last change is its last message, whose author set its status
        String lastAuthor = answer.path("messages[12].author");
        assertEquals("customer".equals(lastAuthor) ? "open" : "answered", answer.path("status"));
        assertEquals(1L, Db.count(pool, """
                SELECT count(*) FROM support_ticket t
                WHERE t.id = $1
                  AND t.updated_at = (SELECT max(created_at) FROM support_message WHERE ticket_id = t.id)""",
                UUID.fromString(id)));
    }

    @Test
    void aReplyRacingACloseIsEitherKeptBeforeItOrRefused() throws Exception {
        TestAccounts.TestAccount customer = TestAccounts.create();
        String operator = TestTokens.admin();
        for (int round = 0; round < 5; round++) {
            String id = Tickets.opened(customer.token(), "Race " + round);
            List<Callable<Response>> calls = List.of(
                    () -> Tickets.answer(operator, id, "an answer"),
                    () -> Tickets.reply(customer.token(), id, "a reply"),
                    () -> Tickets.post(customer.token(), Tickets.CUSTOMERS + "/" + id + "/close"));
            List<Integer> statuses = DebitTest.race(calls);
            assertEquals(200, statuses.get(2));
            Tickets.Stored stored = Tickets.stored(pool, id);
            assertEquals("closed", stored.status());
            long written = statuses.subList(0, 2).stream().filter(s -> s == 201).count();
            long refused = statuses.subList(0, 2).stream().filter(s -> s == 409).count();
            assertEquals(2, written + refused, statuses.toString());
            assertEquals(1 + written, stored.messages().size(), stored.toString());
            // the close came last: it is the ticket's last change
            assertEquals(1L, Db.count(pool, """
                    SELECT count(*) FROM support_ticket t
                    WHERE t.id = $1
                      AND t.updated_at >= (SELECT max(created_at) FROM support_message WHERE ticket_id = t.id)""",
                    UUID.fromString(id)));
        }
    }
}
