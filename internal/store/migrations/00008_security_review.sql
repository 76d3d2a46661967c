-- +goose Up
-- Security review (issue 13).
--
-- Fills are rounded in the bank's favour from now on; the rule each order
-- was rounded with is kept so that `ledger verify` recomputes old orders
-- (half-even) and new ones (buys up, sells down) exactly.
ALTER TABLE orders ADD COLUMN rounding TEXT NOT NULL DEFAULT 'half_even';

-- Sign-in failures are counted per normalised email string, whether or not
-- a user has it (so the lockout does not tell which emails exist), and an
-- attempt is counted before its password is checked (so a burst of parallel
-- guesses gets no more than the limit). Times are microseconds.
CREATE TABLE login_attempts (
    email         TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    locked_until  BIGINT NOT NULL DEFAULT 0,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX login_attempts_updated ON login_attempts (updated_at);

INSERT INTO login_attempts (email, failures, locked_until, updated_at)
SELECT email, failed_logins, locked_until, updated_at FROM users
WHERE failed_logins > 0 OR locked_until > 0;

-- +goose Down
SELECT 1;
