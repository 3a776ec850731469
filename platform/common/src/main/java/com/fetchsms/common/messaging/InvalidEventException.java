package com.fetchsms.common.messaging;

/** An event that can never be applied (no CloudEvents id, unknown type, unreadable payload): not retried. */
public class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
