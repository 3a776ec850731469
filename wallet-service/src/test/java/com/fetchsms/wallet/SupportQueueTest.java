package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The lists: a customer's tickets most recently changed first; the operators' queue of open tickets the longest
 * waiting first, of answered and closed ones the most recently changed first; keyset pages by {@code before} with a
 * {@code Link} to the next page. (The test classes share a database: the queues hold other tests' tickets too, so the
 * order is checked on this test's tickets and on the whole queue's times.)
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class SupportQueueTest {

    @Test
    void theOpenQueueIsTheLongestWaitingFirstAndAnAnswerMovesATicketToTheAnsweredQueue() {
        String operator = TestTokens.admin();
        TestAccounts.TestAccount alice = TestAccounts.create();
        TestAccounts.TestAccount bob = TestAccounts.create();
        String first = Tickets.opened(alice.token(), "First");
        String second = Tickets.opened(bob.token(), "Second");
        String third = Tickets.opened(alice.token(), "Third");
        assertEquals(List.of(first, second, third), mine(open(operator), first, second, third));

        // a customer's reply makes its ticket wait again, from now: to the end of the queue
        Tickets.reply(alice.token(), first, "Anyone there?").then().statusCode(201);
        assertEquals(List.of(second, third, first), mine(open(operator), first, second, third));

        // an answer takes it out of the open queue, to the top of the answered one
        Tickets.answer(operator, second, "Here we are").then().statusCode(201);
        Tickets.answer(operator, third, "And here").then().statusCode(201);
        assertEquals(List.of(first), mine(open(operator), first, second, third));
        List<String> answered = Tickets.allPages(operator, Tickets.OPERATORS + "?status=answered&limit=200");
        assertEquals(List.of(third, second), mine(answered, first, second, third));
        Tickets.post(operator, Tickets.OPERATORS + "/" + second + "/close").then().statusCode(200);
        Tickets.post(alice.token(), Tickets.CUSTOMERS + "/" + first + "/close").then().statusCode(200);
        List<String> closed = Tickets.allPages(operator, Tickets.OPERATORS + "?status=closed&limit=200");
        assertEquals(List.of(first, second), mine(closed, first, second, third));

        // each item: the customer's email, no messages
        Response page = Tickets.get(operator, Tickets.OPERATORS + "?status=answered&limit=200");
        page.then().statusCode(200)
                .body("status", everyItem(equalTo("answered")))
                .body("email", everyItem(notNullValue()))
                .body("messages", everyItem(nullValue()));
        Map<String, Object> item = page.jsonPath().getMap("find { it.id == '" + third + "' }");
        assertEquals(alice.email(), item.get("email"));
        assertEquals(alice.id().toString(), item.get("account_id"));
        assertEquals("Third", item.get("subject"));
        assertTrue(item.containsKey("messages") && item.get("messages") == null, item.toString());

        // the customer's own list: most recently changed first, only its tickets
        Tickets.get(alice.token(), Tickets.CUSTOMERS).then().statusCode(200)
                .body("id", equalTo(List.of(first, third)))
                .body("status", equalTo(List.of("closed", "answered")));
    }

    @Test
    void everyQueueIsOrderedByItsTicketsLastChangeAndPagedWithoutGapsOrRepeats() {
        String operator = TestTokens.admin();
        TestAccounts.TestAccount customer = TestAccounts.create();
        for (int i = 0; i < 5; i++) {
            Tickets.opened(customer.token(), "Paged " + i);
        }
        for (String status : List.of("open", "answered", "closed")) {
            List<String> whole = Tickets.allPages(operator, Tickets.OPERATORS + "?status=" + status + "&limit=200");
            List<String> paged = Tickets.allPages(operator, Tickets.OPERATORS + "?status=" + status + "&limit=2");
            assertEquals(whole, paged, status);
            assertEquals(whole.size(), new HashSet<>(whole).size(), status + ": repeated tickets");
            List<Instant> times = new ArrayList<>();
            for (String id : whole) {
                times.add(Instant.parse(Tickets.get(operator, Tickets.OPERATORS + "/" + id).path("updated_at")));
            }
            for (int i = 1; i < times.size(); i++) {
                assertTrue("open".equals(status)
                        ? !times.get(i).isBefore(times.get(i - 1))
                        : !times.get(i).isAfter(times.get(i - 1)), status + " out of order at " + i + ": " + times);
            }
        }
        // the default is the open queue, and its Link keeps the status
        Response page = Tickets.get(operator, Tickets.OPERATORS + "?limit=1");
        page.then().statusCode(200).body("size()", equalTo(1)).body("[0].status", equalTo("open"));
        String link = page.header("Link");
        assertEquals("</v1/admin/support/tickets?status=open&limit=1&before=" + page.path("[0].id")
                + ">; rel=\"next\"", link);
    }

    @Test
    void aCustomersListIsPagedByBeforeWithANextLinkOnFullPagesOnly() {
        TestAccounts.TestAccount customer = TestAccounts.create();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(Tickets.opened(customer.token(), "Ticket " + i));
        }
        List<String> newestFirst = List.of(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));

        Response first = Tickets.get(customer.token(), Tickets.CUSTOMERS + "?limit=2");
        first.then().statusCode(200).body("id", equalTo(newestFirst.subList(0, 2)))
                .body("messages", everyItem(nullValue()));
        assertEquals("</v1/support/tickets?limit=2&before=" + ids.get(3) + ">; rel=\"next\"", first.header("Link"));
        assertEquals(newestFirst, Tickets.allPages(customer.token(), Tickets.CUSTOMERS + "?limit=2"));
        // a last page that is exactly full has no next page
        Response last = Tickets.get(customer.token(), Tickets.CUSTOMERS + "?limit=2&before=" + ids.get(2));
        last.then().statusCode(200).body("id", equalTo(newestFirst.subList(3, 5)));
        assertNull(last.header("Link"));
        Tickets.get(customer.token(), Tickets.CUSTOMERS).then().statusCode(200).body("id", equalTo(newestFirst));
        assertNull(Tickets.get(customer.token(), Tickets.CUSTOMERS).header("Link"));

        // a change moves a ticket to the top
        Tickets.reply(customer.token(), ids.get(0), "Bump").then().statusCode(201);
        Tickets.get(customer.token(), Tickets.CUSTOMERS + "?limit=1").then().statusCode(200)
                .body("id", equalTo(List.of(ids.get(0))));
    }

    @Test
    void badLimitsCursorsAndStatusesAre422() {
        String operator = TestTokens.admin();
        TestAccounts.TestAccount customer = TestAccounts.create();
        String id = Tickets.opened(customer.token(), "Cursor");
        for (String token : List.of(customer.token(), operator)) {
            String path = token.equals(operator) ? Tickets.OPERATORS : Tickets.CUSTOMERS;
            for (String limit : List.of("0", "201", "-1", "abc")) {
                given().auth().oauth2(token).queryParam("limit", limit).when().get(path).then().statusCode(422)
                        .body("detail", org.hamcrest.Matchers.startsWith("Query parameter 'limit' must be"));
            }
            given().auth().oauth2(token).queryParam("before", "nope").when().get(path).then().statusCode(422)
                    .body("detail", equalTo("Query parameter 'before' must be an id from the previous page"));
            given().auth().oauth2(token).queryParam("before", java.util.UUID.randomUUID().toString()).when()
                    .get(path).then().statusCode(422)
                    .body("detail", org.hamcrest.Matchers.startsWith("'before' is not"));
        }
        given().auth().oauth2(operator).queryParam("status", "pending").when().get(Tickets.OPERATORS).then()
                .statusCode(422)
                .body("detail", equalTo("Query parameter 'status' must be one of answered, closed, open"));
        // a cursor must be in the queue asked for
        given().auth().oauth2(operator).queryParam("status", "closed").queryParam("before", id).when()
                .get(Tickets.OPERATORS).then().statusCode(422)
                .body("detail", org.hamcrest.Matchers.startsWith("'before' is not a ticket of this queue"));
        given().auth().oauth2(operator).queryParam("status", "OPEN").queryParam("before", id).when()
                .get(Tickets.OPERATORS).then().statusCode(200);
    }

    /** The ids of {@code queue} that are among {@code ids}, in the queue's order. */
    private static List<String> mine(List<String> queue, String... ids) {
        List<String> wanted = List.of(ids);
        return queue.stream().filter(wanted::contains).toList();
    }

    private static List<String> open(String operator) {
        return Tickets.allPages(operator, Tickets.OPERATORS + "?limit=200");
    }
}
