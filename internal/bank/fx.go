package bank

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/fx"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market"
)

// Currency exchange between a customer's own accounts (docs/fx.md): a
// quote prices it at the customer's rate and holds it FXQuoteTTL; an
// exchange executes a quote, once, exactly as quoted, as one ledger
// transfer of four postings through the bank's position accounts.

// FXQuoteTTL is how long a quote holds.
const FXQuoteTTL = 30 * time.Second

// Errors of currency exchange.
var (
	ErrQuoteExpired  = &ledger.Error{Code: "quote_expired", Msg: "the quote has expired (a quote holds for 30 seconds); ask for a new one"}
	ErrQuoteUsed     = &ledger.Error{Code: "quote_used", Msg: "the quote has already been exchanged; ask for a new one"}
	ErrQuoteNotFound = &ledger.Error{Code: "not_found", Msg: "quote not found"}
	errFXOff         = &ledger.Error{Code: "market_data_unavailable", Msg: "exchange rates are not available right now; try again shortly"}
	errOneAmount     = &ledger.Error{Code: "validation_failed", Msg: "send exactly one of sell_amount and buy_amount", Field: "sell_amount"}
)

// FXMarket is where exchange rates come from; *market.Service implements it.
type FXMarket interface {
	// FXRates are the rates to show and value at (may be up to 15 min old
	// when upstream fails).
	FXRates(ctx context.Context) (market.FXRates, error)
	// FreshFXRates are the rates to price at (refused when older than a
	// minute).
	FreshFXRates(ctx context.Context) (market.FXRates, error)
}

// Investments values a customer's brokerage holdings for the overview;
// *invest.Service implements it.
type Investments interface {
	// InvestmentsValue is the market value of every holding of the owner's
	// brokerage accounts at current quotes, in base at the rates' mid.
	InvestmentsValue(ctx context.Context, owner string, base ledger.Currency, rates market.FXRates) (int64, error)
}

// fxTx is what quotes and exchanges need inside a transaction.
type fxTx interface {
	InsertFXQuote(ctx context.Context, q FXQuote) error
	// FXQuoteForUpdate returns and locks the owner's quote; another user's
	// quote is not_found, like a missing one.
	FXQuoteForUpdate(ctx context.Context, owner, id string) (FXQuote, error)
	MarkFXQuoteUsed(ctx context.Context, id, exchangeID string, at time.Time) error
	InsertFXConversion(ctx context.Context, c fx.Conversion) error
	// DayTotal reads a day total without locking it (0 if none).
	DayTotal(ctx context.Context, k DayKey) (int64, error)
}

// FXQuote is a priced exchange between two of a customer's accounts, held
// until ExpiresAt: the from account is debited exactly Sell and the to
// account credited exactly Buy when it is executed.
type FXQuote struct {
	ID            string
	OwnerID       string
	FromAccountID string
	ToAccountID   string
	fx.Quote
	CreatedAt  time.Time
	ExpiresAt  time.Time
	UsedAt     time.Time // zero until executed
	ExchangeID string    // the exchange's transfer, once executed
}

// QuoteRequest asks for a quote: exactly one of SellAmount (in the from
// account's currency) and BuyAmount (in the to account's), decimal strings.
type QuoteRequest struct {
	FromAccountID string
	ToAccountID   string
	SellAmount    string
	BuyAmount     string
}

// Quote prices an exchange between two of the caller's accounts at the
// customer's rate (the mid-market rate less the spread) and holds it for
// FXQuoteTTL. The sell account must hold the sell amount now, and the sell
// amount must fit the daily limit now (both are checked again when the
// quote is executed).
func (s *Service) Quote(ctx context.Context, c audit.Caller, r QuoteRequest) (FXQuote, error) {
	if (r.SellAmount == "") == (r.BuyAmount == "") {
		return FXQuote{}, errOneAmount
	}
	from, to, err := s.exchangeAccounts(ctx, c.UserID, r.FromAccountID, r.ToAccountID)
	if err != nil {
		return FXQuote{}, err
	}
	var sell, buy ledger.Amount
	if r.SellAmount != "" {
		sell, err = parseAmountField(r.SellAmount, from.Currency, "sell_amount")
	} else {
		buy, err = parseAmountField(r.BuyAmount, to.Currency, "buy_amount")
	}
	if err != nil {
		return FXQuote{}, err
	}
	if s.fx == nil {
		return FXQuote{}, errFXOff
	}
	rates, err := s.fx.FreshFXRates(ctx)
	if err != nil {
		return FXQuote{}, err
	}
	mid, err := rates.Rate(from.Currency, to.Currency)
	if err != nil {
		return FXQuote{}, err
	}
	var q fx.Quote
	if sell.Minor > 0 {
		q, err = fx.QuoteSell(sell, to.Currency, mid, s.spread)
	} else {
		q, err = fx.QuoteBuy(from.Currency, buy, mid, s.spread)
	}
	if err != nil {
		return FXQuote{}, err
	}
	if q.Sell.Minor > ledger.MaxInputMinor {
		return FXQuote{}, &ledger.Error{Code: "invalid_amount", Msg: "the amount to sell must not exceed 1000000000.00", Field: "buy_amount"}
	}
	if q.Sell.Minor > from.Balance {
		return FXQuote{}, ledger.ErrInsufficientFunds
	}
	now := s.now()
	fq := FXQuote{ID: uuid.Must(uuid.NewV7()).String(), OwnerID: c.UserID, FromAccountID: from.ID, ToAccountID: to.ID,
		Quote: q, CreatedAt: now, ExpiresAt: now.Add(FXQuoteTTL)}
	err = s.store.InTx(ctx, func(tx Tx) error {
		sent, err := tx.DayTotal(ctx, exchangeDayKey(c.UserID, q.Sell.Currency, now))
		if err != nil {
			return err
		}
		if err := checkSentLimit(sent, q.Sell.Minor); err != nil {
			return err
		}
		return tx.InsertFXQuote(ctx, fq)
	})
	if err != nil {
		return FXQuote{}, err
	}
	return fq, nil
}

