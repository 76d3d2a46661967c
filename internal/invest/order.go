package invest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market"
)

// Tx is what placing an order needs from a database transaction; the store
// implements it.
type Tx interface {
	ledger.Tx
	// AccountByIDForUpdate returns and locks the owner's account; another
	// user's account is not_found.
	AccountByIDForUpdate(ctx context.Context, owner, id string) (ledger.Account, error)
	// HoldingForUpdate returns and locks the holding, or a zero holding (not
	// stored yet) when there is none.
	HoldingForUpdate(ctx context.Context, accountID, symbol string) (Holding, error)
	// PutHolding inserts or replaces the holding.
	PutHolding(ctx context.Context, h Holding) error
	// InsertOrder stores a filled order.
	InsertOrder(ctx context.Context, o *Order) error
	Now() time.Time
}

// OrderRequest is a market order as the customer asked for it. Exactly one
// of Quantity (> 0) and Notional (minor units, > 0) is set.
type OrderRequest struct {
	OwnerID   string
	AccountID string
	Symbol    string // canonical (market.NormalizeSymbol)
	Side      string
	Quantity  decimal.Decimal
	Notional  int64
	// MinValue is the smallest order value the bank accepts, in minor units
	// (MIN_ORDER_VALUE); a sell of the whole position may be smaller.
	MinValue int64
}

// PlaceOrder fills req at quote q inside tx: it locks the brokerage account,
// then the holding, then (through ledger.Post) the settlement account, moves
// the cash, updates the holding and stores the order. Callers commit tx; on
// any error nothing may be committed.
//
// Buys fail with insufficient_funds when the cash is short (the ledger
// refuses to take a customer balance below zero); sells with
// insufficient_holdings when more is sold than held.
func PlaceOrder(ctx context.Context, tx Tx, req OrderRequest, q market.Quote) (*Order, error) {
	if req.Side != SideBuy && req.Side != SideSell {
		return nil, &ledger.Error{Code: "validation_failed", Msg: "Choose buy or sell.", Field: "side"}
	}
	acct, err := tx.AccountByIDForUpdate(ctx, req.OwnerID, req.AccountID)
	if err != nil {
		return nil, fmt.Errorf("invest: account: %w", err)
	}
	if err := tradable(acct, q); err != nil {
		return nil, err
	}
	qty, total, err := Fill(req.Side, req.Quantity, req.Notional, q.Price, acct.Currency)
	if err != nil {
		return nil, err
	}
	h, err := tx.HoldingForUpdate(ctx, acct.ID, req.Symbol)
	if err != nil {
		return nil, fmt.Errorf("invest: holding: %w", err)
	}
	closing := req.Side == SideSell && qty.Equal(h.Quantity)
	if total < req.MinValue && !closing {
		return nil, invalidQuantity(fmt.Sprintf("the order value is %s; the smallest order is %s %s (a sale of the whole position may be smaller)",
			ledger.FormatMinor(total, acct.Currency.Digits()), ledger.FormatMinor(req.MinValue, acct.Currency.Digits()), acct.Currency))
	}
	now := tx.Now()
	o := &Order{ID: uuid.Must(uuid.NewV7()).String(), OwnerID: req.OwnerID, AccountID: acct.ID, Symbol: req.Symbol,
		Side: req.Side, Quantity: qty, Price: q.Price, Total: total, Currency: acct.Currency, Rounding: RoundBank, CreatedAt: now}
	settlement := ledger.SystemAccountID(ledger.SystemSettlement, acct.Currency)
	t := &ledger.Transfer{Kind: ledger.KindTrade, Currency: acct.Currency, Amount: total, CreatedBy: req.OwnerID, CreatedAt: now,
		Description: TradeDescription(req.Side, qty, req.Symbol, q.Price, acct.Currency)}
	if req.Side == SideBuy {
		t.FromAccount = acct.ID
		t.Postings = []ledger.Posting{{AccountID: acct.ID, Amount: -total}, {AccountID: settlement, Amount: total}}
		h.Quantity = h.Quantity.Add(qty)
		h.CostBasis += total
	} else {
		if h.Quantity.LessThan(qty) {
			return nil, ErrInsufficientHoldings
		}
		removed := h.CostBasis
		if !qty.Equal(h.Quantity) {
			removed = mulDivRound(h.CostBasis, qty, h.Quantity)
		}
		o.RealizedPL = total - removed
		t.ToAccount = acct.ID
		t.Postings = []ledger.Posting{{AccountID: settlement, Amount: -total}, {AccountID: acct.ID, Amount: total}}
		h.Quantity = h.Quantity.Sub(qty)
		h.CostBasis -= removed
		h.RealizedPL += o.RealizedPL
	}
	if err := ledger.Post(ctx, tx, t); err != nil {
		return nil, fmt.Errorf("invest: %s cash: %w", req.Side, err)
	}
	o.TransferID = t.ID
	h.AccountID, h.Symbol, h.UpdatedAt = acct.ID, req.Symbol, now
	if err := tx.PutHolding(ctx, h); err != nil {
		return nil, fmt.Errorf("invest: holding: %w", err)
	}
	if err := tx.InsertOrder(ctx, o); err != nil {
		return nil, fmt.Errorf("invest: order: %w", err)
	}
	return o, nil
}

// tradable checks that acct can trade at quote q.
func tradable(acct ledger.Account, q market.Quote) error {
	if acct.Type != ledger.TypeBrokerage {
		return ErrNotBrokerage
	}
	switch acct.Status {
	case ledger.StatusFrozen:
		return ErrAccountFrozen
	case ledger.StatusClosed:
		return ledger.ErrAccountClosed
	}
	if string(acct.Currency) != q.Currency {
		return &ledger.Error{Code: "validation_failed", Field: "account_id",
			Msg: fmt.Sprintf("%s trades in %s, but this account holds %s. Choose a %s brokerage account.", q.Symbol, q.Currency, acct.Currency, q.Currency)}
	}
	return nil
}

// TradeDescription is the ledger description of a fill, as a customer reads
// it in their activity: "Bought 2 AAPL at $259.09", "Sold 0.5 BTC-USD at
// $91,020.50" (the quantity without trailing zeros, the price with its
// currency symbol and thousands separators).
func TradeDescription(side string, qty decimal.Decimal, symbol string, price decimal.Decimal, c ledger.Currency) string {
	verb := "Bought"
	if side == SideSell {
		verb = "Sold"
	}
	p := market.FormatPrice(price)
	whole, frac, _ := strings.Cut(p, ".")
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	if frac != "" {
		whole += "." + frac
	}
	sym := map[ledger.Currency]string{ledger.USD: "$", ledger.EUR: "€", ledger.GBP: "£"}[c]
	if sym == "" {
		sym = string(c) + " "
	}
	return fmt.Sprintf("%s %s %s at %s%s", verb, qty.String(), symbol, sym, whole)
}
