-- wallet-service: accounts and API keys; wallets, the double-entry ledger, deposits and debits (decision 0008).

CREATE TABLE account (
    id            UUID PRIMARY KEY,
    email         TEXT        NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
    -- bcrypt, modular crypt format ($2a$<cost>$<salt><hash>)
    password_hash TEXT        NOT NULL,
    role          TEXT        NOT NULL CHECK (role IN ('user', 'admin')),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- One account per address, whatever its case.
CREATE UNIQUE INDEX account_email_unique ON account (lower(email));

CREATE TABLE api_key (
    id           UUID PRIMARY KEY,
    account_id   UUID        NOT NULL REFERENCES account (id),
    name         TEXT        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    -- hex SHA-256 of the whole key; the key itself is never stored
    key_hash     TEXT        NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    prefix       TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_key_account ON api_key (account_id, created_at DESC);

-- ---------------------------------------------------------------- ledger

-- A customer wallet (one per account, with a stored balance that never goes negative) or a platform account
-- (revenue, payment clearing, adjustments): those may go negative and keep no stored balance, so they are never a
-- hot row; their balance is the sum of their entries.
CREATE TABLE ledger_account (
    id            UUID PRIMARY KEY,
    kind          TEXT        NOT NULL CHECK (kind IN ('wallet', 'revenue', 'payment_clearing', 'adjustments')),
    account_id    UUID UNIQUE REFERENCES account (id),
    balance_cents BIGINT CHECK (balance_cents >= 0),
    currency      CHAR(3)     NOT NULL DEFAULT 'USD',
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((kind = 'wallet') = (account_id IS NOT NULL)),
    CHECK ((kind = 'wallet') = (balance_cents IS NOT NULL))
);
CREATE UNIQUE INDEX ledger_account_platform ON ledger_account (kind) WHERE kind <> 'wallet';

INSERT INTO ledger_account (id, kind) VALUES
    ('00000000-0000-0000-0000-00000000000a', 'revenue'),
    ('00000000-0000-0000-0000-00000000000b', 'payment_clearing'),
    ('00000000-0000-0000-0000-00000000000c', 'adjustments');

CREATE TABLE ledger_transaction (
    id         UUID PRIMARY KEY,
    type       TEXT        NOT NULL CHECK (type IN ('deposit', 'debit', 'refund', 'adjustment')),
    -- what the customer recognises: the purchase ref (v_…, r_…), the deposit id
    ref        TEXT,
    -- the reason of an adjustment, and the administrator who made it
    memo       TEXT,
    created_by UUID,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE ledger_entry (
    -- insertion order; per wallet it is also the order of the balance (the wallet row is locked while writing)
    seq                 BIGSERIAL PRIMARY KEY,
    transaction_id      UUID        NOT NULL REFERENCES ledger_transaction (id),
    ledger_account_id   UUID        NOT NULL REFERENCES ledger_account (id),
    -- signed: what this account gained (+) or lost (-)
    amount_cents        BIGINT      NOT NULL CHECK (amount_cents <> 0),
    -- wallets only: the balance right after this entry
    balance_after_cents BIGINT CHECK (balance_after_cents >= 0),
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (transaction_id, ledger_account_id)
);
CREATE INDEX ledger_entry_account ON ledger_entry (ledger_account_id, seq);

-- Entries and transactions are immutable: a mistake is corrected by a new transaction.
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'The ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER ledger_entry_immutable BEFORE UPDATE OR DELETE ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON ledger_entry
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_transaction_immutable BEFORE UPDATE OR DELETE ON ledger_transaction
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_transaction_no_truncate BEFORE TRUNCATE ON ledger_transaction
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

-- Every transaction balances: at commit, its entries sum to zero and there are at least two of them.
CREATE FUNCTION ledger_assert_balanced(tx UUID) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    total   BIGINT;
    entries INTEGER;
BEGIN
    SELECT COALESCE(sum(amount_cents), 0), count(*) INTO total, entries FROM ledger_entry WHERE transaction_id = tx;
    IF total <> 0 OR entries < 2 THEN
        RAISE EXCEPTION 'Ledger transaction % does not balance (% entries, sum %)', tx, entries, total
            USING ERRCODE = 'check_violation';
    END IF;
END
$$;
CREATE FUNCTION ledger_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- (one branch per table: a record only has its own table's fields)
    IF TG_TABLE_NAME = 'ledger_entry' THEN
        PERFORM ledger_assert_balanced(NEW.transaction_id);
    ELSE
        PERFORM ledger_assert_balanced(NEW.id);
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER ledger_entry_balanced AFTER INSERT ON ledger_entry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transaction_balanced();
CREATE CONSTRAINT TRIGGER ledger_transaction_has_entries AFTER INSERT ON ledger_transaction
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transaction_balanced();

-- A wallet's entries form a chain: each balance_after = the previous one + the amount (so the last one is the sum of
-- all entries), and platform accounts carry no balance_after.
CREATE FUNCTION ledger_entry_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    is_wallet BOOLEAN;
    previous  BIGINT;
BEGIN
    SELECT kind = 'wallet' INTO is_wallet FROM ledger_account WHERE id = NEW.ledger_account_id;
    IF NOT is_wallet THEN
        IF NEW.balance_after_cents IS NOT NULL THEN
            RAISE EXCEPTION 'Platform account % keeps no balance_after', NEW.ledger_account_id
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    SELECT balance_after_cents INTO previous FROM ledger_entry
    WHERE ledger_account_id = NEW.ledger_account_id ORDER BY seq DESC LIMIT 1;
    IF NEW.balance_after_cents IS NULL OR NEW.balance_after_cents <> COALESCE(previous, 0) + NEW.amount_cents THEN
        RAISE EXCEPTION 'Wallet entry breaks the balance chain of % (previous %, amount %, balance_after %)',
            NEW.ledger_account_id, COALESCE(previous, 0), NEW.amount_cents, NEW.balance_after_cents
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER ledger_entry_chain BEFORE INSERT ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_chain();

-- At commit, a wallet's stored balance equals its last balance_after, which is the sum of its entries.
CREATE FUNCTION ledger_wallet_matches_entries() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    wallet_id UUID;
    stored    BIGINT;
    last      BIGINT;
BEGIN
    IF TG_TABLE_NAME = 'ledger_entry' THEN
        wallet_id := NEW.ledger_account_id;
    ELSE
        wallet_id := NEW.id;
    END IF;
    SELECT balance_cents INTO stored FROM ledger_account WHERE id = wallet_id AND kind = 'wallet';
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    SELECT balance_after_cents INTO last FROM ledger_entry WHERE ledger_account_id = wallet_id
    ORDER BY seq DESC LIMIT 1;
    IF stored <> COALESCE(last, 0) THEN
        RAISE EXCEPTION 'Wallet % holds % but its entries sum to %', wallet_id, stored, COALESCE(last, 0)
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER ledger_wallet_balance_matches AFTER UPDATE OF balance_cents ON ledger_account
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_wallet_matches_entries();
CREATE CONSTRAINT TRIGGER ledger_entry_matches_wallet AFTER INSERT ON ledger_entry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_wallet_matches_entries();

-- ---------------------------------------------------------------- purchases and deposits

-- One debit per purchase (the idempotency key is the verification or rental id), refunded at most once.
CREATE TABLE debit (
    purchase_id           UUID PRIMARY KEY,
    account_id            UUID        NOT NULL REFERENCES account (id),
    amount_cents          BIGINT      NOT NULL CHECK (amount_cents > 0),
    ref                   TEXT,
    transaction_id        UUID        NOT NULL REFERENCES ledger_transaction (id),
    balance_after_cents   BIGINT      NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    refunded_at           TIMESTAMPTZ,
    refund_reason         TEXT,
    refund_transaction_id UUID REFERENCES ledger_transaction (id) DEFERRABLE INITIALLY DEFERRED,
    CHECK ((refunded_at IS NULL) = (refund_transaction_id IS NULL))
);
CREATE INDEX debit_account ON debit (account_id, created_at);

CREATE TABLE deposit (
    id                 UUID PRIMARY KEY,
    account_id         UUID        NOT NULL REFERENCES account (id),
    amount_cents       BIGINT      NOT NULL CHECK (amount_cents > 0),
    method             TEXT        NOT NULL CHECK (method IN ('card', 'crypto')),
    provider           TEXT        NOT NULL,
    -- the provider's id of the payment, known once the provider accepted it
    provider_reference TEXT,
    checkout_url       TEXT,
    -- pending → completed (credited once) or failed
    status             TEXT        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'failed')),
    transaction_id     UUID REFERENCES ledger_transaction (id) DEFERRABLE INITIALLY DEFERRED,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    completed_at       TIMESTAMPTZ,
    UNIQUE (provider, provider_reference),
    CHECK ((status = 'completed') = (transaction_id IS NOT NULL))
);
CREATE INDEX deposit_account ON deposit (account_id, created_at DESC);
