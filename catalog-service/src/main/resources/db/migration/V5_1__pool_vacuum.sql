-- short_pool loses a row on every purchase and every claim walks its index in order (decision 0005), so its dead rows
-- slow every claim until the table is vacuumed (decision 0025). Autovacuum's default waits for a fifth of the table
-- (tens of thousands of rows on a stocked inventory); here it starts after 2,000, and without a cost delay. The
-- service's own VacuumJob (fetchsms.vacuum.*) does the same where autovacuum is off or behind.
ALTER TABLE short_pool SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000,
                            autovacuum_vacuum_cost_delay = 0);
