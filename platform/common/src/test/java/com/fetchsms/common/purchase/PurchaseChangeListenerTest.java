package com.fetchsms.common.purchase;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * The time a long poll's push delay is measured from, for a change another replica committed: the event's writing
 * ({@code ce_time}), else the record's timestamp.
 */
class PurchaseChangeListenerTest {

    private static final Instant SENT = Instant.parse("2026-12-07T10:00:00.250Z");

    private static ConsumerRecord<String, String> record(String ceTime) {
        RecordHeaders headers = new RecordHeaders();
        if (ceTime != null) {
            headers.add("ce_time", ceTime.getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>("verification.cancelled", 0, 0, SENT.toEpochMilli(), TimestampType.CREATE_TIME,
                -1, -1, "key", "{}", headers, Optional.empty());
    }

    @Test
    void aChangeIsTimedByTheEventsWritingInTheCommittingTransaction() {
        assertEquals(Instant.parse("2026-12-07T10:00:00.123456Z"),
                PurchaseChangeListener.committedAt(record("2026-12-07T10:00:00.123456Z")));
        assertEquals(Instant.parse("2026-12-07T10:00:00.123Z"),
                PurchaseChangeListener.committedAt(record("2026-12-07T11:00:00.123+01:00")));
    }

    @Test
    void withoutAReadableEventTimeTheRecordsTimestampIsUsed() {
        assertEquals(SENT, PurchaseChangeListener.committedAt(record(null)));
        assertEquals(SENT, PurchaseChangeListener.committedAt(record("yesterday")));
    }
}
