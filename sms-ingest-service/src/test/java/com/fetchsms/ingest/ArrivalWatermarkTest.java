package com.fetchsms.ingest;

import static com.fetchsms.ingest.Fixtures.sms;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.EventType;
import com.fetchsms.common.events.Topics;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.PlatformStubs;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The relay's arrival watermarks on sms.inbound (decision 0016): every partition hears, about once a second, a time
 * before which every SMS whose ingest transaction started is ahead of it on its partition; a transaction still running
 * holds it back, however long it runs.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
@WithTestResource(PlatformStubs.class)
class ArrivalWatermarkTest {

    private static final String TYPE = EventType.SMS_ARRIVAL_WATERMARK.type();

    @Test
    void everyPartitionOfTheSmsTopicHearsHowFarItIsComplete() {
        Instant start = Instant.now();
        int partitions = KafkaEvents.partitions(Topics.SMS_INBOUND);
        await().atMost(Duration.ofSeconds(20)).until(() -> watermarksSentAfter(start).stream()
                .map(KafkaEvents.Received::partition).collect(Collectors.toSet()).size() == partitions);
        for (KafkaEvents.Received mark : watermarksSentAfter(start)) {
            Instant before = acceptedBefore(mark);
            assertEquals(partitions, mark.data().get("partitions").asInt());
            assertEquals(mark.partition(), mark.data().get("partition").asInt(), "sent to the partition it names");
            assertTrue(before.isAfter(start.minusSeconds(5)) && before.isBefore(Instant.now()), before.toString());
        }
    }

    @Test
    void aWatermarkNeverPassesAnIngestTransactionStillRunningAndFollowsItsSmsOnThePartition() throws Exception {
        Fixtures.Gw gateway = Fixtures.gateway();
        String held = Fixtures.numberOf(gateway);
        Instant transactionStart;
        Instant released;
        CompletableFuture<Response> answer;
        try (Connection blocker = ServiceTestResource.database().connect()) {
            // the ingestion lock of the number, held: the SMS's transaction starts and waits inside the database
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(hashtextextended('" + held + "', 7041))");
            }
            answer = CompletableFuture.supplyAsync(() -> gateway.send(sms(held, "Telegram", "Telegram code: 135790")));
            transactionStart = await().atMost(Duration.ofSeconds(20)).until(this::waitingTransactionStart,
                    start -> start != null);

            // a later marker: watermarks sent two seconds into the wait, on every partition
            Instant marker = Instant.now().plusSeconds(2);
            int partitions = KafkaEvents.partitions(Topics.SMS_INBOUND);
            await().atMost(Duration.ofSeconds(20)).until(() -> watermarksSentAfter(marker).stream()
                    .map(KafkaEvents.Received::partition).collect(Collectors.toSet()).size() == partitions);
            released = Instant.now();
            List<KafkaEvents.Received> whileRunning = watermarksSentAfter(transactionStart.minusSeconds(5)).stream()
                    .filter(mark -> sentAt(mark).isBefore(released)).toList();
            assertFalse(whileRunning.isEmpty());
            for (KafkaEvents.Received mark : whileRunning) {
                assertFalse(acceptedBefore(mark).isAfter(transactionStart),
                        "a watermark sent at " + sentAt(mark) + " promised " + acceptedBefore(mark)
                                + " past a transaction running since " + transactionStart);
            }
            blocker.commit();
        }

        Response response = answer.get();
        assertEquals(202, response.statusCode(), response.asString());
        String messageId = response.jsonPath().getString("id");
        KafkaEvents.Received sms = KafkaEvents.await(Topics.SMS_INBOUND,
                r -> r.data() != null && messageId.equals(r.data().path("message_id").asText()),
                Duration.ofSeconds(20));
        // the first watermark of its partition that passes the transaction's start comes after the SMS
        KafkaEvents.Received passing = KafkaEvents.await(Topics.SMS_INBOUND, r -> TYPE.equals(r.type())
                && r.partition() == sms.partition() && acceptedBefore(r).isAfter(transactionStart),
                Duration.ofSeconds(20));
        assertTrue(passing.offset() > sms.offset(),
                "watermark at offset " + passing.offset() + " passed the SMS at offset " + sms.offset());
    }

    /** When the transaction waiting for the held lock began (null while none waits yet). */
    private Instant waitingTransactionStart() throws Exception {
        try (Connection connection = ServiceTestResource.database().connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("""
                        SELECT xact_start FROM pg_stat_activity
                        WHERE datname = current_database() AND wait_event_type = 'Lock'
                          AND pid <> pg_backend_pid()""")) {
            return rows.next() ? rows.getTimestamp(1).toInstant() : null;
        }
    }

    private static List<KafkaEvents.Received> watermarksSentAfter(Instant instant) {
        return KafkaEvents.upToNow(Topics.SMS_INBOUND, r -> TYPE.equals(r.type()) && !sentAt(r).isBefore(instant));
    }

    private static Instant sentAt(KafkaEvents.Received record) {
        return java.time.ZonedDateTime.parse(record.headers().get("ce_time")).toInstant();
    }

    private static Instant acceptedBefore(KafkaEvents.Received record) {
        return Instant.ofEpochMilli(record.data().get("accepted_before_ms").asLong());
    }
}
