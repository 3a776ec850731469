package com.fetchsms.common.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A promise on one partition of {@code sms.inbound}: every SMS whose ingest transaction started before
 * {@code accepted_before_ms} (epoch milliseconds; {@code accepted_before} shows it to people, in whole seconds) and
 * committed is on this partition ahead of this record. sms-ingest's outbox relay sends one to every partition
 * ({@code partition} of {@code partitions}) about once a second, after every row it read in that pass was acknowledged,
 * and never past the start of a transaction still running in its database (decision 0016). Consumers of SMS keep the
 * latest per partition; a purchase's end (a window or a term) is final only once every partition's watermark has
 * passed it, so an SMS accepted in time is applied before, however late the pipeline runs. Sent to an explicit
 * partition; the key only names it.
 */
public record SmsArrivalWatermark(
        long acceptedBeforeMs,
        Instant acceptedBefore,
        int partition,
        int partitions) implements EventPayload {

    public static SmsArrivalWatermark of(Instant acceptedBefore, int partition, int partitions) {
        return new SmsArrivalWatermark(acceptedBefore.toEpochMilli(), acceptedBefore, partition, partitions);
    }

    @JsonIgnore
    public Instant acceptedBeforeInstant() {
        return Instant.ofEpochMilli(acceptedBeforeMs);
    }

    @Override
    public String key() {
        return "watermark:" + partition;
    }
}
