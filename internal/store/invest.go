package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bankapp/bankapp/internal/fx"
	"github.com/bankapp/bankapp/internal/invest"
	"github.com/bankapp/bankapp/internal/ledger"
)

// Quantities and prices are stored as exact decimal TEXT (see
// migrations/00004_invest.sql for why not BIGINT units).

func investDecimal(s, what string) (decimal.Decimal, error) {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return d, fmt.Errorf("store: stored %s %q: %w", what, s, err)
	}
	return d, nil
}

// HoldingForUpdate implements invest.Tx: it returns and (on PostgreSQL)
// locks the holding row; a holding not stored yet is returned with zero
// quantity. Callers lock the account row first (see docs/investing.md).
func (tx *Tx) HoldingForUpdate(ctx context.Context, accountID, symbol string) (invest.Holding, error) {
	hs, err := holdingsWhere(ctx, tx.tx, `account_id = $1 AND symbol = $2`+tx.dialect.forUpdate(), accountID, symbol)
	if err != nil {
		return invest.Holding{}, err
	}
	if len(hs) == 0 {
		return invest.Holding{AccountID: accountID, Symbol: symbol}, nil
	}
	return hs[0], nil
}

// PutHolding implements invest.Tx.
func (tx *Tx) PutHolding(ctx context.Context, h invest.Holding) error {
	// A holding without a currency is in its account's (every holding
	// before orders could convert).
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO holdings (account_id, symbol, quantity, cost_basis, realized_pl, updated_at, currency)
		VALUES ($1, $2, $3, $4, $5, $6, COALESCE(NULLIF($7, ''), (SELECT currency FROM accounts WHERE id = $1)))
		ON CONFLICT (account_id, symbol) DO UPDATE SET quantity = excluded.quantity, cost_basis = excluded.cost_basis,
			realized_pl = excluded.realized_pl, updated_at = excluded.updated_at, currency = excluded.currency`,
		h.AccountID, h.Symbol, invest.FormatQuantity(h.Quantity), h.CostBasis, h.RealizedPL, micros(h.UpdatedAt), string(h.Currency))
	if err != nil {
		return fmt.Errorf("store: put holding: %w", err)
	}
	return nil
}

// HoldingsByAccounts lists the holdings of the accounts (zero quantities
// included, for their realized P&L), by account and symbol. Callers pass
// only accounts the user owns.
func (db *DB) HoldingsByAccounts(ctx context.Context, accountIDs []string) ([]invest.Holding, error) {
	if len(accountIDs) == 0 {
		return nil, nil
	}
	return holdingsWhere(ctx, db.w, `account_id IN (`+placeholders(1, len(accountIDs))+`) ORDER BY account_id, symbol`, investArgs(accountIDs)...)
}

func holdingsWhere(ctx context.Context, q querier, where string, args ...any) ([]invest.Holding, error) {
	rows, err := q.QueryContext(ctx, `SELECT account_id, symbol, quantity, cost_basis, realized_pl, updated_at, currency FROM holdings WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: holdings: %w", err)
	}
	defer rows.Close()
	var out []invest.Holding
	for rows.Next() {
		var h invest.Holding
		var qty, cur string
		var at int64
		if err := rows.Scan(&h.AccountID, &h.Symbol, &qty, &h.CostBasis, &h.RealizedPL, &at, &cur); err != nil {
			return nil, fmt.Errorf("store: holdings: %w", err)
		}
		h.Currency = ledger.Currency(cur)
		if h.Quantity, err = investDecimal(qty, "quantity"); err != nil {
			return nil, err
		}
		h.UpdatedAt = fromMicros(at)
		out = append(out, h)
	}
	return out, rows.Err()
}

// fxColumns are an fx_conversions row as LEFT JOINed to another table
// (empty when there is none).
type fxColumns struct {
	by, sellCur, buyCur, rate, mid string
	sell, buy, fee                 int64
}

// exchange is the conversion, or nil when the row had none.
func (x fxColumns) exchange() (*fx.Exchange, error) {
	if x.by == "" {
		return nil, nil
	}
	e := &fx.Exchange{By: fx.By(x.by), Sell: ledger.Amount{Minor: x.sell, Currency: ledger.Currency(x.sellCur)},
		Buy: ledger.Amount{Minor: x.buy, Currency: ledger.Currency(x.buyCur)}, Fee: ledger.Amount{Minor: x.fee, Currency: ledger.Currency(x.sellCur)}}
	var err error
	if e.Rate, err = fx.ParseRate(x.rate); err != nil {
		return nil, err
	}
	if e.Mid, err = fx.ParseRate(x.mid); err != nil {
		return nil, err
	}
	return e, nil
}

