package com.fetchsms.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fetchsms.common.events.VerificationReceived;
import com.fetchsms.testkit.KafkaEvents;
import com.fetchsms.testkit.ServiceTestResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A delivery queued by an event is sent when its transaction commits, not at the dispatcher's next scheduled pass:
 * with the scheduled pass once an hour, the code still reaches the receiver.
 */
@QuarkusTest
@TestProfile(DispatchOnCommitTest.HourlyPasses.class)
@WithTestResource(ServiceTestResource.class)
class DispatchOnCommitTest {

    public static class HourlyPasses implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fetchsms.webhook.dispatch-interval", "1h");
        }
    }

    @Test
    void aQueuedDeliveryIsSentAsSoonAsItsEventIsConsumedWithoutWaitingForTheScheduledPass() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Fixtures customer = new Fixtures();
            customer.endpoint(receiver.url());
            for (int i = 0; i < 3; i++) {
                UUID verification = UUID.randomUUID();
                String code = "55510" + i;
                KafkaEvents.send(new VerificationReceived(verification, customer.account, "v_wake0" + i, 4,
                        "telegram", "Telegram", "+13325550184", "Telegram", code, Instant.now()));
                // each one is delivered before the next is sent: one wake-up per commit, none left for the hourly pass
                Receiver.Request request = receiver.await(i + 1, Duration.ofSeconds(20)).get(i);
                assertEquals(code, new com.fasterxml.jackson.databind.ObjectMapper().readTree(request.rawBody())
                        .path("data").path("code").asText());
            }
        }
    }
}