// exchangeAccounts reads the caller's two accounts of an exchange and
// checks they can exchange: both the caller's (else not_found), open, in
// different currencies, the sell account not frozen.
func (s *Service) exchangeAccounts(ctx context.Context, owner, fromID, toID string) (from, to ledger.Account, err error) {
	if fromID == "" || toID == "" {
		field := "from_account_id"
		if fromID != "" {
			field = "to_account_id"
		}
		return from, to, &ledger.Error{Code: "validation_failed", Msg: field + " is required", Field: field}
	}
	if from, err = s.store.AccountByID(ctx, owner, fromID); err != nil {
		return from, to, err
	}
	if to, err = s.store.AccountByID(ctx, owner, toID); err != nil {
		return from, to, err
	}
	switch {
	case from.Currency == to.Currency:
		return from, to, fx.ErrSameCurrency
	case from.Status == ledger.StatusClosed || to.Status == ledger.StatusClosed:
		return from, to, ledger.ErrAccountClosed
	case from.Status == ledger.StatusFrozen:
		return from, to, ledger.ErrAccountFrozen
	}
	return from, to, nil
}

// parseAmountField is ledger.ParseAmount with its error naming field.
func parseAmountField(s string, c ledger.Currency, field string) (ledger.Amount, error) {
	a, err := ledger.ParseAmount(s, c)
	var le *ledger.Error
	if errors.As(err, &le) {
		return a, &ledger.Error{Code: le.Code, Msg: field + ": " + strings.TrimPrefix(le.Msg, "amount "), Field: field}
	}
	return a, err
}

// exchangeDayKey is the day total an exchange counts toward: the
// customer's money sent that day in the sell currency, shared with
// transfers (docs/fx.md "Limits").
func exchangeDayKey(user string, sell ledger.Currency, now time.Time) DayKey {
	return DayKey{User: user, Kind: ledger.KindTransfer, Currency: sell, Day: DayOf(now)}
}

// checkSentLimit refuses minor more on top of sent today.
func checkSentLimit(sent, minor int64) error {
	if sent+minor > MaxTransfersSentDaily {
		return &ledger.Error{Code: "limit_exceeded", Msg: fmt.Sprintf("transfers and exchanges are limited to 50,000.00 sent a day per currency; %s left today",
			ledger.FormatMinor(max(0, MaxTransfersSentDaily-sent), 2)), Field: "sell_amount"}
	}
	return nil
}

// Exchange executes one of the caller's quotes, once per idempotency key:
// exactly as quoted, or not at all. A quote already executed is
// ErrQuoteUsed (409), one past its expiry ErrQuoteExpired (410), another
// user's or a missing one not_found.
func (s *Service) Exchange(ctx context.Context, c audit.Caller, idem Idem, quoteID string) (ExchangeReceipt, error) {
	now := s.now()
	res, err := ledger.Idempotent(ctx, s.keys, s.store.InTx, c.UserID, idem.Key, idem.Hash, func(tx Tx) (ledger.Response, error) {
		x, err := ExecuteQuote(ctx, tx, c.UserID, quoteID, now)
		if err != nil {
			return ledger.Response{}, err
		}
		ev := event(c, ledger.KindExchange, "transfer:"+x.ID).WithDetail(fmt.Sprintf("%s %s → %s %s at %s (quote %s)",
			ledger.FormatMinor(x.SellAmount, x.SellCurrency.Digits()), x.SellCurrency,
			ledger.FormatMinor(x.BuyAmount, x.BuyCurrency.Digits()), x.BuyCurrency, x.Rate, x.QuoteID))
		if err := tx.InsertAudit(ctx, ev); err != nil {
			return ledger.Response{}, err
		}
		return x.stored()
	})
	if err != nil {
		return ExchangeReceipt{}, err
	}
	return exchangeFrom(res)
}

