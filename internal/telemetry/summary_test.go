package telemetry

import "testing"

func TestSummarizeSQL(t *testing.T) {
	cases := []struct{ sql, op, table string }{
		{"SELECT id, balance FROM accounts WHERE id = $1", "SELECT", "accounts"},
		{"select a.id from public.accounts a join users u on u.id = a.user_id", "SELECT", "public.accounts"},
		{`SELECT * FROM "Transfers" WHERE id = $1`, "SELECT", "Transfers"},
		{"SELECT count(*) FROM (SELECT 1 FROM postings) p", "SELECT", ""},
		{"SELECT extract(year FROM created_at), x FROM statements", "SELECT", "statements"},
		{"SELECT 1", "SELECT", ""},
		{"SELECT 'FROM secrets', x FROM users", "SELECT", "users"},
		{"SELECT 'it''s', x FROM users", "SELECT", "users"},
		{"  -- leading comment FROM nothing\n  /* block FROM nothing */ INSERT INTO postings (a, b) VALUES ($1, 'x')", "INSERT", "postings"},
		{"INSERT INTO idempotency_keys(key) VALUES ($1) ON CONFLICT DO NOTHING", "INSERT", "idempotency_keys"},
		{"UPDATE accounts SET balance = balance + $1 WHERE id = $2", "UPDATE", "accounts"},
		{"update only accounts set x = 1", "UPDATE", "accounts"},
		{"DELETE FROM sessions WHERE expires_at < now()", "DELETE", "sessions"},
		{"WITH t AS (SELECT * FROM transfers), u AS MATERIALIZED (SELECT 1) UPDATE day_totals d SET x = t.x FROM t", "UPDATE", "day_totals"},
		{"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r) SELECT n FROM r", "SELECT", "r"},
		{"begin isolation level serializable", "BEGIN", ""},
		{"commit", "COMMIT", ""},
		{"SELECT pg_advisory_xact_lock($1)", "SELECT", ""},
		{"", "", ""},
		{"   ", "", ""},
		{"(SELECT 1)", "", ""},
		{"SELECT x FROM 42", "SELECT", ""},
	}
	for _, c := range cases {
		op, table := summarizeSQL(c.sql)
		if op != c.op || table != c.table {
			t.Errorf("%q: %q %q, want %q %q", c.sql, op, table, c.op, c.table)
		}
	}
}

func FuzzSummarizeSQL(f *testing.F) {
	f.Add("SELECT a FROM b WHERE c = 'd'")
	f.Add("/* x */ WITH a AS (SELECT 1) INSERT INTO t VALUES (1)")
	f.Fuzz(func(t *testing.T, q string) {
		op, table := summarizeSQL(q)
		if len(op) > len(q) || len(table) > len(q) {
			t.Fatalf("%q: %q %q", q, op, table)
		}
	})
}
