-- Shared by every service (fetchsms-common): an outbox row the producer keeps refusing is parked instead of being
-- retried for ever (OutboxRelay, decision 0015). attempts counts the refusals (failures that are not the broker being
-- unavailable), last_error keeps the last one, parked_at is set once attempts reached fetchsms.outbox.max-attempts:
-- the relay then skips the row. An operator re-queues it with attempts = 0, parked_at = NULL (docs/operations.md).

ALTER TABLE outbox_event
    ADD COLUMN attempts   INT NOT NULL DEFAULT 0,
    ADD COLUMN last_error TEXT,
    ADD COLUMN parked_at  TIMESTAMPTZ;

-- Rows refused at least once and not parked: later rows of the same topic and key wait behind them (usually empty).
CREATE INDEX outbox_event_refused ON outbox_event (topic, message_key, seq) WHERE attempts > 0 AND parked_at IS NULL;
-- Parked rows, for the gauge and the operator.
CREATE INDEX outbox_event_parked ON outbox_event (seq) WHERE parked_at IS NOT NULL;
