-- Another code (issue 15, decision 0021): a verification whose code arrived may ask, within its window, for the next
-- code of the same number and service; every code it received is kept, oldest first.

ALTER TABLE verification
    -- when the buyer asked for another code (the database's now()); the next SMS the carrier received after it and
    -- before expires_at is released, which clears it. Left set when the window closes first (the request lapsed).
    ADD COLUMN another_code_requested_at TIMESTAMPTZ,
    -- every released code: [{"code", "sender", "received_at"}], oldest first; code/sender/received_at are the newest
    ADD COLUMN codes JSONB NOT NULL DEFAULT '[]',
    ADD CONSTRAINT verification_another_code_after_a_code
        CHECK (another_code_requested_at IS NULL OR status = 'received');

UPDATE verification
SET codes = jsonb_build_array(jsonb_build_object('code', code, 'sender', sender, 'received_at', received_at))
WHERE code IS NOT NULL;

-- the release of a batch looks these up by number and service, as the waiting ones
CREATE INDEX verification_awaiting_another_code ON verification (number, service)
    WHERE another_code_requested_at IS NOT NULL;
