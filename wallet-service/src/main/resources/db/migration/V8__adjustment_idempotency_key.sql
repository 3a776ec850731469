-- Administrators' credits take an Idempotency-Key (issue 16), as deposits do: the same key of the same administrator
-- replays the adjustment it booked, and the request's hash (account, amount, reason) tells a replay from a different
-- request under a reused key. The row is written in the adjustment's own transaction, before the wallet moves: a
-- second request with the key waits for the first to end, then finds its row (or, when the first was refused and
-- rolled back, books its own). Ledger rows stay immutable; the key lives beside them.
CREATE TABLE adjustment_request (
    admin_id        UUID        NOT NULL,
    idempotency_key TEXT        NOT NULL CHECK (char_length(idempotency_key) BETWEEN 1 AND 255),
    request_hash    TEXT        NOT NULL,
    account_id      UUID        NOT NULL REFERENCES account (id) DEFERRABLE INITIALLY DEFERRED,
    transaction_id  UUID        NOT NULL REFERENCES ledger_transaction (id) DEFERRABLE INITIALLY DEFERRED,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (admin_id, idempotency_key)
);
