package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/invest"
	"github.com/bankapp/bankapp/internal/ledger"
)

const accountColumns = `id, COALESCE(owner_id, ''), COALESCE(number, ''), type, currency, name, balance, status, created_at`

func scanAccount(row interface{ Scan(...any) error }) (ledger.Account, error) {
	var a ledger.Account
	var cur string
	var created int64
	err := row.Scan(&a.ID, &a.OwnerID, &a.Number, &a.Type, &cur, &a.Name, &a.Balance, &a.Status, &created)
	a.Currency = ledger.Currency(cur)
	a.CreatedAt = fromMicros(created)
	return a, err
}

// placeholders returns "$from, $from+1, …" for n arguments.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(from + i))
	}
	return b.String()
}

// LockAccounts implements ledger.Tx: it reads the accounts ordered by id and,
// on PostgreSQL, locks them in that order, so two transfers over the same
// accounts always queue instead of deadlocking.
func (tx *Tx) LockAccounts(ctx context.Context, ids []string) ([]ledger.Account, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	q := `SELECT ` + accountColumns + ` FROM accounts WHERE id IN (` + placeholders(1, len(ids)) + `) ORDER BY id` + tx.dialect.forUpdate() // #nosec G202 -- only constant columns and $n placeholders are joined; ids are bound parameters
	rows, err := tx.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: lock accounts: %w", err)
	}
	defer rows.Close()
	var out []ledger.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("store: lock accounts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// InsertTransfers implements ledger.Tx: one multi-row insert for the
// transfers and one for their postings (chunked to stay under parameter
// limits).
func (tx *Tx) InsertTransfers(ctx context.Context, ts []*ledger.Transfer, entries []ledger.Entry) error {
	const tcols = 9
	for _, chunk := range chunks(len(ts), 500/tcols*10) {
		args := make([]any, 0, (chunk[1]-chunk[0])*tcols)
		var b strings.Builder
		b.WriteString(`INSERT INTO transfers (id, kind, currency, amount, from_account_id, to_account_id, description, created_by, created_at) VALUES `)
		for i, t := range ts[chunk[0]:chunk[1]] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(" + placeholders(i*tcols+1, tcols) + ")")
			args = append(args, t.ID, t.Kind, string(t.Currency), t.Amount, nullable(t.FromAccount), nullable(t.ToAccount), t.Description, nullable(t.CreatedBy), micros(t.CreatedAt))
		}
		if _, err := tx.tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("store: insert transfers: %w", err)
		}
	}
	const pcols = 6
	for _, chunk := range chunks(len(entries), 800/pcols*10) {
		args := make([]any, 0, (chunk[1]-chunk[0])*pcols)
		var b strings.Builder
		b.WriteString(`INSERT INTO postings (transfer_id, account_id, amount, currency, balance_after, created_at) VALUES `)
		for i, e := range entries[chunk[0]:chunk[1]] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(" + placeholders(i*pcols+1, pcols) + ")")
			args = append(args, e.TransferID, e.AccountID, e.Amount, string(e.Currency), e.BalanceAfter, micros(e.CreatedAt))
		}
		if _, err := tx.tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("store: insert postings: %w", err)
		}
	}
	return nil
}

// chunks splits n items into [from, to) ranges of at most size.
func chunks(n, size int) [][2]int {
	var out [][2]int
	for i := 0; i < n; i += size {
		out = append(out, [2]int{i, min(i+size, n)})
	}
	return out
}

