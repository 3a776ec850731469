-- sms-ingest-service: modem gateways, the numbers each may report for, raw inbound SMS (audit), multipart parts
-- waiting for their siblings, and the de-duplicated messages published as sms.inbound.

-- A carrier modem gateway. Its token is shown once and stored only as a SHA-256 hash; credential_version changes
-- when the token is rotated (it also derives the android-sms-gateway signing key, see GatewayCredentials).
CREATE TABLE gateway (
    id                 uuid        PRIMARY KEY,
    name               text        NOT NULL,
    token_hash         text        NOT NULL UNIQUE,
    token_prefix       text        NOT NULL,
    credential_version integer     NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL,
    last_seen_at       timestamptz
);
CREATE UNIQUE INDEX gateway_name_key ON gateway (lower(name));

-- Which gateway serves which number, kept from the compacted inventory.numbers topic (newest state per number).
CREATE TABLE gateway_number (
    number     text        PRIMARY KEY,
    gateway_id uuid,
    state      text        NOT NULL,
    changed_at timestamptz NOT NULL
);
CREATE INDEX gateway_number_gateway_idx ON gateway_number (gateway_id);

-- A de-duplicated, reassembled SMS: exactly one sms.inbound event each.
CREATE TABLE inbound_message (
    id               uuid        PRIMARY KEY,
    gateway_id       uuid        NOT NULL REFERENCES gateway (id),
    number           text        NOT NULL,
    sender           text        NOT NULL,
    body             text        NOT NULL,
    content_hash     text        NOT NULL,
    detected_service text,
    code             text,
    parts            integer     NOT NULL DEFAULT 1,
    received_at      timestamptz NOT NULL,
    created_at       timestamptz NOT NULL
);
-- content de-duplication: the same text from the same sender to the same number within the window
CREATE INDEX inbound_message_content_idx ON inbound_message (number, content_hash, received_at);
CREATE INDEX inbound_message_gateway_idx ON inbound_message (gateway_id, created_at);

-- Gateway message ids already seen, for adapters whose ids are unique (native with gateway_message_id, Jasmin).
-- ref is the inbound message (or the multipart part) the id produced.
CREATE TABLE seen_gateway_message (
    gateway_id         uuid        NOT NULL REFERENCES gateway (id),
    gateway_message_id text        NOT NULL,
    ref                uuid        NOT NULL,
    seen_at            timestamptz NOT NULL,
    PRIMARY KEY (gateway_id, gateway_message_id)
);
CREATE INDEX seen_gateway_message_seen_idx ON seen_gateway_message (seen_at);

-- One part of a concatenated SMS waiting for the others (deleted when the message is reassembled).
CREATE TABLE message_part (
    id          uuid        PRIMARY KEY,
    gateway_id  uuid        NOT NULL REFERENCES gateway (id),
    number      text        NOT NULL,
    sender      text        NOT NULL,
    reference   integer     NOT NULL,
    total       integer     NOT NULL,
    part        integer     NOT NULL,
    text        text,
    payload     bytea,
    coding      text        NOT NULL,
    received_at timestamptz NOT NULL,
    created_at  timestamptz NOT NULL,
    UNIQUE (gateway_id, number, sender, reference, total, part)
);
CREATE INDEX message_part_created_idx ON message_part (created_at);

-- Every item a gateway reported, as received, with what became of it (audit; purged after the retention period).
-- outcome: accepted (published), duplicate, partial (a part waiting for its siblings), incomplete (a part whose
-- siblings never came), rejected (a number the gateway does not serve: never published).
CREATE TABLE raw_message (
    id                 uuid        PRIMARY KEY,
    gateway_id         uuid        NOT NULL REFERENCES gateway (id),
    adapter            text        NOT NULL,
    gateway_message_id text,
    to_number          text        NOT NULL,
    sender             text        NOT NULL,
    text               text,
    payload            bytea,
    coding             text,
    udh                text,
    received_at        timestamptz NOT NULL,
    ingested_at        timestamptz NOT NULL,
    outcome            text        NOT NULL
        CHECK (outcome IN ('accepted', 'duplicate', 'partial', 'incomplete', 'rejected')),
    message_id         uuid
);
CREATE INDEX raw_message_gateway_idx ON raw_message (gateway_id, outcome);
CREATE INDEX raw_message_ingested_idx ON raw_message (ingested_at);
