-- Automatic retirement of numbers that do not work (decision 0022).
--
-- A (number, service) pair that fails N times in a row (reported by the buyer, or expired while other numbers of the
-- service received codes) is retired from that service: short_pool never holds it again, so allocation skips it
-- without looking at it. A number whose rental is reported is retired as a whole (state 'retired').

-- When the code of a completed verification arrived (the event's received_at; now() for an internal completion). An
-- expiry counts against its number only if another number delivered a code for the service within its window: one
-- descent of this index, whatever the number of reservations.
ALTER TABLE reservation ADD COLUMN delivered_at TIMESTAMPTZ;
UPDATE reservation SET delivered_at = ended_at WHERE status = 'completed';
CREATE INDEX reservation_delivered ON reservation (service_id, delivered_at) WHERE status = 'completed';

-- Rentals of the number reported as not working.
ALTER TABLE phone_number ADD COLUMN rental_reports INTEGER NOT NULL DEFAULT 0;

-- Each retirement, automatic or whole-number, as it happened; undone_at when an operator gave the pair back.
CREATE TABLE number_retirement (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number               TEXT        NOT NULL REFERENCES phone_number (number),
    -- null: the number as a whole (its rental was reported)
    service_id           INTEGER REFERENCES service (id),
    reason               TEXT        NOT NULL CHECK (reason IN ('consecutive_failures', 'rental_reported')),
    -- the purchase whose failure retired it: one retirement per purchase at most, whatever is redelivered
    purchase_id          UUID        NOT NULL UNIQUE,
    consecutive_failures INTEGER     NOT NULL,
    reports              INTEGER     NOT NULL,
    expiries             INTEGER     NOT NULL,
    rental_reports       INTEGER     NOT NULL,
    retired_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    undone_at            TIMESTAMPTZ
);
CREATE INDEX number_retirement_number ON number_retirement (number);

-- How a number has done for a service: codes delivered, failures counted, the current run of failures, and whether it
-- is retired from the service.
CREATE TABLE number_service_health (
    number               TEXT        NOT NULL REFERENCES phone_number (number),
    service_id           INTEGER     NOT NULL REFERENCES service (id),
    codes                INTEGER     NOT NULL DEFAULT 0,
    reports              INTEGER     NOT NULL DEFAULT 0,
    expiries             INTEGER     NOT NULL DEFAULT 0,
    consecutive_failures INTEGER     NOT NULL DEFAULT 0,
    -- a failure of a reservation made before this instant does not add to the run (the pair delivered a code after
    -- it, or an operator reset the count), whatever order the events are read in
    streak_since         TIMESTAMPTZ,
    last_code_at         TIMESTAMPTZ,
    last_failure_at      TIMESTAMPTZ,
    retired_at           TIMESTAMPTZ,
    retirement_id        BIGINT REFERENCES number_retirement (id),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (number, service_id),
    CHECK ((retired_at IS NULL) = (retirement_id IS NULL))
);

-- The codes delivered before this migration (failures were not counted then: every run starts at zero).
INSERT INTO number_service_health (number, service_id, codes, streak_since, last_code_at)
SELECT number, service_id, count(*), max(created_at), max(delivered_at) FROM reservation
WHERE status = 'completed' AND mode = 'short'
GROUP BY number, service_id;

-- The pool's definition (V3) gains one condition: the pair is not retired. Every function that adds pairs checks it.
CREATE OR REPLACE FUNCTION short_pool_number_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entered BIGINT;
BEGIN
    IF NEW.state = 'available' AND NOT NEW.pristine THEN
        entered := nextval('short_pool_position');
        INSERT INTO short_pool (number, service_id, area_code, position)
        SELECT NEW.number, s.id, NEW.area_code, entered FROM service s
        WHERE s.product = 'short'
          AND NOT EXISTS (SELECT 1 FROM reservation r
                          WHERE r.number = NEW.number AND r.service_id = s.id AND r.status = 'active')
          AND NOT EXISTS (SELECT 1 FROM number_service_use u WHERE u.number = NEW.number AND u.service_id = s.id)
          AND NOT EXISTS (SELECT 1 FROM number_service_health h
                          WHERE h.number = NEW.number AND h.service_id = s.id AND h.retired_at IS NOT NULL)
        ON CONFLICT DO NOTHING;
    ELSE
        DELETE FROM short_pool WHERE number = NEW.number;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION short_pool_put(num TEXT, svc INTEGER) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO short_pool (number, service_id, area_code)
    SELECT n.number, s.id, n.area_code FROM phone_number n JOIN service s ON s.id = svc
    WHERE n.number = num AND n.state = 'available' AND NOT n.pristine AND s.product = 'short'
      AND NOT EXISTS (SELECT 1 FROM reservation r
                      WHERE r.number = n.number AND r.service_id = s.id AND r.status = 'active')
      AND NOT EXISTS (SELECT 1 FROM number_service_use u WHERE u.number = n.number AND u.service_id = s.id)
      AND NOT EXISTS (SELECT 1 FROM number_service_health h
                      WHERE h.number = n.number AND h.service_id = s.id AND h.retired_at IS NOT NULL)
    ON CONFLICT DO NOTHING;
END
$$;

CREATE OR REPLACE FUNCTION short_pool_service_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM short_pool WHERE service_id = NEW.id;
    IF NEW.product = 'short' THEN
        INSERT INTO short_pool (number, service_id, area_code)
        SELECT n.number, NEW.id, n.area_code FROM phone_number n
        WHERE n.state = 'available' AND NOT n.pristine
          AND NOT EXISTS (SELECT 1 FROM reservation r
                          WHERE r.number = n.number AND r.service_id = NEW.id AND r.status = 'active')
          AND NOT EXISTS (SELECT 1 FROM number_service_use u WHERE u.number = n.number AND u.service_id = NEW.id)
          AND NOT EXISTS (SELECT 1 FROM number_service_health h
                          WHERE h.number = n.number AND h.service_id = NEW.id AND h.retired_at IS NOT NULL);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION short_pool_rebuild() RETURNS void LANGUAGE sql AS $$
    DELETE FROM short_pool;
    INSERT INTO short_pool (number, service_id, area_code)
    SELECT n.number, s.id, n.area_code FROM phone_number n CROSS JOIN service s
    WHERE n.state = 'available' AND NOT n.pristine AND s.product = 'short'
      AND NOT EXISTS (SELECT 1 FROM reservation r
                      WHERE r.number = n.number AND r.service_id = s.id AND r.status = 'active')
      AND NOT EXISTS (SELECT 1 FROM number_service_use u WHERE u.number = n.number AND u.service_id = s.id)
      AND NOT EXISTS (SELECT 1 FROM number_service_health h
                      WHERE h.number = n.number AND h.service_id = s.id AND h.retired_at IS NOT NULL);
$$;

-- A retirement takes the pair out of the pool; undoing it puts the pair back if it qualifies otherwise.
CREATE FUNCTION short_pool_health_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.retired_at IS NOT NULL THEN
        PERFORM short_pool_take(NEW.number, NEW.service_id);
    ELSE
        PERFORM short_pool_put(NEW.number, NEW.service_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER short_pool_health_added AFTER INSERT ON number_service_health
    FOR EACH ROW WHEN (NEW.retired_at IS NOT NULL)
    EXECUTE FUNCTION short_pool_health_changed();
CREATE TRIGGER short_pool_health_changed AFTER UPDATE OF retired_at ON number_service_health
    FOR EACH ROW WHEN ((OLD.retired_at IS NULL) <> (NEW.retired_at IS NULL))
    EXECUTE FUNCTION short_pool_health_changed();
