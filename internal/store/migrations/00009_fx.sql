-- +goose Up
-- Currency exchange (issue 15, docs/fx.md).
--
-- Rates are exact decimal TEXT as published ("0.917702", fx.Rate.String),
-- read back with fx.ParseRate; amounts are BIGINT minor units; times are
-- BIGINT microseconds.

-- The currency a customer's overview and net worth are shown in.
ALTER TABLE users ADD COLUMN base_currency TEXT NOT NULL DEFAULT 'USD' CHECK (base_currency IN ('USD', 'EUR', 'GBP'));

-- The bank's position in each currency: an exchange (or an order that
-- converts) pays what the customer sells into the sell currency's position
-- account and what the customer buys out of the buy currency's. Its balance
-- is the bank's net long (+) or short (-) in that currency.
INSERT INTO accounts (id, type, currency, name, created_at)
SELECT 'system:fx_position:' || c.cur, 'system', c.cur, 'FX position', 0
FROM (SELECT 'USD' AS cur UNION ALL SELECT 'EUR' UNION ALL SELECT 'GBP') c;

-- A quote holds a customer's price for 30 s; executing it marks it used
-- (once: used_at and exchange_id are set in the exchange's transaction).
-- No foreign keys to users and accounts: on PostgreSQL a foreign-key check
-- takes a KEY SHARE lock on the referenced rows in the constraint's order,
-- not in the ledger's id order, and that deadlocked against exchanges
-- locking the same two accounts FOR UPDATE in the other order
-- (TestBankUnderLoad). The code that inserts a quote has just read its
-- owner's two accounts, and users and accounts are never deleted.
CREATE TABLE fx_quotes (
    id               TEXT PRIMARY KEY,
    owner_id         TEXT NOT NULL,
    from_account_id  TEXT NOT NULL,
    to_account_id    TEXT NOT NULL,
    quoted_by        TEXT NOT NULL CHECK (quoted_by IN ('sell', 'buy')),
    sell_amount      BIGINT NOT NULL CHECK (sell_amount > 0),
    sell_currency    TEXT NOT NULL,
    buy_amount       BIGINT NOT NULL CHECK (buy_amount > 0),
    buy_currency     TEXT NOT NULL,
    rate             TEXT NOT NULL,
    mid_rate         TEXT NOT NULL,
    fee              BIGINT NOT NULL CHECK (fee >= 0),
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    used_at          BIGINT,
    exchange_id      TEXT UNIQUE REFERENCES transfers (id),
    CHECK (sell_currency <> buy_currency)
);
CREATE INDEX fx_quotes_owner ON fx_quotes (owner_id, created_at);
CREATE INDEX fx_quotes_expires ON fx_quotes (expires_at);

-- Every conversion the ledger made: an exchange (kind 'exchange', with its
-- quote) or an order on a EUR/GBP brokerage account trading a USD
-- instrument (kind 'trade'). `ledger verify` recomputes each one with
-- fx.Verify from (quoted_by, sell_amount, buy_amount, rate, mid_rate, fee)
-- and checks the position accounts against the sum of them.
CREATE TABLE fx_conversions (
    transfer_id      TEXT PRIMARY KEY REFERENCES transfers (id),
    kind             TEXT NOT NULL CHECK (kind IN ('exchange', 'trade')),
    quote_id         TEXT UNIQUE REFERENCES fx_quotes (id),
    quoted_by        TEXT NOT NULL CHECK (quoted_by IN ('sell', 'buy')),
    sell_amount      BIGINT NOT NULL CHECK (sell_amount > 0),
    sell_currency    TEXT NOT NULL,
    buy_amount       BIGINT NOT NULL CHECK (buy_amount > 0),
    buy_currency     TEXT NOT NULL,
    rate             TEXT NOT NULL,
    mid_rate         TEXT NOT NULL,
    fee              BIGINT NOT NULL CHECK (fee >= 0),
    created_at       BIGINT NOT NULL,
    CHECK (sell_currency <> buy_currency),
    CHECK ((kind = 'exchange') = (quote_id IS NOT NULL))
);

-- A holding's cost basis and realized P&L are in the currency its
-- instrument trades and settles in (USD for every instrument today), which
-- is not the account's currency on a EUR or GBP brokerage account. Until
-- now they were the same.
ALTER TABLE holdings ADD COLUMN currency TEXT NOT NULL DEFAULT '';
UPDATE holdings SET currency = (SELECT a.currency FROM accounts a WHERE a.id = holdings.account_id);

-- +goose Down
-- Forward-only: BankApp never migrates down.
SELECT 1;
