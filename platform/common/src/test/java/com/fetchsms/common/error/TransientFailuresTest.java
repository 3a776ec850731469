package com.fetchsms.common.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;

import io.vertx.pgclient.PgException;

class TransientFailuresTest {

    @Test
    void anUnavailableDatabaseOrNetworkIsWaitedFor() {
        assertTrue(TransientFailures.isTransient(new PgException("terminating connection", "FATAL", "57P01", null)));
        assertTrue(TransientFailures.isTransient(new PgException("connection failure", "FATAL", "08006", null)));
        assertTrue(TransientFailures.isTransient(new PgException("deadlock detected", "ERROR", "40P01", null)));
        assertTrue(TransientFailures.isTransient(new RuntimeException(new ConnectException("Connection refused"))));
    }

    @Test
    void aFailureOfTheEventItselfIsNot() {
        assertFalse(TransientFailures.isTransient(new PgException("duplicate key", "ERROR", "23505", null)));
        assertFalse(TransientFailures.isTransient(new PgException("check violation", "ERROR", "23514", null)));
        assertFalse(TransientFailures.isTransient(new IllegalStateException("no such reservation")));
        assertFalse(TransientFailures.isTransient(
                new com.fetchsms.common.messaging.InvalidEventException("unreadable payload", null)));
    }

    @Test
    void aRequestThatMetAnUnavailableDatabaseIsA503ToRetryNotA500() {
        var response = new ApiExceptionMappers()
                .unexpected(new PgException("sorry, too many clients already", "FATAL", "53300", null));
        assertEquals(503, response.getStatus());
        assertEquals("1", response.getHeaderString("Retry-After"));
        assertEquals(new ErrorBody("Temporarily unavailable: try again shortly"), response.getEntity());
        assertEquals(500, new ApiExceptionMappers().unexpected(new IllegalStateException("a bug")).getStatus());
    }
}
