-- Whether a purchase was made with a test key (issue 15, the sandbox): its reservation asks catalog-service for a
-- sandbox number, also when the recovery job runs its saga again, so a sandbox purchase never gets a live number.
-- Applied to both purchase tables, as V1_0_1 (`${purchase_table}`); every purchase before it was live.
ALTER TABLE ${purchase_table}
    ADD COLUMN sandbox BOOLEAN NOT NULL DEFAULT FALSE;
