-- +goose Up
CREATE INDEX transfers_limits ON transfers (created_by, kind, currency, created_at);

CREATE TABLE payees (
    id              TEXT PRIMARY KEY,
    owner_id        TEXT NOT NULL REFERENCES users (id),
    name            TEXT NOT NULL,
    account_number  TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    UNIQUE (owner_id, account_number)
);

-- +goose Down
SELECT 1;
