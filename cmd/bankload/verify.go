package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver for the ledger checks
	_ "modernc.org/sqlite"             // SQLite driver for the ledger checks (sqlite:/path)
)

// verdict is what the end-of-run checks found.
type verdict struct {
	Acknowledged   int    `json:"acknowledged"`    // transfers answered 201
	Lost           int    `json:"lost"`            // answered 201 but not in the ledger
	Duplicated     int    `json:"duplicated"`      // one Idempotency-Key applied more than once
	ReplayMismatch int    `json:"replay_mismatch"` // a replay answered another transfer than the first 201
	Negative       int    `json:"negative"`        // customer accounts below zero
	MoneyOK        bool   `json:"money_ok"`        // money in the bank = deposits − withdrawals, per currency
	MoneyDetail    string `json:"money_detail"`
	LedgerVerify   string `json:"ledger_verify"` // "OK", "FAILED…" or "skipped"
}

func (v verdict) ok() bool {
	return v.Lost == 0 && v.Duplicated == 0 && v.ReplayMismatch == 0 && v.Negative == 0 && v.MoneyOK &&
		(v.LedgerVerify == "OK" || v.LedgerVerify == "skipped")
}

// verify checks the run's acknowledged transfers against the database and the
// bank-wide invariants, then runs `bankapp ledger verify` when bankapp is set.
func verify(ctx context.Context, dbURL, bankapp, run string, b *book) (verdict, error) {
	v := verdict{Acknowledged: len(b.committed), ReplayMismatch: b.mismatch, LedgerVerify: "skipped"}
	driver, dsn, sqlite := openArgs(dbURL)
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return v, fmt.Errorf("verify: open: %w", err)
	}
	defer db.Close()
	// Every transfer of this run carries "bankload <run>/<key>" as its
	// description, so the ledger itself shows how often each key was applied.
	q := `SELECT description, id FROM transfers WHERE description LIKE $1`
	if sqlite {
		q = `SELECT description, id FROM transfers WHERE description LIKE ?`
	}
	rows, err := db.QueryContext(ctx, q, "bankload "+run+"/%")
	if err != nil {
		return v, fmt.Errorf("verify: transfers: %w", err)
	}
	inLedger := map[string][]string{}
	for rows.Next() {
		var desc, id string
		if err := rows.Scan(&desc, &id); err != nil {
			_ = rows.Close()
			return v, fmt.Errorf("verify: scan: %w", err)
		}
		key := desc[strings.LastIndexByte(desc, '/')+1:]
		inLedger[key] = append(inLedger[key], id)
	}
	_ = rows.Close()
	if err := rows.Err(); err != nil {
		return v, fmt.Errorf("verify: transfers: %w", err)
	}
	for _, ids := range inLedger {
		if len(ids) > 1 {
			v.Duplicated += len(ids) - 1
		}
	}
	for _, c := range b.committed {
		ids := inLedger[c.key]
		if len(ids) == 0 || ids[0] != c.id {
			v.Lost++
		}
	}
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts WHERE type <> 'system' AND balance < 0`).Scan(&v.Negative); err != nil {
		return v, fmt.Errorf("verify: negative balances: %w", err)
	}
	if v.MoneyOK, v.MoneyDetail, err = moneyConserved(ctx, db); err != nil {
		return v, err
	}
	if bankapp != "" {
		cmd := exec.CommandContext(ctx, bankapp, "ledger", "verify") // #nosec G204 G702 -- the operator's own bankapp binary, from the command line
		cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "DATABASE_READ_URL=")
		if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
			// bankapp takes SQLite as "no DATABASE_URL": the file in its data dir.
			cmd.Env = append(os.Environ(), "DATABASE_URL=", "DATABASE_READ_URL=", "BANKAPP_DATA_DIR="+filepath.Dir(path))
		}
		out, err := cmd.CombinedOutput()
		v.LedgerVerify = "OK"
		if err != nil {
			v.LedgerVerify = "FAILED: " + strings.TrimSpace(string(truncate(out, 500)))
		}
	}
	return v, nil
}

// openArgs is the driver and data source for a database URL: postgres://…
// (pgx) or sqlite:/path/to/bankapp.db (the file in the server's
// BANKAPP_DATA_DIR), opened read-only beside the running server (WAL allows
// it); sqlite tells which placeholders its SQL takes.
func openArgs(dbURL string) (driver, dsn string, sqlite bool) {
	if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		return "sqlite", "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=query_only(1)", true
	}
	return "pgx", dbURL, false
}

// moneyConserved compares, per currency, all money held inside the bank
// (every account but the external funding and cash-out books) with total
// deposits minus total withdrawals.
func moneyConserved(ctx context.Context, db *sql.DB) (bool, string, error) {
	const q = `
SELECT c.currency,
  (SELECT COALESCE(SUM(balance), 0) FROM accounts a WHERE a.currency = c.currency
     AND a.id NOT LIKE 'system:funding:%' AND a.id NOT LIKE 'system:cashout:%') AS held,
  (SELECT COALESCE(SUM(CASE kind WHEN 'deposit' THEN amount WHEN 'withdrawal' THEN -amount ELSE 0 END), 0)
     FROM transfers t WHERE t.currency = c.currency) AS net_in
FROM (SELECT DISTINCT currency FROM accounts) c ORDER BY c.currency`
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return false, "", fmt.Errorf("verify: money: %w", err)
	}
	defer rows.Close()
	ok := true
	var parts []string
	for rows.Next() {
		var cur string
		var held, netIn int64
		if err := rows.Scan(&cur, &held, &netIn); err != nil {
			return false, "", fmt.Errorf("verify: money: %w", err)
		}
		if held != netIn {
			ok = false
		}
		parts = append(parts, fmt.Sprintf("%s held %d = deposits-withdrawals %d", cur, held, netIn))
	}
	return ok, strings.Join(parts, "; "), rows.Err()
}
