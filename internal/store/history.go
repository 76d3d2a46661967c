package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
)

// entryKindCondition maps a contract entry kind to transfer kind and sign.
var entryKindCondition = map[string]string{
	"deposit":      "t.kind = 'deposit'",
	"withdrawal":   "t.kind = 'withdrawal'",
	"transfer_in":  "t.kind = 'transfer' AND p.amount > 0",
	"transfer_out": "t.kind = 'transfer' AND p.amount < 0",
	"trade_buy":    "t.kind = 'trade' AND p.amount < 0",
	"trade_sell":   "t.kind = 'trade' AND p.amount > 0",
	"fee":          "t.kind = 'fee'",
	"interest":     "t.kind = 'interest'",
	"exchange_out": "t.kind = 'exchange' AND p.amount < 0",
	"exchange_in":  "t.kind = 'exchange' AND p.amount > 0",
}

// ValidEntryKind reports whether k is a contract entry kind.
func ValidEntryKind(k string) bool { _, ok := entryKindCondition[k]; return ok }

// History pages the postings of one account, newest first (or oldest first
// with Ascending). The caller has checked the account belongs to the user.
// It reads the replica when one is configured.
func (db *DB) History(ctx context.Context, accountID string, f bank.HistoryFilter) ([]bank.HistoryEntry, error) {
	return history(ctx, db.reader(ctx), accountID, f)
}

