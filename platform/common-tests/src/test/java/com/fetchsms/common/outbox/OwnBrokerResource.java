package com.fetchsms.common.outbox;

import java.util.Map;

import com.fetchsms.testkit.OwnBrokerTestResource;

/**
 * The infrastructure of {@link OutboxRelayBrokerOutageTest}: the test kit's application with a Kafka broker of its
 * own ({@link OwnBrokerTestResource}, which the test stops and starts again on the same port and data directory), and
 * a producer that gives up on a record within seconds (so passes fail, and are retried, during the outage).
 */
public class OwnBrokerResource extends OwnBrokerTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        // a record not acknowledged within 3 s fails its send (a timeout: the broker is unavailable, not a refusal)
        config.put("mp.messaging.outgoing.fetchsms-outbox.request.timeout.ms", "1000");
        config.put("mp.messaging.outgoing.fetchsms-outbox.delivery.timeout.ms", "3000");
        config.put("mp.messaging.outgoing.fetchsms-outbox.max.block.ms", "3000");
        return config;
    }
}
