-- What the probe consumer (ProbeConsumer) applied: one row per application of an event, with the transaction that
-- applied it, so tests see how often and in which transaction each event was applied.
CREATE TABLE probe_applied (
    seq         BIGSERIAL PRIMARY KEY,
    event_id    TEXT   NOT NULL,
    account_id  UUID   NOT NULL,
    purchase_id UUID   NOT NULL,
    reason      TEXT   NOT NULL,
    txid        BIGINT NOT NULL
);