// SetBalances implements ledger.Tx: one statement for any number of
// accounts.
func (tx *Tx) SetBalances(ctx context.Context, balances map[string]int64) error {
	if len(balances) == 0 {
		return nil
	}
	ids := make([]string, 0, len(balances))
	for id := range balances {
		ids = append(ids, id)
	}
	slices.Sort(ids) // the same order as the locks
	var b strings.Builder
	args := make([]any, 0, 2*len(ids))
	b.WriteString(`UPDATE accounts SET balance = CASE id`)
	for _, id := range ids {
		args = append(args, id, balances[id])
		fmt.Fprintf(&b, " WHEN $%d THEN CAST($%d AS BIGINT)", len(args)-1, len(args))
	}
	b.WriteString(" END WHERE id IN (")
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		args = append(args, id)
		fmt.Fprintf(&b, "$%d", len(args))
	}
	b.WriteString(")")
	if _, err := tx.tx.ExecContext(ctx, b.String(), args...); err != nil {
		return fmt.Errorf("store: set balances: %w", err)
	}
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// VerifyLedger re-derives every balance from the postings and checks every
// transfer sums to zero per currency, every posting's currency matches its
// account, no customer balance is negative, and each transfer has at least two
// postings. It reads the primary, not the replica.
func (db *DB) VerifyLedger(ctx context.Context) (ledger.Report, error) {
	var rep ledger.Report
	q := db.w
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts`).Scan(&rep.AccountsChecked); err != nil {
		return rep, fmt.Errorf("store: verify: %w", err)
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM transfers`).Scan(&rep.TransfersChecked); err != nil {
		return rep, fmt.Errorf("store: verify: %w", err)
	}
	// Day totals are kept for the last bank.DayTotalsKept days (the cleanup job
	// deletes older ones), so those are the days checked.
	firstDay := bank.DayOf(db.Now()) - (bank.DayTotalsKept - 1)
	args := map[string][]any{"day_total_mismatch": {firstDay * 86_400_000_000, firstDay}}
	checks := []struct {
		kind, query string
	}{
		{"balance_mismatch", `SELECT a.id, 'balance ' || CAST(a.balance AS TEXT) || ' but postings sum to ' || CAST(COALESCE(SUM(p.amount), 0) AS TEXT)
			FROM accounts a LEFT JOIN postings p ON p.account_id = a.id
			GROUP BY a.id, a.balance HAVING a.balance <> COALESCE(SUM(p.amount), 0)`},
		{"unbalanced_transfer", `SELECT transfer_id, currency || ' postings sum to ' || CAST(SUM(amount) AS TEXT)
			FROM postings GROUP BY transfer_id, currency HAVING SUM(amount) <> 0`},
		{"too_few_postings", `SELECT t.id, CAST(COUNT(p.seq) AS TEXT) || ' postings'
			FROM transfers t LEFT JOIN postings p ON p.transfer_id = t.id
			GROUP BY t.id HAVING COUNT(p.seq) < 2`},
		{"currency_mismatch", `SELECT p.transfer_id, 'posting in ' || p.currency || ' on a ' || a.currency || ' account'
			FROM postings p JOIN accounts a ON a.id = p.account_id WHERE p.currency <> a.currency`},
		{"negative_balance", `SELECT id, 'balance ' || CAST(balance AS TEXT) FROM accounts WHERE type <> 'system' AND balance < 0`},
		{"day_total_mismatch", `SELECT COALESCE(s.user_id, d.user_id) || ' ' || COALESCE(s.kind, d.kind) || ' ' || COALESCE(s.currency, d.currency) || ' day ' || CAST(COALESCE(s.day, d.day) AS TEXT),
			'movements sum to ' || CAST(COALESCE(s.total, 0) AS TEXT) || ' but the day total is ' || CAST(COALESCE(d.total, 0) AS TEXT)
			FROM (SELECT created_by AS user_id, kind, currency, created_at / 86400000000 AS day, SUM(amount) AS total
				FROM transfers WHERE kind IN ('deposit', 'transfer') AND created_by IS NOT NULL AND created_at >= $1
				GROUP BY created_by, kind, currency, created_at / 86400000000) s
			FULL JOIN (SELECT * FROM day_totals WHERE day >= $2) d ON d.user_id = s.user_id AND d.kind = s.kind AND d.currency = s.currency AND d.day = s.day
			WHERE COALESCE(s.total, 0) <> COALESCE(d.total, 0)`},
		{"order_transfer_mismatch", `SELECT o.id, 'order total ' || CAST(o.total AS TEXT) || ' but its transfer moved ' || CAST(t.amount AS TEXT)
			FROM orders o JOIN transfers t ON t.id = o.transfer_id WHERE t.amount <> o.total`},
		// The settlement account holds, per currency, what customers paid for
		// the positions they hold less what sells paid out beyond cost:
		// buys add their total to it and to the cost basis; a sell takes its
		// proceeds from it, removes cost and books proceeds - cost as
		// realized P&L. So settlement = sum of (cost basis - realized P&L).
		{"settlement_mismatch", `SELECT a.id, 'balance ' || CAST(a.balance AS TEXT) || ' but the holdings it backs account for ' || CAST(COALESCE(h.net, 0) AS TEXT)
			FROM accounts a LEFT JOIN (SELECT c.currency, SUM(h.cost_basis - h.realized_pl) AS net
				FROM holdings h JOIN accounts c ON c.id = h.account_id GROUP BY c.currency) h ON h.currency = a.currency
			WHERE a.type = 'system' AND a.id = 'system:settlement:' || a.currency AND a.balance <> COALESCE(h.net, 0)`},
		{"balance_after_mismatch", `SELECT p.account_id, 'last balance_after ' || CAST(p.balance_after AS TEXT) || ' but balance ' || CAST(a.balance AS TEXT)
			FROM postings p JOIN accounts a ON a.id = p.account_id
			WHERE p.seq = (SELECT MAX(seq) FROM postings WHERE account_id = p.account_id) AND p.balance_after <> a.balance`},
	}
	for _, c := range checks {
		if err := collectProblems(ctx, q, c.kind, c.query, &rep, args[c.kind]...); err != nil {
			return rep, err
		}
	}
	if err := verifyFills(ctx, q, &rep); err != nil {
		return rep, err
	}
	rep.OK = len(rep.Problems) == 0
	return rep, nil
}

