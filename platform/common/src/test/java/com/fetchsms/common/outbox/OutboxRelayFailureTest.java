package com.fetchsms.common.outbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionException;

import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

class OutboxRelayFailureTest {

    @Test
    void aBrokerThatCannotTakeRecordsNowIsNotARefusalOfTheRow() {
        assertTrue(OutboxRelay.brokerUnavailable(new TimeoutException("Topic not present in metadata")));
        assertTrue(OutboxRelay.brokerUnavailable(new NotLeaderOrFollowerException("moving")));
        assertTrue(OutboxRelay.brokerUnavailable(new UnknownTopicOrPartitionException("not yet created")));
        assertTrue(OutboxRelay.brokerUnavailable(new CompletionException(new TimeoutException("expired"))));
        assertTrue(OutboxRelay.brokerUnavailable(new TopicAuthorizationException("no ACL for the topic")));
        assertTrue(OutboxRelay.brokerUnavailable(new SaslAuthenticationException("bad password")));
    }

    @Test
    void whatTheProducerRejectsForThisRecordIsARefusal() {
        assertFalse(OutboxRelay.brokerUnavailable(new RecordTooLargeException("too large")));
        assertFalse(OutboxRelay.brokerUnavailable(new InvalidTopicException("bad name")));
        assertFalse(OutboxRelay.brokerUnavailable(new IllegalArgumentException("bad source")));
        assertFalse(OutboxRelay.brokerUnavailable(new CompletionException(new RecordTooLargeException("x"))));
    }
}
