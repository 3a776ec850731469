-- GET /v1/admin/gateways/{id}/messages: a gateway's reports newest first, keyset-paginated by (ingested_at, id). The
-- V1 indexes are by gateway and outcome, and by time alone: either would read every report of the gateway, or of
-- the period, to find one page. raw_message is the largest table (every report, kept for the retention period), so
-- the index is built without blocking ingestion, outside a transaction (V3__raw_message_by_gateway_and_time.sql.conf;
-- docs/operations.md, "Upgrading, with migrations").
CREATE INDEX CONCURRENTLY raw_message_gateway_ingested_idx ON raw_message (gateway_id, ingested_at, id);
