package com.fetchsms.common.purchase;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.quarkus.arc.properties.IfBuildProperty;

/**
 * Answers this replica's long polls ({@link PurchaseWatch}) when any replica changed one of its purchases: every
 * replica reads the product's own events on the channel {@code purchase-changes} (a consumer group of its own, read
 * from the end, nothing committed; the topics are the service's setting), keyed by purchase id. Present only in a
 * service built with {@code fetchsms.purchase-watch.listen=true} (the two purchase services).
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
        watch.changed(record.key());
    }
}
