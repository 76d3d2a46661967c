-- +goose Up
-- Times are integer microseconds since the Unix epoch (UTC) on both engines:
-- exact, ordered, and the same SQL on PostgreSQL and SQLite.

CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    password_hash   TEXT NOT NULL,
    full_name       TEXT NOT NULL,
    role            TEXT NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'admin')),
    totp_secret     TEXT,
    totp_pending    TEXT,
    totp_enabled    BOOLEAN NOT NULL DEFAULT FALSE,
    totp_last_step  BIGINT NOT NULL DEFAULT 0,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

CREATE TABLE accounts (
    id          TEXT PRIMARY KEY,
    owner_id    TEXT REFERENCES users (id),
    number      TEXT UNIQUE,
    type        TEXT NOT NULL CHECK (type IN ('checking', 'savings', 'brokerage', 'system')),
    currency    TEXT NOT NULL CHECK (currency IN ('USD', 'EUR', 'GBP')),
    name        TEXT NOT NULL,
    balance     BIGINT NOT NULL DEFAULT 0,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'frozen', 'closed')),
    created_at  BIGINT NOT NULL,
    -- Customer money never goes below zero, whatever the code above does.
    CHECK (type = 'system' OR balance >= 0),
    CHECK ((type = 'system') = (owner_id IS NULL))
);
CREATE INDEX accounts_owner ON accounts (owner_id, created_at);

CREATE TABLE transfers (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    currency        TEXT NOT NULL,
    amount          BIGINT NOT NULL CHECK (amount > 0),
    from_account_id TEXT REFERENCES accounts (id),
    to_account_id   TEXT REFERENCES accounts (id),
    description     TEXT NOT NULL DEFAULT '',
    created_by      TEXT,
    created_at      BIGINT NOT NULL
);
CREATE INDEX transfers_from ON transfers (from_account_id, created_at);
CREATE INDEX transfers_to ON transfers (to_account_id, created_at);

CREATE TABLE postings (
    seq             {{identity}},
    transfer_id     TEXT NOT NULL REFERENCES transfers (id),
    account_id      TEXT NOT NULL REFERENCES accounts (id),
    amount          BIGINT NOT NULL CHECK (amount <> 0),
    currency        TEXT NOT NULL,
    balance_after   BIGINT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX postings_account ON postings (account_id, seq);
CREATE INDEX postings_transfer ON postings (transfer_id);

CREATE TABLE idempotency_keys (
    owner_id        TEXT NOT NULL,
    key             TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    status_code     INTEGER NOT NULL,
    response_body   TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (owner_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

CREATE TABLE audit_events (
    seq         {{identity}},
    id          TEXT NOT NULL UNIQUE,
    at          BIGINT NOT NULL,
    actor_id    TEXT,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    request_id  TEXT NOT NULL DEFAULT '',
    outcome     TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_actor ON audit_events (actor_id, seq);

-- The bank's own books, one per role and currency.
INSERT INTO accounts (id, type, currency, name, created_at)
SELECT 'system:' || r.role || ':' || c.cur, 'system', c.cur, r.name, 0
FROM (SELECT 'funding' AS role, 'External funding' AS name
      UNION ALL SELECT 'cashout', 'Cash-out'
      UNION ALL SELECT 'settlement', 'Brokerage settlement'
      UNION ALL SELECT 'interest', 'Interest expense'
      UNION ALL SELECT 'fees', 'Fee income') r
CROSS JOIN (SELECT 'USD' AS cur UNION ALL SELECT 'EUR' UNION ALL SELECT 'GBP') c;

-- +goose Down
-- Forward-only: BankApp never migrates down.
SELECT 1;
