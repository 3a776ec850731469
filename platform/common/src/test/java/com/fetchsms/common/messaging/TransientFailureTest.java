package com.fetchsms.common.messaging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;

import io.vertx.pgclient.PgException;

class TransientFailureTest {

    @Test
    void anUnavailableDatabaseOrNetworkIsWaitedFor() {
        assertTrue(IdempotentConsumer.isTransient(new PgException("terminating connection", "FATAL", "57P01", null)));
        assertTrue(IdempotentConsumer.isTransient(new PgException("connection failure", "FATAL", "08006", null)));
        assertTrue(IdempotentConsumer.isTransient(new PgException("deadlock detected", "ERROR", "40P01", null)));
        assertTrue(IdempotentConsumer.isTransient(new RuntimeException(new ConnectException("Connection refused"))));
    }

    @Test
    void aFailureOfTheEventItselfIsNot() {
        assertFalse(IdempotentConsumer.isTransient(new PgException("duplicate key", "ERROR", "23505", null)));
        assertFalse(IdempotentConsumer.isTransient(new PgException("check violation", "ERROR", "23514", null)));
        assertFalse(IdempotentConsumer.isTransient(new IllegalStateException("no such reservation")));
        assertFalse(IdempotentConsumer.isTransient(new InvalidEventException("unreadable payload", null)));
    }
}
