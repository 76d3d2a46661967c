package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/fx"
	"github.com/bankapp/bankapp/internal/ledger"
)

// Quotes and conversions of currency exchange (migrations/00009_fx.sql).
// Rates are stored as their exact decimal text and read back with
// fx.ParseRate.

// InsertFXQuote stores a new quote.
func (tx *Tx) InsertFXQuote(ctx context.Context, q bank.FXQuote) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO fx_quotes (id, owner_id, from_account_id, to_account_id, quoted_by,
		sell_amount, sell_currency, buy_amount, buy_currency, rate, mid_rate, fee, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		q.ID, q.OwnerID, q.FromAccountID, q.ToAccountID, string(q.By), q.Sell.Minor, string(q.Sell.Currency), q.Buy.Minor,
		string(q.Buy.Currency), q.Rate.String(), q.Mid.String(), q.Fee.Minor, micros(q.CreatedAt), micros(q.ExpiresAt))
	if err != nil {
		return fmt.Errorf("store: insert fx quote: %w", err)
	}
	return nil
}

// FXQuoteForUpdate returns and (on PostgreSQL) locks the owner's quote;
// another user's quote is not_found, like a missing one.
func (tx *Tx) FXQuoteForUpdate(ctx context.Context, owner, id string) (bank.FXQuote, error) {
	row := tx.tx.QueryRowContext(ctx, `SELECT id, owner_id, from_account_id, to_account_id, quoted_by, sell_amount, sell_currency,
		buy_amount, buy_currency, rate, mid_rate, fee, created_at, expires_at, COALESCE(used_at, 0), COALESCE(exchange_id, '')
		FROM fx_quotes WHERE id = $1 AND owner_id = $2`+tx.dialect.forUpdate(), id, owner)
	var q bank.FXQuote
	var by, sellCur, buyCur, rate, mid string
	var created, expires, used int64
	err := row.Scan(&q.ID, &q.OwnerID, &q.FromAccountID, &q.ToAccountID, &by, &q.Sell.Minor, &sellCur, &q.Buy.Minor, &buyCur,
		&rate, &mid, &q.Fee.Minor, &created, &expires, &used, &q.ExchangeID)
	if errors.Is(err, sql.ErrNoRows) {
		return q, bank.ErrQuoteNotFound
	}
	if err != nil {
		return q, fmt.Errorf("store: fx quote: %w", err)
	}
	q.By = fx.By(by)
	q.Sell.Currency, q.Buy.Currency, q.Fee.Currency = ledger.Currency(sellCur), ledger.Currency(buyCur), ledger.Currency(sellCur)
	if q.Rate, err = fx.ParseRate(rate); err != nil {
		return q, fmt.Errorf("store: fx quote %s: %w", q.ID, err)
	}
	if q.Mid, err = fx.ParseRate(mid); err != nil {
		return q, fmt.Errorf("store: fx quote %s: %w", q.ID, err)
	}
	q.CreatedAt, q.ExpiresAt = fromMicros(created), fromMicros(expires)
	if used > 0 {
		q.UsedAt = fromMicros(used)
	}
	return q, nil
}

// MarkFXQuoteUsed records that the quote was executed as exchangeID.
func (tx *Tx) MarkFXQuoteUsed(ctx context.Context, id, exchangeID string, at time.Time) error {
	return execOne(ctx, tx.tx, `UPDATE fx_quotes SET used_at = $2, exchange_id = $3 WHERE id = $1 AND exchange_id IS NULL`,
		id, micros(at), exchangeID)
}

// InsertFXConversion records a conversion the ledger made (an exchange or
// an order that converts), for `ledger verify`.
func (tx *Tx) InsertFXConversion(ctx context.Context, c fx.Conversion) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO fx_conversions (transfer_id, kind, quote_id, quoted_by, sell_amount, sell_currency,
		buy_amount, buy_currency, rate, mid_rate, fee, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		c.TransferID, c.Kind, nullable(c.QuoteID), string(c.By), c.Sell.Minor, string(c.Sell.Currency), c.Buy.Minor,
		string(c.Buy.Currency), c.Rate.String(), c.Mid.String(), c.Fee.Minor, micros(c.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: insert fx conversion: %w", err)
	}
	return nil
}

// DayTotal reads a day total without locking it; 0 when there is none.
func (tx *Tx) DayTotal(ctx context.Context, k bank.DayKey) (int64, error) {
	var total int64
	err := tx.tx.QueryRowContext(ctx, `SELECT total FROM day_totals WHERE user_id = $1 AND kind = $2 AND currency = $3 AND day = $4`,
		k.User, k.Kind, string(k.Currency), k.Day).Scan(&total)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: day total: %w", err)
	}
	return total, nil
}

// FXPosition is the bank's position in one currency: the balance of its
// position account and the conversions that made it.
type FXPosition struct {
	Currency ledger.Currency
	Balance  int64 // the position account: + the bank is long, − short
	Bought   int64 // Σ what customers sold in this currency (the bank bought it)
	Sold     int64 // Σ what customers bought in this currency (the bank sold it)
	Count    int   // conversions that moved it
}

// FXPositions lists the bank's position in every currency (the operator's
// view of its currency exposure: `bankapp ledger fx`).
func (db *DB) FXPositions(ctx context.Context) ([]FXPosition, error) {
	rows, err := db.w.QueryContext(ctx, `SELECT a.currency, a.balance,
			COALESCE((SELECT SUM(sell_amount) FROM fx_conversions WHERE sell_currency = a.currency), 0),
			COALESCE((SELECT SUM(buy_amount) FROM fx_conversions WHERE buy_currency = a.currency), 0),
			(SELECT COUNT(*) FROM fx_conversions WHERE sell_currency = a.currency OR buy_currency = a.currency)
		FROM accounts a WHERE a.type = 'system' AND a.id = 'system:fx_position:' || a.currency ORDER BY a.currency`)
	if err != nil {
		return nil, fmt.Errorf("store: fx positions: %w", err)
	}
	defer rows.Close()
	var out []FXPosition
	for rows.Next() {
		var p FXPosition
		var cur string
		if err := rows.Scan(&cur, &p.Balance, &p.Bought, &p.Sold, &p.Count); err != nil {
			return nil, fmt.Errorf("store: fx positions: %w", err)
		}
		p.Currency = ledger.Currency(cur)
		out = append(out, p)
	}
	return out, rows.Err()
}
