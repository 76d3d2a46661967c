package invest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/features"
	"github.com/bankapp/bankapp/internal/fx"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market"
)

// Store is what investing needs from the database (store.(*DB).Invest).
type Store interface {
	InTx(ctx context.Context, fn func(ServiceTx) error) error
	UserByID(ctx context.Context, id string) (auth.User, error)
	AccountByID(ctx context.Context, owner, id string) (ledger.Account, error)
	AccountsByOwner(ctx context.Context, owner string) ([]ledger.Account, error)
	HoldingsByAccounts(ctx context.Context, accountIDs []string) ([]Holding, error)
	Orders(ctx context.Context, f OrderFilter) ([]Order, error)
	OrdersByAccounts(ctx context.Context, accountIDs []string) ([]Order, error)
	BalanceHistory(ctx context.Context, accountIDs []string, from time.Time) ([]CashChange, error)
	Watchlist(ctx context.Context, owner string) ([]WatchItem, error)
	RemoveFromWatchlist(ctx context.Context, owner, symbol string) error
}

// ServiceTx is what investing's use cases need inside a transaction:
// placing an order (Tx), its idempotency record and audit event, and the
// watchlist.
type ServiceTx interface {
	Tx
	ledger.IdemTx
	InsertAudit(ctx context.Context, e audit.Event) error
	LockWatchlist(ctx context.Context, owner string) error
	CountWatchlist(ctx context.Context, owner string) (int, error)
	AddToWatchlist(ctx context.Context, owner, symbol string) (bool, error)
}

// Market is the prices investing trades and values at.
type Market interface {
	Quoter
	FreshQuote(ctx context.Context, symbol string) (market.Quote, error)
	Quote(ctx context.Context, symbol string) (market.Quote, error)
	// FreshFXRates prices orders that convert; FXRates values holdings in
	// another currency.
	FreshFXRates(ctx context.Context) (market.FXRates, error)
	FXRates(ctx context.Context) (market.FXRates, error)
}

// Flags are the feature flags as they are now (*features.Set, which the
// server re-reads while it runs).
type Flags interface {
	Enabled(name string) bool
}

// Options configures a Service.
type Options struct {
	Store  Store
	Market Market
	Keys   *ledger.Keys // in-flight idempotency keys, shared with the bank's
	// MinOrderValue is the smallest order filled, in minor units
	// (MIN_ORDER_VALUE).
	MinOrderValue int64
	// Spread is the bank's margin on orders that convert (FX_SPREAD_BPS).
	Spread fx.Spread
	Now    func() time.Time
	// Features gate what investing offers: crypto orders need
	// features.CryptoTrading. Nil: every flag at its default.
	Features Flags
}

// Service is investing's use cases: orders, portfolio, watchlist.
type Service struct {
	store    Store
	market   Market
	keys     *ledger.Keys
	minOrder int64
	spread   fx.Spread
	now      func() time.Time
	flags    Flags
}

// New builds the Service.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Keys == nil {
		o.Keys = ledger.NewKeys()
	}
	if o.Features == nil {
		o.Features = features.New(func(string) string { return "" }, nil)
	}
	return &Service{store: o.Store, market: o.Market, keys: o.Keys, minOrder: o.MinOrderValue, spread: o.Spread,
		now: func() time.Time { return o.Now().UTC() }, flags: o.Features}
}

// OrderReceipt is a filled order as its idempotency record keeps it, so
// that a replay answers the same.
type OrderReceipt struct {
	V        int   `json:"v"`
	Order    Order `json:"order"`
	Replayed bool  `json:"-"`
	// Legacy is a record stored before receipts had a format of their own:
	// the HTTP body as it was sent.
	Legacy []byte `json:"-"`
}

