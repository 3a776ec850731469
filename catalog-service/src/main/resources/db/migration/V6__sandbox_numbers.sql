-- Sandbox numbers (issue 15: test keys act on a sandbox world). catalog-service stocks them itself at start
-- (fetchsms.catalog.sandbox.area-codes × lines 555-0100…0199) in state 'sandbox', under the sandbox's gateway id.
-- They are none of the live inventory: every live pool, pick index, stock count and trigger reads state 'available'
-- (short_pool never holds a sandbox number), so only a sandbox reservation is ever given one, and the end of one
-- changes nothing of the live state (no use recorded, no health counted, never rented, never retired).

-- NOT VALID, then VALIDATE: the check of the existing rows does not block writes to the inventory meanwhile.
ALTER TABLE phone_number DROP CONSTRAINT phone_number_state_check;
ALTER TABLE phone_number ADD CONSTRAINT phone_number_state_check
    CHECK (state IN ('available', 'rented', 'retired', 'sandbox')) NOT VALID;
ALTER TABLE phone_number VALIDATE CONSTRAINT phone_number_state_check;

-- The sandbox allocation reads only these rows (a few hundred), whatever the size of the live inventory.
CREATE INDEX phone_number_sandbox ON phone_number (area_code, number) WHERE state = 'sandbox';

-- A sandbox reservation (a test key's purchase) holds a sandbox number; the purchase id stays the idempotency key, so
-- a replay of a sandbox request must find a sandbox reservation and the reverse.
ALTER TABLE reservation ADD COLUMN sandbox BOOLEAN NOT NULL DEFAULT FALSE;
