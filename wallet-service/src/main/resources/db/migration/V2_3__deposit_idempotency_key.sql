-- Deposits take an Idempotency-Key (issue 13): the same key of the same account replays the deposit it made; the
-- request's hash tells a replay from a different request under a reused key. Old rows have neither.
ALTER TABLE deposit
    ADD COLUMN idempotency_key TEXT CHECK (char_length(idempotency_key) BETWEEN 1 AND 255),
    ADD COLUMN request_hash    TEXT,
    ADD CONSTRAINT deposit_idempotency_key UNIQUE (account_id, idempotency_key),
    ADD CONSTRAINT deposit_keyed_has_hash CHECK (idempotency_key IS NULL OR request_hash IS NOT NULL);
