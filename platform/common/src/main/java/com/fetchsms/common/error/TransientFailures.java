package com.fetchsms.common.error;

import io.vertx.pgclient.PgException;

/**
 * Failures that say nothing about the request or event at hand: the database or the network is unavailable for now
 * (connection refused or lost, too many connections, shutdown or failover, serialization conflicts, timeouts).
 * Consumers retry them forever; HTTP answers them with 503 and {@code Retry-After}.
 */
public final class TransientFailures {

    private TransientFailures() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg) {
                String state = String.valueOf(pg.getSqlState());
                // 08 connection, 53 resources, 57 operator intervention (shutdown, failover), 40001/40P01 retry
                return state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                        || state.equals("40001") || state.equals("40P01");
            }
            if (cause instanceof java.io.IOException || cause instanceof java.util.concurrent.TimeoutException
                    || cause instanceof io.vertx.sqlclient.ClosedConnectionException
                    || cause instanceof io.vertx.core.VertxException
                    || cause instanceof io.vertx.core.impl.NoStackTraceThrowable) {
                return true;
            }
        }
        return false;
    }
}
