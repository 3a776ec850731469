package com.fetchsms.wallet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.testkit.ServiceTestResource;
import com.fetchsms.testkit.TestTokens;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Who may do what with support tickets: a dashboard session only (an API key, live or test, is 403 as on every account
 * route), another customer's ticket is 404 as if it did not exist, the operators' routes refuse customers (403).
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class SupportAccessTest {

    private static final String KEY_REFUSED = "API keys are not accepted here; use a dashboard session token";
    private static final String NOT_ALLOWED = "This credential is not allowed to use this endpoint";

    @Inject
    Pool pool;

    @Test
    void anApiKeyIs403OnEverySupportRouteAndWritesNothing() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String id = Tickets.opened(account.token(), "Mine");
        Tickets.Stored before = Tickets.stored(pool, id);
        String live = issueKey(account, "live");
        String test = issueKey(account, "test");

        for (String key : List.of(live, test)) {
            for (Response answer : everyRoute(key, id)) {
                answer.then().statusCode(403).body("detail", equalTo(KEY_REFUSED));
            }
        }
        assertEquals(1L, Tickets.ticketsOf(pool, account.id()));
        assertEquals(before, Tickets.stored(pool, id));
    }

    @Test
    void anotherCustomersTicketIs404AndStaysAsItWas() {
        TestAccounts.TestAccount owner = TestAccounts.create();
        TestAccounts.TestAccount other = TestAccounts.create();
        String id = Tickets.opened(owner.token(), "Private matter");
        Tickets.Stored before = Tickets.stored(pool, id);
        String missing = "No support ticket " + id;

        Tickets.get(other.token(), Tickets.CUSTOMERS + "/" + id).then().statusCode(404)
                .body("detail", equalTo(missing));
        Tickets.reply(other.token(), id, "Let me in").then().statusCode(404).body("detail", equalTo(missing));
        Tickets.post(other.token(), Tickets.CUSTOMERS + "/" + id + "/close").then().statusCode(404)
                .body("detail", equalTo(missing));
        Tickets.get(other.token(), Tickets.CUSTOMERS).then().statusCode(200).body("", equalTo(List.of()));
        // nor is it a cursor of another customer's list
        given().auth().oauth2(other.token()).queryParam("before", id).when().get(Tickets.CUSTOMERS).then()
                .statusCode(422).body("detail", equalTo("'before' is not one of your tickets"));
        assertEquals(before, Tickets.stored(pool, id));
        assertEquals(0L, Tickets.ticketsOf(pool, other.id()));

        // unknown ids and ids that are no UUID name nothing either
        UUID unknown = UUID.randomUUID();
        Tickets.get(owner.token(), Tickets.CUSTOMERS + "/" + unknown).then().statusCode(404)
                .body("detail", equalTo("No support ticket " + unknown));
        Tickets.reply(owner.token(), unknown.toString(), "Hello").then().statusCode(404);
        Tickets.post(owner.token(), Tickets.CUSTOMERS + "/" + unknown + "/close").then().statusCode(404);
        Tickets.get(owner.token(), Tickets.CUSTOMERS + "/not-a-ticket").then().statusCode(404);
        Tickets.get(TestTokens.admin(), Tickets.OPERATORS + "/" + unknown).then().statusCode(404);
        Tickets.answer(TestTokens.admin(), unknown.toString(), "Hello").then().statusCode(404);
        Tickets.post(TestTokens.admin(), Tickets.OPERATORS + "/" + unknown + "/close").then().statusCode(404);
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM support_message WHERE ticket_id = $1", unknown));
        // the owner still has it as it was
        Tickets.get(owner.token(), Tickets.CUSTOMERS + "/" + id).then().statusCode(200)
                .body("status", equalTo("open")).body("messages.size()", equalTo(1));
    }

    @Test
    void aCustomerOnTheOperatorsRoutesIs403AndChangesNothing() {
        TestAccounts.TestAccount customer = TestAccounts.create();
        TestAccounts.TestAccount other = TestAccounts.create();
        String own = Tickets.opened(customer.token(), "Own ticket");
        String foreign = Tickets.opened(other.token(), "Someone else's ticket");
        Tickets.Stored ownBefore = Tickets.stored(pool, own);
        Tickets.Stored foreignBefore = Tickets.stored(pool, foreign);

        for (String session : List.of(customer.token(), TestTokens.user(customer.id()))) {
            for (String id : List.of(own, foreign)) {
                Tickets.get(session, Tickets.OPERATORS).then().statusCode(403).body("detail", equalTo(NOT_ALLOWED));
                Tickets.get(session, Tickets.OPERATORS + "?status=closed").then().statusCode(403);
                Tickets.get(session, Tickets.OPERATORS + "/" + id).then().statusCode(403)
                        .body("detail", equalTo(NOT_ALLOWED));
                Tickets.answer(session, id, "I am the operator now").then().statusCode(403)
                        .body("detail", equalTo(NOT_ALLOWED));
                Tickets.post(session, Tickets.OPERATORS + "/" + id + "/close").then().statusCode(403)
                        .body("detail", equalTo(NOT_ALLOWED));
            }
        }
        assertEquals(ownBefore, Tickets.stored(pool, own));
        assertEquals(foreignBefore, Tickets.stored(pool, foreign));
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM support_message WHERE author = 'operator'"
                + " AND ticket_id IN ($1, $2)", UUID.fromString(own), UUID.fromString(foreign)));
    }

    @Test
    void noCredentialIs401() {
        TestAccounts.TestAccount account = TestAccounts.create();
        String id = Tickets.opened(account.token(), "Anonymous?");
        for (Response answer : everyRoute(null, id)) {
            answer.then().statusCode(401).header("WWW-Authenticate", "Bearer")
                    .body("detail", equalTo("Missing, invalid, or revoked credential"));
        }
        // a session of an account that does not exist opens nothing
        Tickets.open(TestTokens.user(UUID.randomUUID()), "Ghost", "Boo").then().statusCode(401);
        assertFalse(Db.count(pool, "SELECT count(*) FROM support_ticket WHERE subject = 'Ghost'") > 0);
    }

    /** Every support route, customers' and operators', with {@code credential} (none when null). */
    private static List<Response> everyRoute(String credential, String id) {
        return List.of(
                Tickets.open(credential, "From a key", "Hello"),
                Tickets.get(credential, Tickets.CUSTOMERS),
                Tickets.get(credential, Tickets.CUSTOMERS + "/" + id),
                Tickets.reply(credential, id, "From a key"),
                Tickets.post(credential, Tickets.CUSTOMERS + "/" + id + "/close"),
                Tickets.get(credential, Tickets.OPERATORS),
                Tickets.get(credential, Tickets.OPERATORS + "/" + id),
                Tickets.answer(credential, id, "From a key"),
                Tickets.post(credential, Tickets.OPERATORS + "/" + id + "/close"));
    }

    private static String issueKey(TestAccounts.TestAccount account, String mode) {
        return given().auth().oauth2(account.token()).contentType(ContentType.JSON)
                .body(Map.of("name", "support " + mode, "mode", mode)).when().post("/v1/api-keys").then()
                .statusCode(201).extract().path("key");
    }
}
