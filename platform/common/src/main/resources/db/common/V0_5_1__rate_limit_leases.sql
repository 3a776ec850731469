-- Shared by every service (fetchsms-common): how many requests the last statement on a bucket granted. A replica may take
-- a short lease of a few requests at once for a busy credential (RateLimiter, decision 0034); RETURNING sees only the
-- new row, so the count is kept beside allowed. A statement of an older replica (one request at a time) leaves the
-- default, 1, which is what it took.
ALTER TABLE rate_limit_bucket ADD COLUMN granted INTEGER NOT NULL DEFAULT 1;
