-- Shared by every service (fetchsms-common): arrival watermarks (decision 0016).
--
-- written_at: when the transaction that wrote the row started (now() is the transaction's start). The relay of a
-- service that promises arrival watermarks never promises past the oldest written_at it has not published yet.
ALTER TABLE outbox_event
    ADD COLUMN written_at TIMESTAMPTZ NOT NULL DEFAULT now();

-- What a consumer of sms.inbound has applied: per partition, every SMS accepted (its ingest transaction started)
-- before accepted_before. A purchase's end is final only once every partition of the topic has passed it.
CREATE TABLE arrival_watermark (
    consumer        TEXT        NOT NULL,
    partition_no    INT         NOT NULL,
    partitions      INT         NOT NULL,
    accepted_before TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, partition_no)
);
