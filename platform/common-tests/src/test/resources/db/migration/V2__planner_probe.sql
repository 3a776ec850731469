-- A table that VacuumJobTest fills after a statement's plan was settled on it empty: it shows a connection's settled
-- plan scanning every row until the table is analyzed.
CREATE TABLE planner_probe (
    id     BIGSERIAL PRIMARY KEY,
    number TEXT NOT NULL,
    hash   TEXT NOT NULL
);
CREATE INDEX planner_probe_number_idx ON planner_probe (number, hash);

-- A table VacuumJobTest changes by less, then by more, than its analyze threshold (50 rows plus a tenth of it).
CREATE TABLE analyze_probe (
    id    INT PRIMARY KEY,
    value INT NOT NULL
);
