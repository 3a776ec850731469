-- Shared by every service (fetchsms-common): the W3C trace context of the request or event that wrote an outbox row,
-- so the relay can continue that trace on the Kafka record (traceparent header) after the commit.
-- Null when the row was written outside any trace (e.g. by a scheduled job).

ALTER TABLE outbox_event
    ADD COLUMN traceparent TEXT,
    ADD COLUMN tracestate  TEXT;
