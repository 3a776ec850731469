-- Shared by every service (fetchsms-common): the per-credential rate limit's buckets, one row per credential, shared by
-- every replica of the service (RateLimiter, decision 0030).
--
-- A bucket is the generic cell rate algorithm's single number: tat, the theoretical arrival time, in microseconds on
-- the database's clock (one clock for every replica). A bucket whose tat is in the past is full, exactly like no row,
-- so rows are deleted once they are (RateLimiter.evictFull). seen and allowed are the last request's clock and outcome,
-- which the statement returns (RETURNING sees only the new row).
--
-- UNLOGGED: no WAL for a write that every limited request makes. After a crash or a failover the table is empty, so
-- every bucket starts full again: the limit is abuse control, and forgetting a second of it is harmless.
-- fillfactor 50: the updates touch no indexed column, so they stay on their page (HOT) and need no index entry.
CREATE UNLOGGED TABLE rate_limit_bucket (
    credential TEXT    PRIMARY KEY,
    tat        BIGINT  NOT NULL,
    seen       BIGINT  NOT NULL,
    allowed    BOOLEAN NOT NULL
) WITH (fillfactor = 50);