func history(ctx context.Context, q querier, accountID string, f bank.HistoryFilter) ([]bank.HistoryEntry, error) {
	args := []any{accountID}
	where := []string{"p.account_id = $1"}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "$?", fmt.Sprintf("$%d", len(args))))
	}
	if !f.From.IsZero() {
		add("p.created_at >= $?", micros(f.From))
	}
	if !f.To.IsZero() {
		add("p.created_at < $?", micros(f.To))
	}
	if f.BeforeSeq > 0 {
		add("p.seq < $?", f.BeforeSeq)
	}
	if f.AfterSeq > 0 {
		add("p.seq > $?", f.AfterSeq)
	}
	if c, ok := entryKindCondition[f.Kind]; ok {
		where = append(where, c)
	}
	if f.Query != "" {
		args = append(args, "%"+likeEscape(strings.ToLower(f.Query))+"%")
		n := len(args)
		where = append(where, fmt.Sprintf(`(lower(t.description) LIKE $%d ESCAPE '\' OR lower(COALESCE(cu.full_name, '')) LIKE $%d ESCAPE '\' OR COALESCE(ca.number, '') LIKE $%d ESCAPE '\')`, n, n, n))
	}
	order := "DESC"
	if f.Ascending {
		order = "ASC"
	}
	args = append(args, f.Limit)
	// #nosec G202 -- only constant SQL fragments and $n placeholders are joined; values are bound parameters
	query := `SELECT p.seq, p.transfer_id, t.kind, p.amount, p.currency, p.balance_after, t.description, p.created_at,
			COALESCE(cu.full_name, ''), COALESCE(ca.number, ''), COALESCE(ca.id, '')
		FROM postings p
		JOIN transfers t ON t.id = p.transfer_id
		LEFT JOIN (SELECT cp.transfer_id, ca.id, ca.number, ca.owner_id FROM postings cp
			JOIN accounts ca ON ca.id = cp.account_id AND ca.type <> 'system') ca
			ON ca.transfer_id = p.transfer_id AND ca.id <> p.account_id
		LEFT JOIN users cu ON cu.id = ca.owner_id
		WHERE ` + strings.Join(where, " AND ") + fmt.Sprintf(` ORDER BY p.seq %s LIMIT $%d`, order, len(args))
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: history: %w", err)
	}
	defer rows.Close()
	var out []bank.HistoryEntry
	for rows.Next() {
		var e bank.HistoryEntry
		var at int64
		if err := rows.Scan(&e.Seq, &e.TransferID, &e.TransferKind, &e.Amount, &e.Currency, &e.BalanceAfter, &e.Description, &at,
			&e.CounterpartyName, &e.CounterpartyNumber, &e.CounterpartyAccount); err != nil {
			return nil, fmt.Errorf("store: history: %w", err)
		}
		e.CreatedAt = fromMicros(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// BalanceBefore is the account's balance just before t (0 if no posting).
func (db *DB) BalanceBefore(ctx context.Context, accountID string, t time.Time) (int64, int64, error) {
	var bal, seq int64
	err := db.reader(ctx).QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM postings WHERE account_id = $1 AND created_at < $2`, accountID, micros(t)).Scan(&seq)
	if err != nil {
		return 0, 0, fmt.Errorf("store: balance before: %w", err)
	}
	if seq == 0 {
		return 0, 0, nil
	}
	if err := db.reader(ctx).QueryRowContext(ctx, `SELECT balance_after FROM postings WHERE seq = $1`, seq).Scan(&bal); err != nil {
		return 0, 0, fmt.Errorf("store: balance before: %w", err)
	}
	return bal, seq, nil
}

const transferViewColumns = `t.id, t.kind, t.currency, t.amount, COALESCE(t.from_account_id, ''), COALESCE(t.to_account_id, ''),
	t.description, COALESCE(t.created_by, ''), t.created_at, COALESCE(ta.number, ''), COALESCE(fa.owner_id, ''), COALESCE(ta.owner_id, '')`

func scanTransferView(row interface{ Scan(...any) error }) (bank.TransferView, error) {
	var v bank.TransferView
	var cur string
	var at int64
	err := row.Scan(&v.ID, &v.Kind, &cur, &v.Amount, &v.FromAccount, &v.ToAccount, &v.Description, &v.CreatedBy, &at,
		&v.ToAccountNumber, &v.FromOwner, &v.ToOwner)
	v.Currency = ledger.Currency(cur)
	v.CreatedAt = fromMicros(at)
	return v, err
}

// TransfersOfUser pages the transfers where the user owns either side,
// newest first; cursor is the last transfer id seen (ids are time-ordered).
func (db *DB) TransfersOfUser(ctx context.Context, userID, cursor string, limit int) ([]bank.TransferView, error) {
	args := []any{userID, limit}
	cond := ""
	if cursor != "" {
		args = append(args, cursor)
		cond = " AND t.id < $3"
	}
	rows, err := db.reader(ctx).QueryContext(ctx, `SELECT `+transferViewColumns+` FROM transfers t
		LEFT JOIN accounts fa ON fa.id = t.from_account_id
		LEFT JOIN accounts ta ON ta.id = t.to_account_id
		WHERE t.id IN (
			SELECT t2.id FROM transfers t2 JOIN accounts a ON a.id = t2.from_account_id WHERE a.owner_id = $1
			UNION SELECT t3.id FROM transfers t3 JOIN accounts b ON b.id = t3.to_account_id WHERE b.owner_id = $1)`+cond+`
		ORDER BY t.id DESC LIMIT $2`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: transfers: %w", err)
	}
	defer rows.Close()
	var out []bank.TransferView
	for rows.Next() {
		v, err := scanTransferView(rows)
		if err != nil {
			return nil, fmt.Errorf("store: transfers: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// TransferOfUser returns one transfer if the user owns either side.
func (db *DB) TransferOfUser(ctx context.Context, userID, id string) (bank.TransferView, error) {
	v, err := scanTransferView(db.w.QueryRowContext(ctx, `SELECT `+transferViewColumns+` FROM transfers t
		LEFT JOIN accounts fa ON fa.id = t.from_account_id
		LEFT JOIN accounts ta ON ta.id = t.to_account_id
		WHERE t.id = $1 AND (fa.owner_id = $2 OR ta.owner_id = $2)`, id, userID))
	if err != nil {
		return v, notFound("transfer")
	}
	return v, nil
}

// BalancesDuring returns the account's balance before from and its balance
// after each posting in [from, to), in posting order, read in the
// transaction (the primary), so nothing committed before is missed.
func (tx *Tx) BalancesDuring(ctx context.Context, accountID string, from, to time.Time) (int64, []bank.BalancePoint, error) {
	var opening sql.NullInt64
	err := tx.tx.QueryRowContext(ctx, `SELECT balance_after FROM postings WHERE account_id = $1 AND created_at < $2
		ORDER BY seq DESC LIMIT 1`, accountID, micros(from)).Scan(&opening)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, nil, fmt.Errorf("store: opening balance: %w", err)
	}
	rows, err := tx.tx.QueryContext(ctx, `SELECT created_at, balance_after FROM postings
		WHERE account_id = $1 AND created_at >= $2 AND created_at < $3 ORDER BY seq`, accountID, micros(from), micros(to))
	if err != nil {
		return 0, nil, fmt.Errorf("store: balances: %w", err)
	}
	defer rows.Close()
	var out []bank.BalancePoint
	for rows.Next() {
		var at int64
		var p bank.BalancePoint
		if err := rows.Scan(&at, &p.Balance); err != nil {
			return 0, nil, fmt.Errorf("store: balances: %w", err)
		}
		p.At = fromMicros(at)
		out = append(out, p)
	}
	return opening.Int64, out, rows.Err()
}

// EntriesDuring returns the account's postings in [from, to), oldest first,
// with the customer on the other side, read in the transaction (the
// statements job, which must not wait for a second connection while it
// holds one: SQLite has a single writer connection).
func (tx *Tx) EntriesDuring(ctx context.Context, accountID string, from, to time.Time) ([]bank.HistoryEntry, error) {
	return history(ctx, tx.tx, accountID, bank.HistoryFilter{From: from, To: to, Ascending: true, Limit: 1_000_000})
}
