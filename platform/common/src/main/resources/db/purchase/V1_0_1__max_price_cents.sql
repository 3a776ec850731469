-- Shared by the two purchase tables (decision 0017): applied by verification-service to its `verification` table and
-- by rental-service to its `rental` table (`${purchase_table}`, set by quarkus.flyway.placeholders.purchase_table).
-- Versions 1.0.N: after V1, which creates the table, and never the number of a service's own migration (V2, V3, …).

-- The price cap of a purchase (issue 15): the saga never charges more than it, also when recovery finishes it.
ALTER TABLE ${purchase_table}
    ADD COLUMN max_price_cents INTEGER
        CONSTRAINT ${purchase_table}_max_price_cents_positive CHECK (max_price_cents > 0),
    -- the price a refusal for the cap was about, kept with failure_status and failure_detail for its replay
    ADD COLUMN failure_price_cents INTEGER,
    ADD CONSTRAINT ${purchase_table}_cost_within_cap
        CHECK (max_price_cents IS NULL OR cost_cents IS NULL OR cost_cents <= max_price_cents);
