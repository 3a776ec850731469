package com.fetchsms.common.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.ApiKeyChanged;
import com.fetchsms.common.events.InventoryNumberChanged;
import com.fetchsms.common.events.KeyMode;
import com.fetchsms.common.events.Topics;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code fetchsms.outbox.topics}: this application declares {@code inventory.numbers} only (as catalog-service does),
 * so an event for any other topic is refused when it is written and its transaction writes nothing, while its own
 * topic's events go out. On Kubernetes the service's Kafka user could not write that topic either (decision 0031).
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class OutboxTopicsTest {

    @Inject
    Pool pool;
    @Inject
    Outbox outbox;

    @Test
    void anEventForATopicTheServiceDoesNotDeclareIsRefusedAndItsTransactionWritesNothing() {
        assertEquals(Set.of(Topics.INVENTORY_NUMBERS), outbox.topics());
        String number = "+1646555" + String.format("%04d", (int) (Math.random() * 10_000));
        ApiKeyChanged foreign = new ApiKeyChanged("hash-" + UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                "fsk_abc", ApiKeyChanged.ACTIVE, Instant.now(), KeyMode.LIVE);
        InventoryNumberChanged own = new InventoryNumberChanged(number, "646", UUID.randomUUID(), "available",
                Instant.now());

        Throwable refused = assertThrows(Throwable.class, () -> pool.withTransaction(
                tx -> outbox.publishAll(tx, List.of(own, foreign))).await().indefinitely());
        assertInstanceOf(IllegalStateException.class, refused);
        assertTrue(refused.getMessage().contains("does not publish to api-key.changed"), refused.getMessage());
        assertEquals(0L, pool.preparedQuery("SELECT count(*) FROM outbox_event WHERE message_key = $1")
                .execute(Tuple.of(number)).await().indefinitely().iterator().next().getLong(0),
                "nothing of the refused transaction was written");
    }
}