// InsertOrder implements invest.Tx and sets o.Seq.
func (tx *Tx) InsertOrder(ctx context.Context, o *invest.Order) error {
	if o.Rounding == "" {
		return fmt.Errorf("store: insert order %s: no rounding rule", o.ID)
	}
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO orders (id, owner_id, account_id, symbol, side, quantity, price, total, currency, realized_pl, transfer_id, created_at, rounding)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING seq`,
		o.ID, o.OwnerID, o.AccountID, o.Symbol, o.Side, invest.FormatQuantity(o.Quantity), o.Price.String(), o.Total,
		string(o.Currency), o.RealizedPL, o.TransferID, micros(o.CreatedAt), o.Rounding).Scan(&o.Seq)
	if err != nil {
		return fmt.Errorf("store: insert order: %w", err)
	}
	return nil
}

// Orders pages the owner's orders, newest first.
func (db *DB) Orders(ctx context.Context, f invest.OrderFilter) ([]invest.Order, error) {
	q := `owner_id = $1`
	args := []any{f.OwnerID}
	if f.AccountID != "" {
		args = append(args, f.AccountID)
		q += ` AND account_id = $` + strconv.Itoa(len(args))
	}
	if f.Before > 0 {
		args = append(args, f.Before)
		q += ` AND seq < $` + strconv.Itoa(len(args))
	}
	args = append(args, f.Limit)
	return ordersWhere(ctx, db.w, q+` ORDER BY seq DESC LIMIT $`+strconv.Itoa(len(args)), args...)
}

// OrdersByAccounts returns every order of the accounts, oldest first (for
// portfolio history). Callers pass only accounts the user owns.
func (db *DB) OrdersByAccounts(ctx context.Context, accountIDs []string) ([]invest.Order, error) {
	if len(accountIDs) == 0 {
		return nil, nil
	}
	return ordersWhere(ctx, db.w, `account_id IN (`+placeholders(1, len(accountIDs))+`) ORDER BY seq`, investArgs(accountIDs)...)
}

func ordersWhere(ctx context.Context, q querier, where string, args ...any) ([]invest.Order, error) {
	// #nosec G202 -- only constant SQL fragments and $n placeholders are joined; values are bound parameters
	rows, err := q.QueryContext(ctx, `SELECT o.seq, o.id, o.owner_id, o.account_id, o.symbol, o.side, o.quantity, o.price, o.total, o.currency,
			o.realized_pl, o.transfer_id, o.created_at, o.rounding, COALESCE(x.quoted_by, ''), COALESCE(x.sell_amount, 0),
			COALESCE(x.sell_currency, ''), COALESCE(x.buy_amount, 0), COALESCE(x.buy_currency, ''), COALESCE(x.rate, ''),
			COALESCE(x.mid_rate, ''), COALESCE(x.fee, 0)
		FROM orders o LEFT JOIN fx_conversions x ON x.transfer_id = o.transfer_id WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: orders: %w", err)
	}
	defer rows.Close()
	var out []invest.Order
	for rows.Next() {
		var o invest.Order
		var qty, price, cur string
		var at int64
		var x fxColumns
		if err := rows.Scan(&o.Seq, &o.ID, &o.OwnerID, &o.AccountID, &o.Symbol, &o.Side, &qty, &price, &o.Total, &cur,
			&o.RealizedPL, &o.TransferID, &at, &o.Rounding, &x.by, &x.sell, &x.sellCur, &x.buy, &x.buyCur, &x.rate, &x.mid, &x.fee); err != nil {
			return nil, fmt.Errorf("store: orders: %w", err)
		}
		if o.FX, err = x.exchange(); err != nil {
			return nil, fmt.Errorf("store: order %s: %w", o.ID, err)
		}
		if o.Quantity, err = investDecimal(qty, "quantity"); err != nil {
			return nil, err
		}
		if o.Price, err = investDecimal(price, "price"); err != nil {
			return nil, err
		}
		o.Currency, o.CreatedAt = ledger.Currency(cur), fromMicros(at)
		out = append(out, o)
	}
	return out, rows.Err()
}

