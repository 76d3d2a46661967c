-- +goose Up
-- Account recovery and email (issue 16; API.md "Account recovery and email
-- (v1.1)", docs/security.md "Recovery"). Times are microseconds; 0 = never.

-- The contract's user.email_verified: set by a verification link (or a
-- completed password reset, which proves the same thing).
ALTER TABLE users ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT FALSE;

-- Single-use tokens sent by email, stored only as the SHA-256 of the token
-- (the token itself is 256 random bits, URL-safe, and exists only in the
-- link). used_at is set when the token is used, or spent by a newer reset
-- request; email is the address it was sent to (a verification is only
-- good for the address it went to).
CREATE TABLE auth_tokens (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    purpose     TEXT NOT NULL CHECK (purpose IN ('password_reset', 'verify_email')),
    hash        TEXT NOT NULL UNIQUE,
    email       TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX auth_tokens_user ON auth_tokens (user_id, purpose);
CREATE INDEX auth_tokens_expires ON auth_tokens (expires_at);

-- Recovery codes: ten per user, each the SHA-256 of the user id and the
-- normalised code (80 random bits), single use. Regenerating deletes the
-- earlier set; turning 2FA off deletes it.
CREATE TABLE recovery_codes (
    user_id     TEXT NOT NULL REFERENCES users (id),
    hash        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    used_at     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, hash)
);

-- Devices a user has signed in from, for the new-device notice: a browser
-- is its signed device cookie (kind 'cookie'), a bearer client its user
-- agent and IP address (kind 'agent'); only a SHA-256 of either is kept.
CREATE TABLE known_devices (
    user_id        TEXT NOT NULL REFERENCES users (id),
    device_hash    TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('cookie', 'agent')),
    first_seen_at  BIGINT NOT NULL,
    last_seen_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, device_hash)
);
CREATE INDEX known_devices_seen ON known_devices (last_seen_at);

-- Sliding-window limits shared by every instance (reset requests per
-- email, verification emails per user): one row per bucket, locked while it
-- is read and written, holding the times of the hits inside the window
-- (space-separated microseconds).
CREATE TABLE rate_limits (
    bucket      TEXT PRIMARY KEY,
    hits        TEXT NOT NULL DEFAULT '',
    updated_at  BIGINT NOT NULL
);
CREATE INDEX rate_limits_updated ON rate_limits (updated_at);

-- +goose Down
SELECT 1;
