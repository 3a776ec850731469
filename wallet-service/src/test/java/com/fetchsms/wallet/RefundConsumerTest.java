package com.fetchsms.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.CancelReason;
import com.fetchsms.common.events.RentalCancelled;
import com.fetchsms.common.events.RentalExpired;
import com.fetchsms.common.events.Topics;
import com.fetchsms.common.events.VerificationCancelled;
import com.fetchsms.common.events.VerificationExpired;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceTestResource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class RefundConsumerTest {

    private static final String CONSUMER = "wallet-service.refunds";

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @Test
    void oneEventDeliveredThreeTimesAndAnotherOutcomeOfThePurchaseRefundOnce() {
        TestAccounts.TestAccount account = TestAccounts.funded(1000);
        UUID verification = UUID.randomUUID();
        TestAccounts.debit(verification, account.id(), 70, "v_test01").then().statusCode(201);
        assertEquals(930, TestAccounts.balance(account));

        VerificationExpired expired = new VerificationExpired(verification, account.id(), "v_test01", 4, "telegram",
                "+13325550184", 70, Instant.now());
        String eventId = KafkaEvents.send(expired);
        KafkaEvents.send(expired, eventId);
        KafkaEvents.send(expired, eventId);
        String cancelledId = KafkaEvents.send(new VerificationCancelled(verification, account.id(), "v_test01", 4,
                "telegram", "+13325550184", 70, Instant.now()));

        awaitProcessed(eventId);
        awaitProcessed(cancelledId);
        assertEquals(1000, TestAccounts.balance(account));
        assertEquals(1L, Db.count(pool, "SELECT count(*) FROM ledger_transaction WHERE type = 'refund' AND ref = $1",
                "v_test01"));
        assertEquals("verification_expired", Db.rows(pool, "SELECT refund_reason FROM debit WHERE purchase_id = $1",
                verification).iterator().next().getString(0));
        List<KafkaEvents.Received> refunds = Db.publishedOfKey(pool, Topics.WALLET_REFUNDED, account.id().toString())
                .stream().filter(r -> verification.toString().equals(r.data().path("purchase_id").asText())).toList();
        assertEquals(1, refunds.size());
        assertEquals("fetchsms.wallet.refunded.v1", refunds.get(0).type());
        assertEquals(account.id().toString(), refunds.get(0).key());
        assertEquals(70, refunds.get(0).data().get("amount_cents").asLong());
        assertEquals(1000, refunds.get(0).data().get("balance_after_cents").asLong());
        assertEquals("verification_expired", refunds.get(0).data().get("reason").asText());
        Db.assertLedgerConsistent(pool);
    }

    @Test
    void aRentalIsRefundedWhenItExpiresWithoutACodeAndNotWhenOneArrived() {
        TestAccounts.TestAccount account = TestAccounts.funded(5000);
        UUID used = UUID.randomUUID();
        UUID unused = UUID.randomUUID();
        TestAccounts.debit(used, account.id(), 1200, "r_used01").then().statusCode(201);
        TestAccounts.debit(unused, account.id(), 600, "r_idle01").then().statusCode(201);

        String withCode = KafkaEvents.send(new RentalExpired(used, account.id(), "r_used01", "+14155550142", true,
                List.of("whatsapp"), 1200, Instant.now()));
        String withoutCode = KafkaEvents.send(new RentalExpired(unused, account.id(), "r_idle01", "+14155550143",
                false, List.of(), 600, Instant.now()));
        awaitProcessed(withCode);
        awaitProcessed(withoutCode);

        assertEquals(5000 - 1200, TestAccounts.balance(account));
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM debit WHERE purchase_id = $1 AND refunded_at IS NOT NULL",
                used));
        assertEquals("rental_expired_without_code", Db.rows(pool,
                "SELECT refund_reason FROM debit WHERE purchase_id = $1", unused).iterator().next().getString(0));
    }

    @Test
    void aCancelledRentalGetsBackWhatWasDebitedWhateverTheEventSays() {
        TestAccounts.TestAccount account = TestAccounts.funded(2000);
        UUID rental = UUID.randomUUID();
        TestAccounts.debit(rental, account.id(), 1210, "r_cnl001").then().statusCode(201);
        String eventId = KafkaEvents.send(new RentalCancelled(rental, account.id(), "r_cnl001", "+14155550144", 9999,
                Instant.now()));
        awaitProcessed(eventId);
        assertEquals(2000, TestAccounts.balance(account));
        Db.assertLedgerConsistent(pool);
    }

    @Test
    void aReportedPurchaseIsRefundedOnceLikeACancelWithItsOwnReason() {
        TestAccounts.TestAccount account = TestAccounts.funded(3000);
        UUID verification = UUID.randomUUID();
        UUID rental = UUID.randomUUID();
        TestAccounts.debit(verification, account.id(), 70, "v_rep001").then().statusCode(201);
        TestAccounts.debit(rental, account.id(), 600, "r_rep001").then().statusCode(201);
        VerificationCancelled reported = new VerificationCancelled(verification, account.id(), "v_rep001", 4,
                "telegram", "+13325550187", 70, Instant.now(), CancelReason.REPORTED);
        String eventId = KafkaEvents.send(reported);
        KafkaEvents.send(reported, eventId);
        // a later cancel of the same purchase (answered as the reported purchase) refunds nothing more
        String again = KafkaEvents.send(new VerificationCancelled(verification, account.id(), "v_rep001", 4,
                "telegram", "+13325550187", 70, Instant.now(), CancelReason.REPORTED));
        String rentalReported = KafkaEvents.send(new RentalCancelled(rental, account.id(), "r_rep001",
                "+14155550145", 600, Instant.now(), CancelReason.REPORTED));
        awaitProcessed(eventId);
        awaitProcessed(again);
        awaitProcessed(rentalReported);

        assertEquals(3000, TestAccounts.balance(account));
        assertEquals(1L, Db.count(pool, "SELECT count(*) FROM ledger_transaction WHERE type = 'refund' AND ref = $1",
                "v_rep001"));
        assertEquals("verification_reported", Db.rows(pool,
                "SELECT refund_reason FROM debit WHERE purchase_id = $1", verification).iterator().next().getString(0));
        assertEquals("rental_reported", Db.rows(pool, "SELECT refund_reason FROM debit WHERE purchase_id = $1",
                rental).iterator().next().getString(0));
        List<KafkaEvents.Received> refunds = Db.publishedOfKey(pool, Topics.WALLET_REFUNDED, account.id().toString())
                .stream().filter(r -> verification.toString().equals(r.data().path("purchase_id").asText())).toList();
        assertEquals(1, refunds.size());
        assertEquals("verification_reported", refunds.get(0).data().get("reason").asText());
        Db.assertLedgerConsistent(pool);
    }

    @Test
    void anOutcomeOfAPurchaseThatWasNeverDebitedChangesNothing() {
        UUID verification = UUID.randomUUID();
        String eventId = KafkaEvents.send(new VerificationCancelled(verification, UUID.randomUUID(), "v_none01", 4,
                "telegram", "+13325550185", 70, Instant.now()));
        awaitProcessed(eventId);
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM ledger_transaction WHERE ref IN ($1, $2)",
                "v_none01", verification.toString()));
        assertEquals(0L, Db.count(pool, "SELECT count(*) FROM debit WHERE purchase_id = $1", verification));
    }

    @Test
    void refundsOfTheSameAccountsArrivingOnEveryPartitionAtOnceApplyWithoutADeadlock() {
        TestAccounts.TestAccount first = TestAccounts.funded(100_000);
        TestAccounts.TestAccount second = TestAccounts.funded(100_000);
        List<KafkaEvents.Outgoing> events = new ArrayList<>();
        List<String> eventIds = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            // alternating accounts, keyed by purchase: every partition's batch refunds both accounts
            TestAccounts.TestAccount account = i % 2 == 0 ? first : second;
            UUID verification = UUID.randomUUID();
            TestAccounts.debit(verification, account.id(), 10 + i % 7).then().statusCode(201);
            String eventId = UUID.randomUUID().toString();
            eventIds.add(eventId);
            events.add(new KafkaEvents.Outgoing(new VerificationCancelled(verification, account.id(),
                    String.format("v_dl%04d", i), 4, "telegram", "+13325550186", 10 + i % 7, Instant.now()), eventId));
        }
        double retriesBefore = retries();

        KafkaEvents.sendAll(events);

        Db.await(() -> Db.count(pool, "SELECT count(*) FROM processed_event WHERE consumer = $1 AND event_id = ANY($2)",
                CONSUMER, eventIds.toArray(String[]::new)), eventIds.size());
        assertEquals(100_000, TestAccounts.balance(first));
        assertEquals(100_000, TestAccounts.balance(second));
        assertEquals(240L, Db.count(pool, "SELECT count(*) FROM debit WHERE account_id IN ($1, $2)"
                + " AND refund_reason = 'verification_cancelled'", first.id(), second.id()));
        // every batch took the balance rows in account order: none had to be rolled back and retried
        assertEquals(retriesBefore, retries());
        Db.assertLedgerConsistent(pool);
    }

    private double retries() {
        Counter counter = registry.find("fetchsms.consumer.retries").tag("consumer", CONSUMER).counter();
        return counter == null ? 0 : counter.count();
    }

    private void awaitProcessed(String eventId) {
        Db.await(() -> Db.count(pool, "SELECT count(*) FROM processed_event WHERE consumer = $1 AND event_id = $2",
                CONSUMER, eventId), 1);
    }
}
