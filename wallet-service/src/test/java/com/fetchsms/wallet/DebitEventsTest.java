package com.fetchsms.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.Topics;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * With {@code fetchsms.wallet.debit-events} on, each debit writes its {@code wallet.debited} event in the debit's
 * transaction: one event per debit made, none for a replay or a refusal.
 */
@QuarkusTest
@TestProfile(DebitEventsProfile.class)
@WithTestResource(ServiceTestResource.class)
class DebitEventsTest {

    @Inject
    Pool pool;

    @Test
    void aDebitPublishesWalletDebitedWithItsAmountBalanceAndTransaction() {
        TestAccounts.TestAccount account = TestAccounts.funded(1000);
        UUID purchase = UUID.randomUUID();
        Response debit = TestAccounts.debit(purchase, account.id(), 140, "v_8R3p2K");
        debit.then().statusCode(201);
        UUID transaction = UUID.fromString(debit.path("transaction_id"));
        DebitTest.assertBothSides(pool, transaction, 140);

        KafkaEvents.Received event = KafkaEvents.await(Topics.WALLET_DEBITED,
                r -> purchase.toString().equals(r.data().path("purchase_id").asText()), Duration.ofSeconds(20));
        assertEquals("fetchsms.wallet.debited.v1", event.type());
        assertEquals(account.id().toString(), event.key());
        assertEquals(140, event.data().get("amount_cents").asLong());
        assertEquals(860, event.data().get("balance_after_cents").asLong());
        assertEquals(transaction.toString(), event.data().get("transaction_id").asText());
        assertEquals("v_8R3p2K", event.data().get("ref").asText());
        Db.assertLedgerConsistent(pool);
    }

    @Test
    void aRetriedDebitPublishesOneEvent() {
        TestAccounts.TestAccount account = TestAccounts.funded(1000);
        UUID purchase = UUID.randomUUID();
        TestAccounts.debit(purchase, account.id(), 300, "r_K9m2Lp").then().statusCode(201);
        TestAccounts.debit(purchase, account.id(), 300, "r_K9m2Lp").then().statusCode(200);
        assertEquals(700, TestAccounts.balance(account));
        assertEquals(1, Db.publishedOfKey(pool, Topics.WALLET_DEBITED, account.id().toString()).stream()
                .filter(r -> purchase.toString().equals(r.data().path("purchase_id").asText())).count());
    }

    @Test
    void parallelDebitsBeyondTheBalancePublishOneEventPerDebitMade() throws Exception {
        TestAccounts.TestAccount account = TestAccounts.funded(5000);
        DebitConcurrencyTest.twoHundredDebitsOfOneDollarMakeFifty(account);
        Db.assertLedgerConsistent(pool);
        assertEquals(50, Db.publishedOfKey(pool, Topics.WALLET_DEBITED, account.id().toString()).size());
    }
}
