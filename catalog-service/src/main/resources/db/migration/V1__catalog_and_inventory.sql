-- catalog-service: what is sold and the numbers it is sold on.

CREATE TABLE service (
    id            INTEGER PRIMARY KEY,
    slug          TEXT        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]+$'),
    name          TEXT        NOT NULL,
    price_cents   INTEGER     NOT NULL CHECK (price_cents > 0),
    -- 'short': a per-service verification; 'long': the single Unlimited rental product
    product       TEXT        NOT NULL CHECK (product IN ('short', 'long')),
    display_order INTEGER     NOT NULL,
    active        BOOLEAN     NOT NULL DEFAULT TRUE,
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Long-term rental price per term (whole-term totals in cents).
CREATE TABLE long_term_price (
    days        INTEGER PRIMARY KEY CHECK (days > 0),
    total_cents INTEGER NOT NULL CHECK (total_cents > 0)
);

CREATE TABLE phone_number (
    number           TEXT PRIMARY KEY CHECK (number ~ '^\+1[2-9][0-9]{2}[2-9][0-9]{6}$'),
    area_code        CHAR(3)     NOT NULL,
    gateway_id       UUID        NOT NULL,
    -- available: in the pool; rented: held by one long-term rental; retired: never used again
    state            TEXT        NOT NULL DEFAULT 'available' CHECK (state IN ('available', 'rented', 'retired')),
    -- never reserved by anyone; only pristine numbers are rented long-term
    pristine         BOOLEAN     NOT NULL DEFAULT TRUE,
    last_reserved_at TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    retired_at       TIMESTAMPTZ
);
CREATE INDEX phone_number_available ON phone_number (area_code) WHERE state = 'available';

-- A number that delivered a code for a service is never offered for that service again.
CREATE TABLE number_service_use (
    number        TEXT        NOT NULL REFERENCES phone_number (number),
    service_id    INTEGER     NOT NULL REFERENCES service (id),
    first_used_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (number, service_id)
);
CREATE INDEX number_service_use_service ON number_service_use (service_id);

CREATE TABLE reservation (
    id             UUID PRIMARY KEY,
    -- the verification or rental id; one reservation per purchase (idempotency key)
    purchase_id    UUID        NOT NULL UNIQUE,
    number         TEXT        NOT NULL REFERENCES phone_number (number),
    service_id     INTEGER     NOT NULL REFERENCES service (id),
    mode           TEXT        NOT NULL CHECK (mode IN ('short', 'long')),
    days           INTEGER,
    area_code      CHAR(3),
    price_cents    INTEGER     NOT NULL CHECK (price_cents > 0),
    -- active: held; completed: a code was delivered (short); released: given back
    status         TEXT        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'released')),
    ended_reason   TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    ended_at       TIMESTAMPTZ,
    CHECK ((mode = 'long') = (days IS NOT NULL))
);
-- The allocation policy, enforced by the database as well as by the reservation code:
-- one active short reservation per (number, service), one active long reservation per number.
CREATE UNIQUE INDEX reservation_active_short ON reservation (number, service_id)
    WHERE status = 'active' AND mode = 'short';
CREATE UNIQUE INDEX reservation_active_long ON reservation (number)
    WHERE status = 'active' AND mode = 'long';
CREATE INDEX reservation_active_by_service ON reservation (service_id, number) WHERE status = 'active';
