-- verification-service: short-term verifications, one code within a window (15 minutes).

CREATE TABLE verification (
    id               UUID PRIMARY KEY,
    ref              TEXT        NOT NULL UNIQUE,
    account_id       UUID        NOT NULL,
    -- what the buyer asked for (id or slug, as sent) and the area code (+10 cents)
    service_ref      TEXT        NOT NULL,
    area_code        CHAR(3),
    -- filled by the reservation
    service_id       INTEGER,
    service          TEXT,
    service_name     TEXT,
    number           TEXT,
    cost_cents       INTEGER,
    -- pending: the purchase saga is running; failed: it ended in an error (kept for Idempotency-Key replays)
    status           TEXT        NOT NULL CHECK (status IN ('pending', 'waiting', 'received', 'expired', 'cancelled',
                                                            'failed')),
    failure_status   INTEGER,
    failure_detail   TEXT,
    code             TEXT,
    sender           TEXT,
    received_at      TIMESTAMPTZ,
    idempotency_key  TEXT,
    request_hash     TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    expires_at       TIMESTAMPTZ,
    ended_at         TIMESTAMPTZ,
    -- lease of the recovery job on a stale pending purchase (several replicas)
    recovery_lease   TIMESTAMPTZ,
    recovery_attempts INTEGER    NOT NULL DEFAULT 0,
    UNIQUE (account_id, idempotency_key),
    CHECK (status NOT IN ('waiting', 'received', 'expired', 'cancelled')
           OR (number IS NOT NULL AND cost_cents IS NOT NULL AND expires_at IS NOT NULL))
);

CREATE INDEX verification_waiting_by_number ON verification (number, service) WHERE status = 'waiting';
CREATE INDEX verification_waiting_by_expiry ON verification (expires_at) WHERE status = 'waiting';
CREATE INDEX verification_pending ON verification (created_at) WHERE status = 'pending';
CREATE INDEX verification_by_account ON verification (account_id, created_at DESC, id DESC);
