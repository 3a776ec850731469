-- The sandbox (decision 0024): test keys (fsk_test_…) act on the customer's sandbox twin, an account of its own whose
-- wallet holds test money. Its entries are booked against sandbox_funding (starting balance, top-ups) and
-- sandbox_revenue (debits, refunds), never against the live platform accounts.

-- A sandbox twin: sandbox_of names the live account (one twin per customer); it has no email and no password, so it
-- can never sign in. Exactly twins lack them.
ALTER TABLE account
    ADD COLUMN sandbox_of UUID UNIQUE REFERENCES account (id),
    ALTER COLUMN email DROP NOT NULL,
    ALTER COLUMN password_hash DROP NOT NULL,
    ADD CONSTRAINT account_twin_has_no_credentials CHECK (
        (sandbox_of IS NULL AND email IS NOT NULL AND password_hash IS NOT NULL)
        OR (sandbox_of IS NOT NULL AND email IS NULL AND password_hash IS NULL)),
    ADD CONSTRAINT account_twin_of_another CHECK (sandbox_of <> id);

-- A key's mode: live keys (fsk_live_…) belong to the customer's account, test keys (fsk_test_…) to its twin.
ALTER TABLE api_key
    ADD COLUMN mode TEXT NOT NULL DEFAULT 'live' CHECK (mode IN ('live', 'test')),
    ADD CONSTRAINT api_key_prefix_of_mode CHECK (starts_with(prefix, 'fsk_' || mode || '_'));

-- The sandbox's platform accounts (one each: ledger_account_platform is unique on non-wallet kinds).
ALTER TABLE ledger_account
    DROP CONSTRAINT ledger_account_kind_check,
    ADD CONSTRAINT ledger_account_kind_check CHECK (kind IN ('wallet', 'revenue', 'payment_clearing', 'adjustments',
                                                             'sandbox_funding', 'sandbox_revenue'));
INSERT INTO ledger_account (id, kind) VALUES
    ('00000000-0000-0000-0000-00000000000d', 'sandbox_funding'),
    ('00000000-0000-0000-0000-00000000000e', 'sandbox_revenue');

-- top_up: test money credited to a twin's wallet from sandbox_funding (its starting balance, and each top-up).
ALTER TABLE ledger_transaction
    DROP CONSTRAINT ledger_transaction_type_check,
    ADD CONSTRAINT ledger_transaction_type_check CHECK (type IN ('deposit', 'debit', 'refund', 'adjustment', 'top_up'));

-- Sandbox and live money never mix: at commit, a transaction's entries are either all live (live wallets, revenue,
-- payment_clearing, adjustments) or all sandbox (twins' wallets, sandbox_funding, sandbox_revenue), besides summing to
-- zero over at least two entries (migration V1).
CREATE OR REPLACE FUNCTION ledger_assert_balanced(tx UUID) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    total   BIGINT;
    entries INTEGER;
    worlds  INTEGER;
BEGIN
    SELECT COALESCE(sum(e.amount_cents), 0), count(*),
           count(DISTINCT CASE WHEN l.kind = 'wallet' THEN a.sandbox_of IS NOT NULL
                               ELSE l.kind IN ('sandbox_funding', 'sandbox_revenue') END)
    INTO total, entries, worlds
    FROM ledger_entry e
    JOIN ledger_account l ON l.id = e.ledger_account_id
    LEFT JOIN account a ON a.id = l.account_id
    WHERE e.transaction_id = tx;
    IF total <> 0 OR entries < 2 THEN
        RAISE EXCEPTION 'Ledger transaction % does not balance (% entries, sum %)', tx, entries, total
            USING ERRCODE = 'check_violation';
    END IF;
    IF worlds > 1 THEN
        RAISE EXCEPTION 'Ledger transaction % mixes sandbox and live accounts', tx
            USING ERRCODE = 'check_violation';
    END IF;
END
$$;
