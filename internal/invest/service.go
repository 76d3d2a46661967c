package invest

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market"
)

// Store is what investing needs from the database (store.(*DB).Invest).
type Store interface {
	InTx(ctx context.Context, fn func(ServiceTx) error) error
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
}

// Options configures a Service.
type Options struct {
	Store  Store
	Market Market
	Keys   *ledger.Keys // in-flight idempotency keys, shared with the bank's
	// MinOrderValue is the smallest order filled, in minor units
	// (MIN_ORDER_VALUE).
	MinOrderValue int64
	Now           func() time.Time
}

// Service is investing's use cases: orders, portfolio, watchlist.
type Service struct {
	store    Store
	market   Market
	keys     *ledger.Keys
	minOrder int64
	now      func() time.Time
}

// New builds the Service.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Keys == nil {
		o.Keys = ledger.NewKeys()
	}
	return &Service{store: o.Store, market: o.Market, keys: o.Keys, minOrder: o.MinOrderValue, now: func() time.Time { return o.Now().UTC() }}
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
// the current quote, once per idempotency key. The quote is fetched before
// the transaction, so that no lock is held while upstream answers; its
// error is reported only if this is not a replay (a replay answers what the
// first request got).
func (s *Service) Place(ctx context.Context, c audit.Caller, idem ledger.Idem, req OrderRequest) (OrderReceipt, error) {
	q, qerr := s.market.FreshQuote(ctx, req.Symbol)
	req.OwnerID, req.MinValue = c.UserID, s.minOrder
	res, err := ledger.Idempotent(ctx, s.keys, s.store.InTx, c.UserID, idem.Key, idem.Hash, func(tx ServiceTx) (ledger.Response, error) {
		if qerr != nil {
			return ledger.Response{}, qerr // unknown symbol: not_found; no fresh quote: market_data_unavailable
		}
		o, err := PlaceOrder(ctx, tx, req, q)
		if err != nil {
			return ledger.Response{}, err
		}
		ev := c.Event("order_"+o.Side, "order:"+o.ID, "success").WithDetail(fmt.Sprintf("account:%s %s %s @ %s total %s %s",
			o.AccountID, FormatQuantity(o.Quantity), o.Symbol, market.FormatPrice(o.Price), ledger.FormatMinor(o.Total, o.Currency.Digits()), o.Currency))
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