// BalanceHistory returns, for each account, its balance at from (the
// balance_after of its last posting at or before from, 0 if none) followed
// by every balance change after from, oldest first. Callers pass only
// accounts the user owns.
func (db *DB) BalanceHistory(ctx context.Context, accountIDs []string, from time.Time) ([]invest.CashChange, error) {
	if len(accountIDs) == 0 {
		return nil, nil
	}
	in := placeholders(2, len(accountIDs))
	args := append([]any{micros(from)}, investArgs(accountIDs)...)
	// #nosec G202 -- only $n placeholders are joined; ids are bound parameters
	rows, err := db.w.QueryContext(ctx, `SELECT seq, account_id, created_at, balance_after FROM postings
		WHERE seq IN (SELECT MAX(seq) FROM postings WHERE account_id IN (`+in+`) AND created_at <= $1 GROUP BY account_id)
		UNION ALL
		SELECT seq, account_id, created_at, balance_after FROM postings WHERE account_id IN (`+in+`) AND created_at > $1
		ORDER BY 1`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: balance history: %w", err)
	}
	defer rows.Close()
	var out []invest.CashChange
	for rows.Next() {
		var c invest.CashChange
		var seq, at int64
		if err := rows.Scan(&seq, &c.AccountID, &at, &c.Balance); err != nil {
			return nil, fmt.Errorf("store: balance history: %w", err)
		}
		c.At = fromMicros(at)
		if c.At.Before(from) {
			c.At = from
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Watchlist lists the owner's watched symbols, newest first.
func (db *DB) Watchlist(ctx context.Context, owner string) ([]invest.WatchItem, error) {
	rows, err := db.w.QueryContext(ctx, `SELECT symbol, added_at FROM watchlist WHERE owner_id = $1 ORDER BY added_at DESC, symbol`, owner)
	if err != nil {
		return nil, fmt.Errorf("store: watchlist: %w", err)
	}
	defer rows.Close()
	var out []invest.WatchItem
	for rows.Next() {
		var w invest.WatchItem
		var at int64
		if err := rows.Scan(&w.Symbol, &at); err != nil {
			return nil, fmt.Errorf("store: watchlist: %w", err)
		}
		w.AddedAt = fromMicros(at)
		out = append(out, w)
	}
	return out, rows.Err()
}

// CountWatchlist counts the owner's watched symbols.
func (tx *Tx) CountWatchlist(ctx context.Context, owner string) (int, error) {
	var n int
	if err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM watchlist WHERE owner_id = $1`, owner).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count watchlist: %w", err)
	}
	return n, nil
}

// AddToWatchlist adds a symbol; added is false when it was already there
// (its added_at is kept).
func (tx *Tx) AddToWatchlist(ctx context.Context, owner, symbol string) (added bool, err error) {
	res, err := tx.tx.ExecContext(ctx, `INSERT INTO watchlist (owner_id, symbol, added_at) VALUES ($1, $2, $3)
		ON CONFLICT (owner_id, symbol) DO NOTHING`, owner, symbol, micros(tx.Now()))
	if err != nil {
		return false, fmt.Errorf("store: add to watchlist: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// RemoveFromWatchlist removes a symbol; a symbol not on the list is
// not_found.
func (db *DB) RemoveFromWatchlist(ctx context.Context, owner, symbol string) error {
	err := execOne(ctx, db.w, `DELETE FROM watchlist WHERE owner_id = $1 AND symbol = $2`, owner, symbol)
	var le *ledger.Error
	if errors.As(err, &le) {
		return notFound("watchlist symbol")
	}
	return err
}

// LockWatchlist serialises watchlist changes of one user (the user row is
// the lock), so the size limit holds under concurrent adds.
func (tx *Tx) LockWatchlist(ctx context.Context, owner string) error {
	var id string
	err := tx.tx.QueryRowContext(ctx, `SELECT id FROM users WHERE id = $1`+tx.dialect.forUpdate(), owner).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("user")
	}
	if err != nil {
		return fmt.Errorf("store: lock watchlist: %w", err)
	}
	return nil
}

func investArgs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// HasHoldings reports whether the account holds any security (a brokerage
// account with holdings must not be closed, even with zero cash).
func (tx *Tx) HasHoldings(ctx context.Context, accountID string) (bool, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM holdings WHERE account_id = $1 AND quantity <> $2`,
		accountID, invest.FormatQuantity(decimal.Zero)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: has holdings: %w", err)
	}
	return n > 0, nil
}
