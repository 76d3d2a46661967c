package main

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

func runCmd(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errb)
	return out.String() + errb.String(), err
}

// TestSeedDemoIsIdempotentAndBalanced seeds twice, then ledger verify must
// pass; tampering with a balance makes verify exit 1.
func TestSeedDemoIsIdempotentAndBalanced(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"BANKAPP_DATA_DIR": dir}
	out, err := runCmd(t, env, "seed", "--demo")
	if err != nil || !strings.Contains(out, "demo data created") || !strings.Contains(out, "alice@demo.bankapp.test") {
		t.Fatalf("first seed: %v\n%s", err, out)
	}
	out, err = runCmd(t, env, "ledger", "verify")
	if err != nil || !strings.Contains(out, "OK") {
		t.Fatalf("verify after seed: %v\n%s", err, out)
	}
	before := out
	// The bank's currency exposure: no exchange yet, so every position is flat.
	out, err = runCmd(t, env, "ledger", "fx")
	if err != nil || strings.Count(out, "0.00") < 6 || !strings.Contains(out, "EUR") || !strings.Contains(out, "GBP") ||
		!strings.Contains(out, "net, in USD at mid: 0.00 (rates simulated") {
		t.Fatalf("ledger fx: %v\n%s", err, out)
	}
	out, err = runCmd(t, env, "seed", "--demo")
	if err != nil || !strings.Contains(out, "already present") {
		t.Fatalf("second seed: %v\n%s", err, out)
	}
	if out, _ = runCmd(t, env, "ledger", "verify"); out != before {
		t.Fatalf("the second seed changed the ledger:\n%s\nvs\n%s", before, out)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "bankapp.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE accounts SET balance = balance + 1 WHERE type = 'savings' AND rowid = (SELECT MIN(rowid) FROM accounts WHERE type = 'savings')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out, err = runCmd(t, env, "ledger", "verify")
	if code, ok := err.(exitCode); !ok || code != 1 || !strings.Contains(out, "balance_mismatch") {
		t.Fatalf("verify after tampering: %v\n%s", err, out)
	}
	if _, err := runCmd(t, map[string]string{"BANKAPP_ENV": "production"}, "seed", "--demo"); err == nil {
		t.Fatal("seed ran with production config")
	}
}

func TestAdminCreate(t *testing.T) {
	env := map[string]string{"BANKAPP_DATA_DIR": t.TempDir()}
	if out, err := runCmd(t, env, "admin", "create", "--email", "Root@Example.com", "--password", "short"); err == nil {
		t.Fatalf("weak password accepted: %s", out)
	}
	out, err := runCmd(t, env, "admin", "create", "--email", "Root@Example.com", "--password", "a-very-long-admin-pass")
	if err != nil || !strings.Contains(out, "created admin root@example.com") {
		t.Fatalf("create: %v %s", err, out)
	}
	out, err = runCmd(t, env, "admin", "create", "--email", "root@example.com")
	if err != nil || !strings.Contains(out, "promoted") {
		t.Fatalf("promote: %v %s", err, out)
	}
	if _, err := runCmd(t, env, "bogus"); err == nil {
		t.Fatal("unknown command accepted")
	}
	if out, err := runCmd(t, env, "migrate", "status"); err != nil || !strings.Contains(out, "applied") {
		t.Fatalf("migrate status: %v %s", err, out)
	}
	if out, err := runCmd(t, env, "jobs", "dead"); err != nil || !strings.Contains(out, "0 dead jobs") {
		t.Fatalf("jobs dead: %v %s", err, out)
	}
	if out, err := runCmd(t, env, "jobs", "requeue", "no-such-job"); err == nil {
		t.Fatalf("requeue of a missing job succeeded: %s", out)
	}
}
