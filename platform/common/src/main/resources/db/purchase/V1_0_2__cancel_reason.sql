-- Why a purchase was cancelled (issue 15, decision 0021): 'customer' (POST …/cancel) or 'reported' (POST …/report,
-- the number did not work), and the text the buyer gave with a report. Applied to both purchase tables, as
-- V1_0_1 (`${purchase_table}`).
ALTER TABLE ${purchase_table}
    ADD COLUMN cancel_reason TEXT
        CONSTRAINT ${purchase_table}_cancel_reason_known CHECK (cancel_reason IN ('customer', 'reported')),
    ADD COLUMN report_reason TEXT
        CONSTRAINT ${purchase_table}_report_reason_length CHECK (char_length(report_reason) <= 200),
    ADD CONSTRAINT ${purchase_table}_cancel_reason_when_cancelled
        CHECK (cancel_reason IS NULL OR status = 'cancelled'),
    ADD CONSTRAINT ${purchase_table}_report_reason_when_reported
        CHECK (report_reason IS NULL OR cancel_reason = 'reported');

-- every cancel before this migration was the buyer's
UPDATE ${purchase_table} SET cancel_reason = 'customer' WHERE status = 'cancelled';
