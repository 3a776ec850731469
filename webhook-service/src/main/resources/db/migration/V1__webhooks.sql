-- webhook-service: customer endpoints and the durable delivery queue.

CREATE TABLE endpoint (
    id                UUID PRIMARY KEY,
    account_id        UUID        NOT NULL,
    url               TEXT        NOT NULL,
    events            TEXT[]      NOT NULL,
    -- AES-256-GCM: 12-byte nonce followed by ciphertext and tag; the endpoint id is the associated data
    secret_ciphertext BYTEA       NOT NULL,
    -- after a rotation the previous secret still signs (a second signature) until previous_secret_expires_at
    previous_secret_ciphertext BYTEA,
    previous_secret_expires_at TIMESTAMPTZ,
    status            TEXT        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    -- gone (the receiver answered 410), failing (a delivery exhausted its schedule with no success since)
    disabled_reason   TEXT,
    last_success_at   TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL
);

CREATE INDEX endpoint_by_account ON endpoint (account_id, created_at);

CREATE TABLE delivery (
    id               UUID PRIMARY KEY,
    endpoint_id      UUID        NOT NULL REFERENCES endpoint (id) ON DELETE CASCADE,
    event            TEXT        NOT NULL,
    -- the exact bytes that are signed and sent, identical on every attempt
    payload          TEXT        NOT NULL,
    status           TEXT        NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER     NOT NULL DEFAULT 0,
    last_status_code INTEGER,
    last_error       TEXT,
    next_attempt_at  TIMESTAMPTZ,
    -- a dispatcher holds a pending delivery while it sends it (several replicas; decision 0012)
    lease_until      TIMESTAMPTZ,
    lease_token      UUID,
    created_at       TIMESTAMPTZ NOT NULL,
    delivered_at     TIMESTAMPTZ,
    CHECK (status <> 'pending' OR next_attempt_at IS NOT NULL)
);

CREATE INDEX delivery_due ON delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX delivery_by_endpoint ON delivery (endpoint_id, created_at DESC);
