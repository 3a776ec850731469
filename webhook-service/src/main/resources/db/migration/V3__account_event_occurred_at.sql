-- When the platform event behind each logged event was written at its source (its ce_time: the commit of the change
-- it reports), so that every line an open stream sends is measured from there (fetchsms_push_delay_seconds).
ALTER TABLE account_event ADD COLUMN occurred_at TIMESTAMPTZ NOT NULL DEFAULT now();
