-- +goose Up
-- Daily limits of both kinds — deposits and transfers sent — are kept in
-- one table of day totals (user, kind, currency, UTC day), updated in the
-- transaction of each movement and locked while it is checked. Deposits no
-- longer sum the day's deposits, so the index that served those sums goes.
-- The totals are recomputed from the transfers, the source of truth.
CREATE TABLE day_totals (
    user_id   TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('deposit', 'transfer')),
    currency  TEXT NOT NULL,
    day       BIGINT NOT NULL,
    total     BIGINT NOT NULL CHECK (total >= 0),
    PRIMARY KEY (user_id, kind, currency, day)
);

INSERT INTO day_totals (user_id, kind, currency, day, total)
SELECT created_by, kind, currency, created_at / 86400000000, SUM(amount)
FROM transfers
WHERE kind IN ('deposit', 'transfer') AND created_by IS NOT NULL
GROUP BY created_by, kind, currency, created_at / 86400000000;

DROP TABLE transfer_day_totals;
DROP INDEX transfers_limits;

-- +goose Down
-- Forward-only: BankApp never migrates down.
SELECT 1;
