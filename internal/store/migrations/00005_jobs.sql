-- +goose Up
-- Background jobs (docs/jobs.md). A job is a row; an instance claims due rows
-- (FOR UPDATE SKIP LOCKED on PostgreSQL) by setting status 'running', a lease
-- and a claim token, and finishes the job in the same transaction as the
-- job's own writes, after checking that its claim still holds. dedupe_key
-- makes "the occurrence of schedule X on day D" or "interest of account A for
-- month M" one row forever, whoever enqueues it and however often.

CREATE TABLE jobs (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    dedupe_key    TEXT NOT NULL UNIQUE,
    payload       TEXT NOT NULL DEFAULT '{}',
    run_at        BIGINT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    max_attempts  INTEGER NOT NULL DEFAULT 5,
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'dead', 'cancelled')),
    lease_until   BIGINT NOT NULL DEFAULT 0,
    locked_by     TEXT NOT NULL DEFAULT '',
    last_error    TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs (status, run_at);

-- A customer's standing order. Dates are UTC calendar days (YYYY-MM-DD); an
-- occurrence runs at 00:00 UTC of its day. next_run_date is NULL once the
-- schedule is completed or cancelled.
CREATE TABLE scheduled_transfers (
    id                 TEXT PRIMARY KEY,
    owner_id           TEXT NOT NULL REFERENCES users (id),
    from_account_id    TEXT NOT NULL REFERENCES accounts (id),
    to_account_number  TEXT NOT NULL,
    amount             BIGINT NOT NULL CHECK (amount > 0),
    currency           TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    frequency          TEXT NOT NULL CHECK (frequency IN ('once', 'weekly', 'monthly')),
    start_date         TEXT NOT NULL,
    end_date           TEXT,
    next_run_date      TEXT,
    last_run_at        BIGINT,
    last_status        TEXT,
    runs               INTEGER NOT NULL DEFAULT 0,
    status             TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'cancelled')),
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX scheduled_transfers_owner ON scheduled_transfers (owner_id, id);

-- +goose Down
SELECT 1;
