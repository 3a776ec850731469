package com.fetchsms.common.error;

import io.vertx.pgclient.PgException;

/**
 * PostgreSQL's data exceptions (SQLSTATE class 22: NUL or broken text 22021, bad text representation 22P02, string too
 * long 22001, numeric or datetime out of range 22003/22008, …): the request carried a value the database cannot take.
 * A client mistake the input checks missed, answered 400 by {@link ApiExceptionMappers}, never retried.
 */
public final class DataExceptions {

    private DataExceptions() {
    }

    public static boolean isDataException(Throwable failure) {
        return find(failure) != null;
    }

    /** The database's message and SQLSTATE, for the log (never for the client). */
    public static String describe(Throwable failure) {
        PgException pg = find(failure);
        return pg == null ? String.valueOf(failure) : pg.getErrorMessage() + " (" + pg.getSqlState() + ")";
    }

    private static PgException find(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg) {
                return String.valueOf(pg.getSqlState()).startsWith("22") ? pg : null;
            }
            for (Throwable suppressed : cause.getSuppressed()) {
                if (suppressed instanceof PgException pg && String.valueOf(pg.getSqlState()).startsWith("22")) {
                    return pg;
                }
            }
        }
        return null;
    }
}
