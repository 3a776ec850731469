-- rental-service: long-term rentals (an exclusive number for 1 to 365 days, unlimited codes) and their messages.

CREATE TABLE rental (
    id                UUID PRIMARY KEY,
    ref               TEXT        NOT NULL UNIQUE,
    account_id        UUID        NOT NULL,
    -- what the buyer asked for (id or slug, as sent), the term and the area code (+10 cents)
    service_ref       TEXT        NOT NULL,
    days              INTEGER     NOT NULL CHECK (days IN (1, 7, 30, 90, 365)),
    area_code         CHAR(3),
    -- filled by the reservation
    service_id        INTEGER,
    service           TEXT,
    service_name      TEXT,
    number            TEXT,
    cost_cents        INTEGER,
    -- pending: the purchase saga is running; failed: it ended in an error (kept for Idempotency-Key replays);
    -- waiting: held, no code yet; active: at least one code arrived; expired: the term ended; cancelled: before a code
    status            TEXT        NOT NULL CHECK (status IN ('pending', 'waiting', 'active', 'expired', 'cancelled',
                                                             'failed')),
    failure_status    INTEGER,
    failure_detail    TEXT,
    -- the newest code (by the carrier's received_at) and the service slugs detected during the term
    last_code         TEXT,
    last_code_at      TIMESTAMPTZ,
    services_used     TEXT[]      NOT NULL DEFAULT '{}',
    idempotency_key   TEXT,
    request_hash      TEXT        NOT NULL,
    -- the term: created_at + days × fetchsms.rental.day-length
    created_at        TIMESTAMPTZ NOT NULL,
    expires_at        TIMESTAMPTZ,
    ended_at          TIMESTAMPTZ,
    -- lease of the recovery job on a stale pending purchase (several replicas)
    recovery_lease    TIMESTAMPTZ,
    recovery_attempts INTEGER     NOT NULL DEFAULT 0,
    UNIQUE (account_id, idempotency_key),
    CHECK (status NOT IN ('waiting', 'active', 'expired', 'cancelled')
           OR (number IS NOT NULL AND cost_cents IS NOT NULL AND expires_at IS NOT NULL)),
    CHECK (status <> 'active' OR last_code IS NOT NULL)
);

-- Not unique on purpose: catalog-service holds a rented number exclusively, and a rental ends here (in the same
-- transaction as its event) before catalog can rent the number again; a duplicate must never block a paid purchase.
CREATE INDEX rental_current_by_number ON rental (number) WHERE status IN ('waiting', 'active');
CREATE INDEX rental_current_by_expiry ON rental (expires_at) WHERE status IN ('waiting', 'active');
CREATE INDEX rental_pending ON rental (created_at) WHERE status = 'pending';
CREATE INDEX rental_by_account ON rental (account_id, created_at DESC, id DESC);

-- Every SMS received on a rental's number during its term. The id is sms-ingest's message id, so a message
-- published twice (under two event ids) is stored once.
CREATE TABLE rental_message (
    id               UUID PRIMARY KEY,
    seq              BIGSERIAL   NOT NULL,
    rental_id        UUID        NOT NULL REFERENCES rental (id),
    sender           TEXT,
    body             TEXT        NOT NULL,
    code             TEXT,
    detected_service TEXT,
    received_at      TIMESTAMPTZ NOT NULL,
    stored_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX rental_message_by_rental ON rental_message (rental_id, received_at DESC, seq DESC);