// verifyFills recomputes every order's cash total from its stored quantity
// and price with the rounding rule it was filled under (invest.FillTotal):
// a fill rounded the customer's way is a problem.
func verifyFills(ctx context.Context, q *sql.DB, rep *ledger.Report) error {
	rows, err := q.QueryContext(ctx, `SELECT id, side, quantity, price, total, currency, rounding FROM orders`)
	if err != nil {
		return fmt.Errorf("store: verify fills: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, side, qty, price, cur, rule string
		var total int64
		if err := rows.Scan(&id, &side, &qty, &price, &total, &cur, &rule); err != nil {
			return fmt.Errorf("store: verify fills: %w", err)
		}
		q, qerr := decimal.NewFromString(qty)
		p, perr := decimal.NewFromString(price)
		want, ok := invest.FillTotal(side, rule, q, p, ledger.Currency(cur))
		switch {
		case qerr != nil || perr != nil || !ok || (rule != invest.RoundBank && rule != invest.RoundHalfEven):
			rep.Problems = append(rep.Problems, ledger.Problem{Kind: "fill_rounding", Ref: id,
				Detail: fmt.Sprintf("cannot recompute %s × %s under rule %q", qty, price, rule)})
		case want != total:
			rep.Problems = append(rep.Problems, ledger.Problem{Kind: "fill_rounding", Ref: id,
				Detail: fmt.Sprintf("%s %s × %s is %s under rule %s but the order moved %s", side, qty, price,
					ledger.FormatMinor(want, ledger.Currency(cur).Digits()), rule, ledger.FormatMinor(total, ledger.Currency(cur).Digits()))})
		}
	}
	return rows.Err()
}

func collectProblems(ctx context.Context, q *sql.DB, kind, query string, rep *ledger.Report, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: verify %s: %w", kind, err)
	}
	defer rows.Close()
	for rows.Next() {
		p := ledger.Problem{Kind: kind}
		if err := rows.Scan(&p.Ref, &p.Detail); err != nil {
			return fmt.Errorf("store: verify %s: %w", kind, err)
		}
		rep.Problems = append(rep.Problems, p)
	}
	return rows.Err()
}