// ExecuteQuote executes the owner's quote inside tx at now: it locks the
// quote, then (through the ledger, in id order) the two customer accounts
// and the two position accounts, then the day total of the sell currency;
// it posts the transfer (kind exchange) with four postings
//
//	sell account            −sell  (sell currency)
//	position:sell currency  +sell
//	position:buy currency   −buy   (buy currency)
//	buy account             +buy
//
// records the conversion for `ledger verify` and marks the quote used.
// Callers commit tx.
func ExecuteQuote(ctx context.Context, tx Tx, owner, quoteID string, now time.Time) (ExchangeReceipt, error) {
	q, err := tx.FXQuoteForUpdate(ctx, owner, quoteID)
	if err != nil {
		return ExchangeReceipt{}, err
	}
	if q.ExchangeID != "" {
		return ExchangeReceipt{}, ErrQuoteUsed
	}
	if !now.Before(q.ExpiresAt) {
		return ExchangeReceipt{}, ErrQuoteExpired
	}
	posSell := ledger.SystemAccountID(ledger.SystemFXPosition, q.Sell.Currency)
	posBuy := ledger.SystemAccountID(ledger.SystemFXPosition, q.Buy.Currency)
	book, err := ledger.Lock(ctx, tx, []string{q.FromAccountID, q.ToAccountID, posSell, posBuy})
	if err != nil {
		return ExchangeReceipt{}, err
	}
	from, ok1 := book.Account(q.FromAccountID)
	to, ok2 := book.Account(q.ToAccountID)
	switch {
	case !ok1 || !ok2 || from.OwnerID != owner || to.OwnerID != owner:
		return ExchangeReceipt{}, ErrQuoteNotFound
	case from.Currency != q.Sell.Currency || to.Currency != q.Buy.Currency:
		return ExchangeReceipt{}, fmt.Errorf("bank: quote %s does not match its accounts' currencies", q.ID)
	case from.Status == ledger.StatusClosed || to.Status == ledger.StatusClosed:
		return ExchangeReceipt{}, ledger.ErrAccountClosed
	case from.Status == ledger.StatusFrozen:
		return ExchangeReceipt{}, ledger.ErrAccountFrozen
	}
	k := exchangeDayKey(owner, q.Sell.Currency, now)
	totals, err := tx.LockDayTotals(ctx, []DayKey{k})
	if err != nil {
		return ExchangeReceipt{}, err
	}
	if err := checkSentLimit(totals[k], q.Sell.Minor); err != nil {
		return ExchangeReceipt{}, err
	}
	t := ledger.Transfer{Kind: ledger.KindExchange, Currency: q.Sell.Currency, Amount: q.Sell.Minor, FromAccount: from.ID, ToAccount: to.ID,
		Description: fmt.Sprintf("Exchange %s %s to %s %s at %s", q.Sell, q.Sell.Currency, q.Buy, q.Buy.Currency, q.Rate),
		CreatedBy:   owner, CreatedAt: now, CrossCurrency: true, Postings: []ledger.Posting{
			{AccountID: from.ID, Amount: -q.Sell.Minor}, {AccountID: posSell, Amount: q.Sell.Minor},
			{AccountID: posBuy, Amount: -q.Buy.Minor}, {AccountID: to.ID, Amount: q.Buy.Minor}}}
	if err := book.Apply(&t); err != nil {
		return ExchangeReceipt{}, err
	}
	if err := book.Flush(ctx, tx); err != nil {
		return ExchangeReceipt{}, err
	}
	if err := tx.SetDayTotals(ctx, map[DayKey]int64{k: totals[k] + q.Sell.Minor}); err != nil {
		return ExchangeReceipt{}, err
	}
	conv := fx.Conversion{TransferID: t.ID, Kind: fx.KindExchange, QuoteID: q.ID, CreatedAt: now,
		Exchange: fx.Exchange{By: q.By, Sell: q.Sell, Buy: q.Buy, Rate: q.Rate, Mid: q.Mid, Fee: q.Fee}}
	if err := tx.InsertFXConversion(ctx, conv); err != nil {
		return ExchangeReceipt{}, err
	}
	if err := tx.MarkFXQuoteUsed(ctx, q.ID, t.ID, now); err != nil {
		return ExchangeReceipt{}, err
	}
	return receiptOfExchange(t.ID, q, now), nil
}
