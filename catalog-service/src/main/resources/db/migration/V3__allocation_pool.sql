-- Allocation whose cost does not grow with the inventory or the reservations (decision 0005).
--
-- Every number gets a random key. A pick starts at a random point of an index ordered by that key and takes the first
-- free row, wrapping around to the start: one index descent, and concurrent requests start at different points.
--
-- Pristine numbers qualify for every verification (never reserved: no reservation, no use), so they are picked straight
-- from phone_number. Non-pristine numbers are picked from short_pool, which holds exactly the pairs a verification may
-- take: (service, number) for every short service and every available, non-pristine number that has no active
-- reservation for the service and never delivered a code for it. The triggers below keep it equal to that definition
-- on every change of its inputs, so a pick never walks over numbers that are blocked for the service.

ALTER TABLE phone_number ADD COLUMN pick_key INTEGER NOT NULL DEFAULT floor(random() * 2147483647)::integer;

CREATE INDEX phone_number_pristine_pick ON phone_number (pick_key) WHERE state = 'available' AND pristine;
CREATE INDEX phone_number_pristine_pick_area ON phone_number (area_code, pick_key)
    WHERE state = 'available' AND pristine;

-- Pairs are picked like pristine numbers, from a random point of an index with wrap-around, but their key is the
-- position at which they (last) entered the pool, from a sequence: a number entering the pool writes one row per short
-- service, and with increasing keys those rows go to the end of each service's part of the pick indexes (a few pages,
-- always cached) instead of to random pages of indexes that grow with the inventory. The start of a pick is drawn
-- between 0 and the sequence's last value.
CREATE SEQUENCE short_pool_position;
CREATE TABLE short_pool (
    number     TEXT    NOT NULL,
    service_id INTEGER NOT NULL,
    area_code  CHAR(3) NOT NULL,
    position   BIGINT  NOT NULL DEFAULT nextval('short_pool_position'),
    PRIMARY KEY (number, service_id)
);
CREATE INDEX short_pool_pick ON short_pool (service_id, position);
CREATE INDEX short_pool_pick_area ON short_pool (service_id, area_code, position);

-- A number enters the pool when it becomes available and non-pristine (its first reservation, the end of its rental)
-- and leaves it when it is rented or retired. Its pairs share one position.
CREATE FUNCTION short_pool_number_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
        ON CONFLICT DO NOTHING;
    ELSE
        DELETE FROM short_pool WHERE number = NEW.number;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER short_pool_number_added AFTER INSERT ON phone_number
    FOR EACH ROW WHEN (NEW.state = 'available' AND NOT NEW.pristine)
    EXECUTE FUNCTION short_pool_number_changed();
CREATE TRIGGER short_pool_number_changed AFTER UPDATE OF state, pristine ON phone_number
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.pristine IS DISTINCT FROM NEW.pristine)
    EXECUTE FUNCTION short_pool_number_changed();

-- Takes one pair out, or puts it back (at a new position) if it qualifies.
CREATE FUNCTION short_pool_take(num TEXT, svc INTEGER) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM short_pool WHERE number = num AND service_id = svc;
END
$$;
CREATE FUNCTION short_pool_put(num TEXT, svc INTEGER) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO short_pool (number, service_id, area_code)
    SELECT n.number, s.id, n.area_code FROM phone_number n JOIN service s ON s.id = svc
    WHERE n.number = num AND n.state = 'available' AND NOT n.pristine AND s.product = 'short'
      AND NOT EXISTS (SELECT 1 FROM reservation r
                      WHERE r.number = n.number AND r.service_id = s.id AND r.status = 'active')
      AND NOT EXISTS (SELECT 1 FROM number_service_use u WHERE u.number = n.number AND u.service_id = s.id)
    ON CONFLICT DO NOTHING;
END
$$;

-- An active short reservation takes its pair out; when it ends the pair comes back unless the number delivered a code
-- for the service (a completion records the use in the same transaction, which takes the pair out again).
CREATE FUNCTION short_pool_reservation_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'active' THEN
        PERFORM short_pool_take(NEW.number, NEW.service_id);
    ELSE
        PERFORM short_pool_put(NEW.number, NEW.service_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER short_pool_reservation_added AFTER INSERT ON reservation
    FOR EACH ROW WHEN (NEW.mode = 'short' AND NEW.status = 'active')
    EXECUTE FUNCTION short_pool_reservation_changed();
CREATE TRIGGER short_pool_reservation_ended AFTER UPDATE OF status ON reservation
    FOR EACH ROW WHEN (NEW.mode = 'short' AND OLD.status = 'active' AND NEW.status <> 'active')
    EXECUTE FUNCTION short_pool_reservation_changed();

-- A delivered code takes the pair out for good.
CREATE FUNCTION short_pool_use_recorded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM short_pool_take(NEW.number, NEW.service_id);
    RETURN NULL;
END
$$;
CREATE TRIGGER short_pool_use_recorded AFTER INSERT ON number_service_use
    FOR EACH ROW EXECUTE FUNCTION short_pool_use_recorded();

-- A new short service (a later migration adds one) is offered on every non-pristine available number.
CREATE FUNCTION short_pool_service_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM short_pool WHERE service_id = NEW.id;
    IF NEW.product = 'short' THEN
        INSERT INTO short_pool (number, service_id, area_code)
        SELECT n.number, NEW.id, n.area_code FROM phone_number n
        WHERE n.state = 'available' AND NOT n.pristine
          AND NOT EXISTS (SELECT 1 FROM reservation r
                          WHERE r.number = n.number AND r.service_id = NEW.id AND r.status = 'active')
          AND NOT EXISTS (SELECT 1 FROM number_service_use u WHERE u.number = n.number AND u.service_id = NEW.id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER short_pool_service_added AFTER INSERT ON service
    FOR EACH ROW EXECUTE FUNCTION short_pool_service_changed();
CREATE TRIGGER short_pool_service_changed AFTER UPDATE OF product ON service
    FOR EACH ROW WHEN (OLD.product IS DISTINCT FROM NEW.product)
    EXECUTE FUNCTION short_pool_service_changed();

-- Numbers, reservations and uses are never deleted by the services; after a manual deletion, rebuild the pool.
CREATE FUNCTION short_pool_rebuild() RETURNS void LANGUAGE sql AS $$
    DELETE FROM short_pool;
    INSERT INTO short_pool (number, service_id, area_code)
    SELECT n.number, s.id, n.area_code FROM phone_number n CROSS JOIN service s
    WHERE n.state = 'available' AND NOT n.pristine AND s.product = 'short'
      AND NOT EXISTS (SELECT 1 FROM reservation r
                      WHERE r.number = n.number AND r.service_id = s.id AND r.status = 'active')
      AND NOT EXISTS (SELECT 1 FROM number_service_use u WHERE u.number = n.number AND u.service_id = s.id);
$$;

SELECT short_pool_rebuild();
