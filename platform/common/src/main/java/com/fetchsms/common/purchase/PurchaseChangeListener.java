package com.fetchsms.common.purchase;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.quarkus.arc.properties.IfBuildProperty;

/**
 * Answers this replica's long polls ({@link PurchaseWatch}) when any replica changed one of its purchases: every
 * replica reads the product's own events on the channel {@code purchase-changes} (a consumer group of its own, read
 * from the end, nothing committed; the topics are the service's setting), keyed by purchase id. Present only in a
 * service built with {@code fetchsms.purchase-watch.listen=true} (the two purchase services).
 *
 * <p>
 * The change's time, from which the long poll's push delay is measured, is the event's writing ({@code ce_time}: the
 * outbox row's {@code occurred_at}, in the committing transaction, as for the event hops), else the record's Kafka
 * timestamp (the relay's send, which leaves out the wait in the outbox).
 */
@ApplicationScoped
@IfBuildProperty(name = "fetchsms.purchase-watch.listen", stringValue = "true")
public class PurchaseChangeListener {

    private final PurchaseWatch watch;

    public PurchaseChangeListener(PurchaseWatch watch) {
        this.watch = watch;
    }

    @Incoming("purchase-changes")
    public void changed(ConsumerRecord<String, String> record) {
        watch.changed(record.key(), committedAt(record));
    }

    /** The event's {@code ce_time}, else the record's timestamp. */
    static Instant committedAt(ConsumerRecord<String, String> record) {
        Header time = record.headers().lastHeader("ce_time");
        if (time != null && time.value() != null) {
            try {
                return OffsetDateTime.parse(new String(time.value(), StandardCharsets.UTF_8)).toInstant();
            } catch (DateTimeParseException notATime) {
                // the record's own timestamp below
            }
        }
        return Instant.ofEpochMilli(record.timestamp());
    }
}
