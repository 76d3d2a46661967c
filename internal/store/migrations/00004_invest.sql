-- +goose Up
-- Investing: positions, filled orders and watchlists.
--
-- Quantities of securities are exact decimal TEXT with exactly 8 fractional
-- digits ("1.50000000"), never floats. A BIGINT count of 1e-8 units would
-- overflow at about 92 billion units, and a $1M position in SHIB-USD
-- (~$0.0000085) is ~1.2e11 coins; NUMERIC exists only on PostgreSQL (SQLite
-- would store it as REAL). No SQL sums quantities: a holding is read,
-- changed in Go with exact decimals and written back under the account's
-- row lock. Money (cost basis, totals, P&L) is BIGINT minor units like the
-- ledger. Times are BIGINT microseconds.

CREATE TABLE holdings (
    account_id   TEXT NOT NULL REFERENCES accounts (id),
    symbol       TEXT NOT NULL,
    quantity     TEXT NOT NULL CHECK (quantity NOT LIKE '-%'),
    -- What the current quantity cost, in minor units of the account's currency.
    cost_basis   BIGINT NOT NULL CHECK (cost_basis >= 0),
    -- Sum of (sell proceeds - cost basis removed) over every sell.
    realized_pl  BIGINT NOT NULL DEFAULT 0,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (account_id, symbol)
);

CREATE TABLE orders (
    seq          {{identity}},
    id           TEXT NOT NULL UNIQUE,
    owner_id     TEXT NOT NULL REFERENCES users (id),
    account_id   TEXT NOT NULL REFERENCES accounts (id),
    symbol       TEXT NOT NULL,
    side         TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
    quantity     TEXT NOT NULL,
    price        TEXT NOT NULL,
    total        BIGINT NOT NULL CHECK (total > 0),
    currency     TEXT NOT NULL,
    realized_pl  BIGINT NOT NULL DEFAULT 0,
    transfer_id  TEXT NOT NULL REFERENCES transfers (id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX orders_owner ON orders (owner_id, seq);
CREATE INDEX orders_account ON orders (account_id, seq);

CREATE TABLE watchlist (
    owner_id   TEXT NOT NULL REFERENCES users (id),
    symbol     TEXT NOT NULL,
    added_at   BIGINT NOT NULL,
    PRIMARY KEY (owner_id, symbol)
);

-- +goose Down
SELECT 1;
