-- +goose Up
-- Money a customer has sent by transfer, per currency and UTC day (days since
-- 1970-01-01), kept in the transaction of each transfer. The daily limit is
-- checked against this row, locked, instead of summing the day's transfers
-- under a lock on the customer's user row: one small row per sender is what
-- concurrent transfers (and group-commit batches) queue on. `bankapp ledger
-- verify` checks it against the transfers.
CREATE TABLE transfer_day_totals (
    user_id   TEXT NOT NULL,
    currency  TEXT NOT NULL,
    day       BIGINT NOT NULL,
    sent      BIGINT NOT NULL CHECK (sent >= 0),
    PRIMARY KEY (user_id, currency, day)
);

INSERT INTO transfer_day_totals (user_id, currency, day, sent)
SELECT created_by, currency, created_at / 86400000000, SUM(amount)
FROM transfers
WHERE kind = 'transfer' AND created_by IS NOT NULL
GROUP BY created_by, currency, created_at / 86400000000;

-- +goose Down
DROP TABLE transfer_day_totals;
