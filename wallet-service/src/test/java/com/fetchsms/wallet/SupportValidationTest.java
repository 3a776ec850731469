package com.fetchsms.wallet;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
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
 * What a ticket and a message may hold: a subject of 1 to 200 characters on one line, a body of 1 to 5,000 (line breaks
 * allowed), no control character nor broken Unicode; at most 20 tickets not closed per account. Every refusal names
 * the field and writes nothing. Bodies are raw JSON so that escapes like NUL reach the service as sent.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class SupportValidationTest {

    @Inject
    Pool pool;

    @Test
    void aMissingOrMistypedFieldIs400NamingItAndOpensNothing() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String token = account.token();
        refused(Tickets.postRaw(token, Tickets.CUSTOMERS, "{\"body\": \"Hello\"}"), 400, "'subject' is required");
        refused(Tickets.postRaw(token, Tickets.CUSTOMERS, "{\"subject\": \"Hello\"}"), 400, "'body' is required");
        refused(Tickets.postRaw(token, Tickets.CUSTOMERS, "{\"subject\": null, \"body\": \"Hello\"}"), 400,
                "'subject' is required");
        refused(Tickets.postRaw(token, Tickets.CUSTOMERS, "{\"subject\": 42, \"body\": \"Hello\"}"), 400,
                "Field 'subject' has the wrong type");
        refused(Tickets.postRaw(token, Tickets.CUSTOMERS, "{\"subject\": \"Hi\", \"body\": [\"Hello\"]}"), 400,
                "Field 'body' has the wrong type");
        refused(Tickets.as(token).contentType("application/json").when().post(Tickets.CUSTOMERS), 400,
                "A JSON body is required: {subject, body}");
        refused(Tickets.postRaw(token, Tickets.CUSTOMERS, "{\"subject\": \"Hi\", "), 400, null);
        assertEquals(0L, Tickets.ticketsOf(pool, account.id()));
    }

    @Test
    void aBlankOrTooLongSubjectOrBodyIs422NamingItAndOpensNothing() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String token = account.token();
        refused(Tickets.open(token, "   ", "Hello"), 422, "'subject' must be 1 to 200 characters");
        refused(Tickets.open(token, "", "Hello"), 422, "'subject' must be 1 to 200 characters");
        refused(Tickets.open(token, "s".repeat(201), "Hello"), 422, "'subject' must be 1 to 200 characters");
        refused(Tickets.open(token, "Hello", " \n\t "), 422, "'body' must be 1 to 5000 characters");
        refused(Tickets.open(token, "Hello", "b".repeat(5001)), 422, "'body' must be 1 to 5000 characters");
        assertEquals(0L, Tickets.ticketsOf(pool, account.id()));

        // the limits are characters, not UTF-16 units: 200 emoji are 400 units and a subject
        String emoji = "\ud83d\ude00".repeat(200);
        Tickets.open(token, emoji, "b".repeat(5000)).then().statusCode(201)
                .body("subject", equalTo(emoji));
        refused(Tickets.open(token, emoji + "\ud83d\ude00", "Hello"), 422, "'subject' must be 1 to 200 characters");
        assertEquals(1L, Tickets.ticketsOf(pool, account.id()));
    }

    @Test
    void aControlCharacterOrBrokenUnicodeIs400NamingTheFieldAndOpensNothing() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String token = account.token();
        for (String subject : List.of("nul\\u0000", "escape\\u001b[31m", "c1\\u0085", "two\\nlines", "tab\\tbed",
                "del\\u007f")) {
            refused(Tickets.postRaw(token, Tickets.CUSTOMERS, "{\"subject\": \"" + subject + "\", \"body\": \"x\"}"),
                    400, "'subject' must not contain control characters");
        }
        for (String body : List.of("nul\\u0000", "bell\\u0007", "c1\\u009b", "vertical\\u000btab")) {
            refused(Tickets.postRaw(token, Tickets.CUSTOMERS, "{\"subject\": \"Hi\", \"body\": \"" + body + "\"}"),
                    400, "'body' must not contain control characters");
        }
        refused(Tickets.postRaw(token, Tickets.CUSTOMERS, "{\"subject\": \"lone \\ud800\", \"body\": \"x\"}"), 400,
                "'subject' is not valid Unicode text (a lone UTF-16 surrogate)");
        refused(Tickets.postRaw(token, Tickets.CUSTOMERS, "{\"subject\": \"Hi\", \"body\": \"\\udc00 lone\"}"), 400,
                "'body' is not valid Unicode text (a lone UTF-16 surrogate)");
        assertEquals(0L, Tickets.ticketsOf(pool, account.id()));

        // line breaks and tabs are a body's own
        Tickets.postRaw(token, Tickets.CUSTOMERS, "{\"subject\": \"Hi\", \"body\": \"one\\r\\ntwo\\tcolumns\"}")
                .then().statusCode(201).body("messages[0].body", equalTo("one\r\ntwo\tcolumns"));
    }

    @Test
    void aRefusedReplyOfEitherSideAddsNothingAndChangesNoStatus() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String operator = TestTokens.admin();
        String id = Tickets.opened(account.token(), "Replies");
        Tickets.answer(operator, id, "An answer").then().statusCode(201);
        Tickets.Stored before = Tickets.stored(pool, id);

        for (String path : List.of(Tickets.CUSTOMERS + "/" + id + "/messages",
                Tickets.OPERATORS + "/" + id + "/messages")) {
            String token = path.startsWith(Tickets.OPERATORS) ? operator : account.token();
            refused(Tickets.postRaw(token, path, "{}"), 400, "'body' is required");
            refused(Tickets.postRaw(token, path, "{\"body\": 7}"), 400, "Field 'body' has the wrong type");
            refused(Tickets.as(token).contentType("application/json").when().post(path), 400,
                    "A JSON body is required: {body}");
            refused(Tickets.postRaw(token, path, "{\"body\": \"nul\\u0000\"}"), 400,
                    "'body' must not contain control characters");
            refused(Tickets.postRaw(token, path, "{\"body\": \"\\ud83d\"}"), 400,
                    "'body' is not valid Unicode text (a lone UTF-16 surrogate)");
            refused(Tickets.postRaw(token, path, "{\"body\": \"  \"}"), 422, "'body' must be 1 to 5000 characters");
            refused(Tickets.postRaw(token, path, "{\"body\": \"" + "b".repeat(5001) + "\"}"), 422,
                    "'body' must be 1 to 5000 characters");
        }
        assertEquals(before, Tickets.stored(pool, id));
        assertEquals("answered", before.status());
    }

    @Test
    void theTwentyFirstTicketNotClosedIs422AndClosingOneMakesRoom() {
        TestAccounts.TestAccount account = TestAccounts.create();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(Tickets.opened(account.token(), "Ticket " + i));
        }
        // answered tickets are not closed either
        Tickets.answer(TestTokens.admin(), ids.get(0), "Answered").then().statusCode(201);
        refused(Tickets.open(account.token(), "Ticket 21", "One too many"), 422,
                "An account may have at most 20 support tickets that are not closed; close one first");
        assertEquals(20L, Tickets.ticketsOf(pool, account.id()));
        assertEquals(21L, Tickets.messagesOf(pool, account.id()));

        Tickets.post(account.token(), Tickets.CUSTOMERS + "/" + ids.get(5) + "/close").then().statusCode(200);
        Tickets.opened(account.token(), "Ticket 21");
        refused(Tickets.open(account.token(), "Ticket 22", "One too many"), 422, null);
        assertEquals(21L, Tickets.ticketsOf(pool, account.id()));
        assertEquals(20L, Db.count(pool, "SELECT count(*) FROM support_ticket WHERE account_id = $1"
                + " AND status <> 'closed'", account.id()));
    }

    @Test
    void racingOpeningsNeverPassTheCap() throws Exception {
        TestAccounts.TestAccount account = TestAccounts.create();
        for (int i = 0; i < 16; i++) {
            Tickets.opened(account.token(), "Before the race " + i);
        }
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String subject = "Racing " + i;
            calls.add(() -> Tickets.open(account.token(), subject, "Hello"));
        }
        List<Integer> statuses = DebitTest.race(calls);
        assertEquals(4, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(6, statuses.stream().filter(s -> s == 422).count(), statuses.toString());
        assertEquals(20L, Tickets.ticketsOf(pool, account.id()));
        assertEquals(20L, Tickets.messagesOf(pool, account.id()));
    }

    @Test
    void theDatabaseRefusesWhatTheRoutesRefuse() {
        TestAccounts.TestAccount account = TestAccounts.create();
        UUID id = UUID.fromString(Tickets.opened(account.token(), "Constraints"));
        for (String sql : List.of(
                "UPDATE support_ticket SET subject = '' WHERE id = $1",
                "UPDATE support_ticket SET status = 'pending' WHERE id = $1",
                "UPDATE support_ticket SET updated_at = created_at - interval '1 second' WHERE id = $1",
                "UPDATE support_message SET body = repeat('b', 5001) WHERE ticket_id = $1",
                "UPDATE support_message SET author = 'bot' WHERE ticket_id = $1")) {
            try {
                Db.rows(pool, sql, id);
                throw new AssertionError("the database took: " + sql);
            } catch (io.vertx.pgclient.PgException e) {
                assertEquals("23514", e.getSqlState(), sql);
            }
        }
    }

    private static void refused(Response answer, int status, String detail) {
        answer.then().statusCode(status);
        if (detail != null) {
            answer.then().body("detail", equalTo(detail));
        } else {
            answer.then().body("detail", org.hamcrest.Matchers.notNullValue());
        }
    }
}
