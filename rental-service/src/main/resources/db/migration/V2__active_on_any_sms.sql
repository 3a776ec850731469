-- A rental becomes 'active' on its first SMS, with a code or not (decision 0011: a body is a delivered message, so
-- the rental can no longer be cancelled for a refund). V1 tied 'active' to a stored code; drop that check, found by
-- its definition (it was declared without a name).
DO $$
DECLARE
    found TEXT;
BEGIN
    SELECT conname INTO found FROM pg_constraint
    WHERE conrelid = 'rental'::regclass AND contype = 'c'
      AND pg_get_constraintdef(oid) LIKE '%last_code IS NOT NULL%';
    IF found IS NOT NULL THEN
        EXECUTE format('ALTER TABLE rental DROP CONSTRAINT %I', found);
    END IF;
END
$$;
