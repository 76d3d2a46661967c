package invest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/bankapp/bankapp/internal/fx"
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
	// InsertFXConversion records the conversion of an order that converts,
	// for `ledger verify`.
	InsertFXConversion(ctx context.Context, c fx.Conversion) error
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
	// of the account's currency (MIN_ORDER_VALUE); a sell of the whole
	// position may be smaller.
	MinValue int64
	// FX converts the order when the account's currency is not the
	// instrument's; nil refuses such an order.
	FX *FXTerms
}

// FXTerms are what an order that converts is priced with: the fresh
// mid-market rates (fetched before the order's transaction) and the bank's
// spread (FX_SPREAD_BPS), the same as a currency exchange's.
type FXTerms struct {
	Rates  market.FXRates
	Spread fx.Spread
}

// PlaceOrder fills req at quote q inside tx: it locks the brokerage account,
// then the holding, then (through ledger.Post, in id order) the position
// accounts of an order that converts and the settlement account, moves the
// cash, updates the holding and stores the order. Callers commit tx; on any
// error nothing may be committed.
//
// The order's value (Total) is quantity × price in the instrument's
// currency, rounded the bank's way (Fill). On a brokerage account in
// another currency (EUR or GBP trading USD) the value is converted inside
// the same transfer at the customer's rate through the bank's position
// accounts (docs/fx.md "Orders that convert"): a buy pays for Total with
// the account's currency, rounded up (fx.QuoteBuy); a sell's Total buys the
// account's currency, rounded down (fx.QuoteSell). The holding's cost basis
// and realized P&L, and the settlement account, stay in the instrument's
// currency.
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
	if err := tradable(acct); err != nil {
		return nil, err
	}
	instr := ledger.Currency(q.Currency)
	conv, err := newConversion(acct, instr, q, req)
	if err != nil {
		return nil, err
	}
	notional, err := conv.notional(req.Side, req.Notional)
	if err != nil {
		return nil, err
	}
	qty, total, err := Fill(req.Side, req.Quantity, notional, q.Price, instr)
	if err != nil {
		return nil, err
	}
	fxq, err := conv.quote(req.Side, total)
	if err != nil {
		return nil, err
	}
	moved := total // on the account, in its currency
	if fxq != nil {
		moved = fxq.Sell.Minor
		if req.Side == SideSell {
			moved = fxq.Buy.Minor
		}
	}
	h, err := tx.HoldingForUpdate(ctx, acct.ID, req.Symbol)
	if err != nil {
		return nil, fmt.Errorf("invest: holding: %w", err)
	}
	closing := req.Side == SideSell && qty.Equal(h.Quantity)
	if moved < req.MinValue && !closing {
		return nil, invalidQuantity(fmt.Sprintf("the order value is %s %s; the smallest order is %s %s (a sale of the whole position may be smaller)",
			ledger.FormatMinor(moved, acct.Currency.Digits()), acct.Currency, ledger.FormatMinor(req.MinValue, acct.Currency.Digits()), acct.Currency))
	}
	now := tx.Now()
	o := &Order{ID: uuid.Must(uuid.NewV7()).String(), OwnerID: req.OwnerID, AccountID: acct.ID, Symbol: req.Symbol,
		Side: req.Side, Quantity: qty, Price: q.Price, Total: total, Currency: instr, Rounding: RoundBank, CreatedAt: now}
	t := &ledger.Transfer{Kind: ledger.KindTrade, Currency: acct.Currency, Amount: moved, CreatedBy: req.OwnerID, CreatedAt: now,
		CrossCurrency: fxq != nil, Postings: cashPostings(req.Side, acct, instr, total, fxq),
		Description: TradeDescription(req.Side, qty, req.Symbol, q.Price, instr)}
	if fxq != nil {
		t.Description += fmt.Sprintf(" (%s %s at %s)", ledger.FormatMinor(total, instr.Digits()), instr, fxq.Rate)
	}
	h.Currency = instr
	if req.Side == SideBuy {
		t.FromAccount = acct.ID
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
	if fxq != nil {
		o.FX = &fx.Exchange{By: fxq.By, Sell: fxq.Sell, Buy: fxq.Buy, Rate: fxq.Rate, Mid: fxq.Mid, Fee: fxq.Fee}
		if err := tx.InsertFXConversion(ctx, fx.Conversion{TransferID: t.ID, Kind: fx.KindTrade, Exchange: *o.FX, CreatedAt: now}); err != nil {
			return nil, fmt.Errorf("invest: conversion: %w", err)
		}
	}
	if err := tx.InsertOrder(ctx, o); err != nil {
		return nil, fmt.Errorf("invest: order: %w", err)
	}
	return o, nil
}

// cashPostings are the postings of an order's cash: between the account
// and the settlement account of the instrument's currency, through the
// position accounts when the order converts (fxq).
func cashPostings(side string, acct ledger.Account, instr ledger.Currency, total int64, fxq *fx.Quote) []ledger.Posting {
	settlement := ledger.SystemAccountID(ledger.SystemSettlement, instr)
	sign := int64(1) // a buy: cash leaves the account toward settlement
	if side == SideSell {
		sign = -1
	}
	if fxq == nil {
		return []ledger.Posting{{AccountID: acct.ID, Amount: -sign * total}, {AccountID: settlement, Amount: sign * total}}
	}
	posSell := ledger.SystemAccountID(ledger.SystemFXPosition, fxq.Sell.Currency)
	posBuy := ledger.SystemAccountID(ledger.SystemFXPosition, fxq.Buy.Currency)
	if side == SideBuy { // the account sells its currency for the instrument's
		return []ledger.Posting{{AccountID: acct.ID, Amount: -fxq.Sell.Minor}, {AccountID: posSell, Amount: fxq.Sell.Minor},
			{AccountID: posBuy, Amount: -fxq.Buy.Minor}, {AccountID: settlement, Amount: fxq.Buy.Minor}}
	}
	// A sell: the proceeds in the instrument's currency buy the account's.
	return []ledger.Posting{{AccountID: settlement, Amount: -fxq.Sell.Minor}, {AccountID: posSell, Amount: fxq.Sell.Minor},
		{AccountID: posBuy, Amount: -fxq.Buy.Minor}, {AccountID: acct.ID, Amount: fxq.Buy.Minor}}
}

// tradable checks that acct can place orders.
func tradable(acct ledger.Account) error {
	if acct.Type != ledger.TypeBrokerage {
		return ErrNotBrokerage
	}
	switch acct.Status {
	case ledger.StatusFrozen:
		return ErrAccountFrozen
	case ledger.StatusClosed:
		return ledger.ErrAccountClosed
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