// Place fills a market order on one of the caller's brokerage accounts at
// the current quote, once per idempotency key. The quote (and, for an
// account in another currency than the instrument's, the exchange rates)
// is fetched before the transaction, so that no lock is held while
// upstream answers; its error is reported only if this is not a replay (a
// replay answers what the first request got).
//
// A crypto order (buy or sell) while features.CryptoTrading is off is
// refused with ErrCryptoTradingOff (403 feature_disabled), checked at the
// time of the request, so a flag flipped while the server runs takes effect
// at once. A replay of an order filled before the flag went off still
// answers the original fill: the client retrying must learn that it filled.
func (s *Service) Place(ctx context.Context, c audit.Caller, idem ledger.Idem, req OrderRequest) (OrderReceipt, error) {
	q, qerr := s.quote(ctx, c, &req)
	req.OwnerID, req.MinValue = c.UserID, s.minOrder
	res, err := ledger.Idempotent(ctx, s.keys, s.store.InTx, c.UserID, idem.Key, idem.Hash, func(tx ServiceTx) (ledger.Response, error) {
		if qerr != nil {
			return ledger.Response{}, qerr // unknown symbol: not_found; no fresh quote: market_data_unavailable
		}
		o, err := PlaceOrder(ctx, tx, req, q)
		if err != nil {
			return ledger.Response{}, err
		}
		detail := fmt.Sprintf("account:%s %s %s @ %s total %s %s",
			o.AccountID, FormatQuantity(o.Quantity), o.Symbol, market.FormatPrice(o.Price), ledger.FormatMinor(o.Total, o.Currency.Digits()), o.Currency)
		if o.FX != nil {
			m := o.AccountAmount()
			detail += fmt.Sprintf(" = %s %s at %s", m, m.Currency, o.FX.Rate)
		}
		ev := c.Event("order_"+o.Side, "order:"+o.ID, "success").WithDetail(detail)
		if err := tx.InsertAudit(ctx, ev); err != nil {
			return ledger.Response{}, err
		}
		b, err := json.Marshal(OrderReceipt{V: 1, Order: *o})
		return ledger.Response{Status: 201, Body: b}, err
	})
	if err != nil {
		return OrderReceipt{}, err
	}
	var rc OrderReceipt
	if json.Unmarshal(res.Body, &rc) != nil || rc.V == 0 {
		return OrderReceipt{Legacy: res.Body, Replayed: res.Replayed}, nil
	}
	rc.Replayed = res.Replayed
	return rc, nil
}

// isCrypto reports whether an order's symbol is a cryptocurrency: one of
// the catalogue's (routed to CoinGecko), or any other SYMBOL-USD pair,
// Yahoo's convention for crypto, so that a coin missing from the catalogue
// cannot be traded through Yahoo while crypto trading is off.
func isCrypto(symbol string) bool {
	s := strings.ToUpper(strings.TrimSpace(symbol))
	return market.IsCrypto(s) || strings.HasSuffix(s, "-USD")
}

// Orders pages the owner's orders (of one of their accounts when
// f.AccountID is set; another's account is not_found).
func (s *Service) Orders(ctx context.Context, f OrderFilter) ([]Order, error) {
	if f.AccountID != "" {
		if _, err := s.store.AccountByID(ctx, f.OwnerID, f.AccountID); err != nil {
			return nil, err
		}
	}
	return s.store.Orders(ctx, f)
}

// quote fetches what an order fills at: the instrument's fresh quote and,
// for an account in another currency than the instrument's, the exchange
// rates (req.FX). A crypto order while features.CryptoTrading is off gets
// ErrCryptoTradingOff and no quote (nothing will fill).
func (s *Service) quote(ctx context.Context, c audit.Caller, req *OrderRequest) (market.Quote, error) {
	if isCrypto(req.Symbol) && !s.flags.Enabled(features.CryptoTrading) {
		return market.Quote{}, ErrCryptoTradingOff
	}
	q, err := s.market.FreshQuote(ctx, req.Symbol)
	if err != nil {
		return q, err
	}
	// The account's currency never changes, so reading it outside the
	// order's transaction is safe; the order locks and reads it again.
	if a, err := s.store.AccountByID(ctx, c.UserID, req.AccountID); err == nil && string(a.Currency) != q.Currency {
		rates, err := s.market.FreshFXRates(ctx)
		if err != nil {
			return q, err
		}
		req.FX = &FXTerms{Rates: rates, Spread: s.spread}
	}
	return q, nil
}
