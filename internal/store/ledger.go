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
	"github.com/bankapp/bankapp/internal/fx"
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
// postings; that only a recorded conversion spans currencies, each
// conversion recomputes under fx.Verify and matches its postings (and an
// exchange its quote), and each position account equals the sum of the
// conversions that moved it; that every order's fill recomputes and matches
// its transfer, and the settlement accounts back the holdings. It reads the
// primary, not the replica.
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
		// Per currency: an exchange's four postings sum to zero in each of
		// its two currencies (the posting's currency is its account's, which
		// currency_mismatch checks).
		{"unbalanced_transfer", `SELECT transfer_id, currency || ' postings sum to ' || CAST(SUM(amount) AS TEXT)
			FROM postings GROUP BY transfer_id, currency HAVING SUM(amount) <> 0`},
		// Only a transfer with a recorded conversion (an exchange, an order
		// that converts) may post in another currency than its own.
		{"transfer_currency_mismatch", `SELECT DISTINCT p.transfer_id, 'a ' || t.kind || ' in ' || t.currency || ' posts ' || p.currency || ' without a recorded conversion'
			FROM postings p JOIN transfers t ON t.id = p.transfer_id LEFT JOIN fx_conversions x ON x.transfer_id = p.transfer_id
			WHERE p.currency <> t.currency AND x.transfer_id IS NULL`},
		// The bank's position in a currency is what customers sold it in
		// that currency less what they bought from it.
		{"position_mismatch", `SELECT a.id, 'balance ' || CAST(a.balance AS TEXT) || ' but the conversions that moved it sum to ' || CAST(COALESCE(x.net, 0) AS TEXT)
			FROM accounts a LEFT JOIN (SELECT cur, SUM(v) AS net FROM (
					SELECT sell_currency AS cur, sell_amount AS v FROM fx_conversions
					UNION ALL SELECT buy_currency, -buy_amount FROM fx_conversions) m GROUP BY cur) x ON x.cur = a.currency
			WHERE a.type = 'system' AND a.id = 'system:fx_position:' || a.currency AND a.balance <> COALESCE(x.net, 0)`},
		// Each conversion pays the sell amount into its sell currency's
		// position and the buy amount out of its buy currency's, in its own
		// transfer; nothing else touches a position account.
		{"fx_posting_mismatch", `SELECT x.transfer_id, 'the conversion of ' || CAST(x.sell_amount AS TEXT) || ' ' || x.sell_currency || ' for ' ||
				CAST(x.buy_amount AS TEXT) || ' ' || x.buy_currency || ' posts ' ||
				CAST(COALESCE((SELECT SUM(p.amount) FROM postings p WHERE p.transfer_id = x.transfer_id AND p.account_id = 'system:fx_position:' || x.sell_currency), 0) AS TEXT) ||
				' and ' || CAST(COALESCE((SELECT SUM(p.amount) FROM postings p WHERE p.transfer_id = x.transfer_id AND p.account_id = 'system:fx_position:' || x.buy_currency), 0) AS TEXT) ||
				' on the position accounts'
			FROM fx_conversions x
			WHERE COALESCE((SELECT SUM(p.amount) FROM postings p WHERE p.transfer_id = x.transfer_id AND p.account_id = 'system:fx_position:' || x.sell_currency), 0) <> x.sell_amount
				OR COALESCE((SELECT SUM(p.amount) FROM postings p WHERE p.transfer_id = x.transfer_id AND p.account_id = 'system:fx_position:' || x.buy_currency), 0) <> -x.buy_amount
			UNION ALL
			SELECT DISTINCT p.transfer_id, 'moves a position account without a recorded conversion'
			FROM postings p LEFT JOIN fx_conversions x ON x.transfer_id = p.transfer_id
			WHERE p.account_id LIKE 'system:fx\_position:%' ESCAPE '\' AND x.transfer_id IS NULL`},
		// An exchange moved exactly what its quote said, between the
		// quote's accounts, and its quote names it.
		{"exchange_quote_mismatch", `SELECT x.transfer_id, 'the exchange does not match its quote ' || COALESCE(x.quote_id, '(none)')
			FROM fx_conversions x LEFT JOIN fx_quotes q ON q.id = x.quote_id
			WHERE x.kind = 'exchange' AND (q.id IS NULL OR COALESCE(q.exchange_id, '') <> x.transfer_id
				OR q.quoted_by <> x.quoted_by OR q.rate <> x.rate OR q.mid_rate <> x.mid_rate OR q.fee <> x.fee
				OR q.sell_amount <> x.sell_amount OR q.sell_currency <> x.sell_currency
				OR q.buy_amount <> x.buy_amount OR q.buy_currency <> x.buy_currency
				OR COALESCE((SELECT SUM(p.amount) FROM postings p WHERE p.transfer_id = x.transfer_id AND p.account_id = q.from_account_id), 0) <> -x.sell_amount
				OR COALESCE((SELECT SUM(p.amount) FROM postings p WHERE p.transfer_id = x.transfer_id AND p.account_id = q.to_account_id), 0) <> x.buy_amount)`},
		{"too_few_postings", `SELECT t.id, CAST(COUNT(p.seq) AS TEXT) || ' postings'
			FROM transfers t LEFT JOIN postings p ON p.transfer_id = t.id
			GROUP BY t.id HAVING COUNT(p.seq) < 2`},
		{"currency_mismatch", `SELECT p.transfer_id, 'posting in ' || p.currency || ' on a ' || a.currency || ' account'
			FROM postings p JOIN accounts a ON a.id = p.account_id WHERE p.currency <> a.currency`},
		{"negative_balance", `SELECT id, 'balance ' || CAST(balance AS TEXT) FROM accounts WHERE type <> 'system' AND balance < 0`},
		{"day_total_mismatch", `SELECT COALESCE(s.user_id, d.user_id) || ' ' || COALESCE(s.kind, d.kind) || ' ' || COALESCE(s.currency, d.currency) || ' day ' || CAST(COALESCE(s.day, d.day) AS TEXT),
			'movements sum to ' || CAST(COALESCE(s.total, 0) AS TEXT) || ' but the day total is ' || CAST(COALESCE(d.total, 0) AS TEXT)
			FROM (SELECT created_by AS user_id, CASE kind WHEN 'exchange' THEN 'transfer' ELSE kind END AS kind, currency,
					created_at / 86400000000 AS day, SUM(amount) AS total
				FROM transfers WHERE kind IN ('deposit', 'transfer', 'exchange') AND created_by IS NOT NULL AND created_at >= $1
				GROUP BY created_by, CASE kind WHEN 'exchange' THEN 'transfer' ELSE kind END, currency, created_at / 86400000000) s
			FULL JOIN (SELECT * FROM day_totals WHERE day >= $2) d ON d.user_id = s.user_id AND d.kind = s.kind AND d.currency = s.currency AND d.day = s.day
			WHERE COALESCE(s.total, 0) <> COALESCE(d.total, 0)`},
		// An order's transfer moves its total through the settlement account
		// of the order's (the instrument's) currency; on the account it moves
		// the total, or for an order that converts the converted amount, and
		// the conversion's instrument side is the total.
		{"order_transfer_mismatch", `SELECT o.id, 'order total ' || CAST(o.total AS TEXT) || ' ' || o.currency || ' but its transfer moved ' ||
				CAST(t.amount AS TEXT) || ' ' || t.currency || ' and ' || CAST(COALESCE(s.amount, 0) AS TEXT) || ' on settlement'
			FROM orders o JOIN transfers t ON t.id = o.transfer_id LEFT JOIN fx_conversions x ON x.transfer_id = o.transfer_id
			LEFT JOIN (SELECT transfer_id, account_id, SUM(amount) AS amount FROM postings GROUP BY transfer_id, account_id) s
				ON s.transfer_id = o.transfer_id AND s.account_id = 'system:settlement:' || o.currency
			WHERE t.amount <> CASE WHEN x.transfer_id IS NULL THEN o.total WHEN o.side = 'buy' THEN x.sell_amount ELSE x.buy_amount END
				OR COALESCE(s.amount, 0) <> CASE o.side WHEN 'buy' THEN o.total ELSE -o.total END
				OR (o.side = 'buy' AND x.transfer_id IS NOT NULL AND (x.buy_amount <> o.total OR x.buy_currency <> o.currency))
				OR (o.side = 'sell' AND x.transfer_id IS NOT NULL AND (x.sell_amount <> o.total OR x.sell_currency <> o.currency))`},
		// The settlement account holds, per currency, what customers paid for
		// the positions they hold less what sells paid out beyond cost:
		// buys add their total to it and to the cost basis; a sell takes its
		// proceeds from it, removes cost and books proceeds - cost as
		// realized P&L. So settlement = sum of (cost basis - realized P&L)
		// over the holdings whose cost is in that currency (the instrument's,
		// whatever the account's).
		{"settlement_mismatch", `SELECT a.id, 'balance ' || CAST(a.balance AS TEXT) || ' but the holdings it backs account for ' || CAST(COALESCE(h.net, 0) AS TEXT)
			FROM accounts a LEFT JOIN (SELECT COALESCE(NULLIF(h.currency, ''), c.currency) AS currency, SUM(h.cost_basis - h.realized_pl) AS net
				FROM holdings h JOIN accounts c ON c.id = h.account_id GROUP BY COALESCE(NULLIF(h.currency, ''), c.currency)) h ON h.currency = a.currency
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
	if err := verifyConversions(ctx, q, &rep); err != nil {
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

// verifyConversions recomputes every conversion (exchange or order) from
// its stored direction, amounts and rates with fx.Verify: an amount rounded
// the customer's way, a rate above mid or a wrong fee is a problem.
func verifyConversions(ctx context.Context, q *sql.DB, rep *ledger.Report) error {
	rows, err := q.QueryContext(ctx, `SELECT transfer_id, quoted_by, sell_amount, sell_currency, buy_amount, buy_currency, rate, mid_rate, fee
		FROM fx_conversions`)
	if err != nil {
		return fmt.Errorf("store: verify conversions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var x fxColumns
		if err := rows.Scan(&id, &x.by, &x.sell, &x.sellCur, &x.buy, &x.buyCur, &x.rate, &x.mid, &x.fee); err != nil {
			return fmt.Errorf("store: verify conversions: %w", err)
		}
		e, err := x.exchange()
		switch {
		case err == nil && e == nil:
			err = fmt.Errorf("no direction")
		case err == nil:
			err = fx.Verify(*e)
		}
		if err != nil {
			rep.Problems = append(rep.Problems, ledger.Problem{Kind: "fx_rounding", Ref: id, Detail: err.Error()})
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
