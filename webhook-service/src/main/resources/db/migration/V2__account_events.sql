-- webhook-service: the account event log behind GET /v1/events (decision 0020).

-- One counter per account: an event's id on the stream. Taken with UPDATE … RETURNING in the transaction that writes
-- the event, so the row lock orders the account's writers and seq order is commit order (a reader that sees seq n
-- has already been able to see every smaller one). Never reset, never pruned: an id is never reused.
CREATE TABLE account_event_seq (
    account_id UUID   PRIMARY KEY,
    seq        BIGINT NOT NULL
);

-- The events of each account kept for resuming (fetchsms.events.retention), in the customer-facing form.
CREATE TABLE account_event (
    account_id      UUID        NOT NULL,
    seq             BIGINT      NOT NULL,
    -- sms.received, verification.cancelled, verification.expired, rental.cancelled, rental.expired
    type            TEXT        NOT NULL,
    -- the data line of the stream's message (snake_case, numbers as customers see them)
    payload         JSONB       NOT NULL,
    -- the platform event's ce_id: written once whichever replica (its consumer group or its stream listener) is first
    source_event_id TEXT        NOT NULL UNIQUE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, seq)
);

CREATE INDEX account_event_by_age ON account_event (created_at);

-- Open streams, for the per-account cap over every replica. A replica renews its streams' leases at each heartbeat;
-- a stream whose replica vanished stops counting when its lease runs out.
CREATE TABLE event_stream (
    id          UUID        PRIMARY KEY,
    account_id  UUID        NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX event_stream_by_account ON event_stream (account_id);
