package invest

import (
	"context"

	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market"
)

// ErrNotBrokerageParam refuses a portfolio of an account that is not a
// brokerage account.
var ErrNotBrokerageParam = &ledger.Error{Code: "invalid_parameter", Msg: "account_id must be a brokerage account", Field: "account_id"}

// portfolioAccounts is the owner's brokerage account accountID, valued in
// its currency, or, when it is "", all of the owner's brokerage accounts
// (PortfolioAccounts), valued in the owner's base currency.
func (s *Service) portfolioAccounts(ctx context.Context, owner, accountID string) ([]ledger.Account, ledger.Currency, error) {
	if accountID != "" {
		a, err := s.store.AccountByID(ctx, owner, accountID)
		if err != nil {
			return nil, "", err
		}
		if a.Type != ledger.TypeBrokerage {
			return nil, "", ErrNotBrokerageParam
		}
		return []ledger.Account{a}, a.Currency, nil
	}
	all, err := s.store.AccountsByOwner(ctx, owner)
	if err != nil {
		return nil, "", err
	}
	u, err := s.store.UserByID(ctx, owner)
	if err != nil {
		return nil, "", err
	}
	cur := u.BaseCurrency
	if !cur.Valid() {
		cur = ledger.USD
	}
	return PortfolioAccounts(all), cur, nil
}

// converter values amounts in other currencies at the current mid-market
// rates (FXRates), fetched at most once per call and only when needed.
func (s *Service) converter() Converter {
	var conv Converter
	return func(ctx context.Context, a ledger.Amount, to ledger.Currency) (int64, error) {
		if conv == nil {
			rates, err := s.market.FXRates(ctx)
			if err != nil {
				return 0, err
			}
			conv = RatesConverter(rates)
		}
		return conv(ctx, a, to)
	}
}

// InvestmentsValue is the market value of every holding of the owner's
// brokerage accounts at current quotes, in base at the rates' mid-market
// rates (the overview's investments).
func (s *Service) InvestmentsValue(ctx context.Context, owner string, base ledger.Currency, rates market.FXRates) (int64, error) {
	all, err := s.store.AccountsByOwner(ctx, owner)
	if err != nil {
		return 0, err
	}
	accts := PortfolioAccounts(all)
	if len(accts) == 0 {
		return 0, nil
	}
	hs, err := s.store.HoldingsByAccounts(ctx, accountIDs(accts))
	if err != nil {
		return 0, err
	}
	p, err := Value(ctx, s.market, RatesConverter(rates), base, nil, hs)
	if err != nil {
		return 0, err
	}
	return p.TotalValue, nil
}

func accountIDs(accts []ledger.Account) []string {
	ids := make([]string, len(accts))
	for i, a := range accts {
		ids[i] = a.ID
	}
	return ids
}

// Portfolio values the owner's brokerage account accountID (or all of them)
// at current prices.
func (s *Service) Portfolio(ctx context.Context, owner, accountID string) (Portfolio, error) {
	accts, cur, err := s.portfolioAccounts(ctx, owner, accountID)
	if err != nil {
		return Portfolio{}, err
	}
	hs, err := s.store.HoldingsByAccounts(ctx, accountIDs(accts))
	if err != nil {
		return Portfolio{}, err
	}
	// The accounts' orders make the day change count units bought or sold
	// since the quote's baseline from their fill, not from the previous close.
	orders, err := s.store.OrdersByAccounts(ctx, accountIDs(accts))
	if err != nil {
		return Portfolio{}, err
	}
	return ValueWithOrders(ctx, s.market, s.converter(), cur, accts, hs, orders)
}

// PortfolioHistory is the value of the owner's brokerage account accountID
// (or all of them) over rng, in its currency.
func (s *Service) PortfolioHistory(ctx context.Context, owner, accountID string, rng market.Range) ([]ValuePoint, ledger.Currency, error) {
	accts, cur, err := s.portfolioAccounts(ctx, owner, accountID)
	if err != nil {
		return nil, "", err
	}
	ids := accountIDs(accts)
	now := s.now()
	orders, err := s.store.OrdersByAccounts(ctx, ids)
	if err != nil {
		return nil, "", err
	}
	cash, err := s.store.BalanceHistory(ctx, ids, now.Add(-rng.Span()))
	if err != nil {
		return nil, "", err
	}
	SortCash(cash)
	currencies := make(map[string]ledger.Currency, len(accts))
	for _, a := range accts {
		currencies[a.ID] = a.Currency
	}
	pts, err := History(ctx, s.market, HistoryInput{Currency: cur, Orders: orders, Cash: cash, Range: rng, Now: now,
		AccountCurrency: currencies, Convert: s.converter()})
	return pts, cur, err
}

// MaxWatchlist keeps a watchlist quotable in one quotes request.
const MaxWatchlist = 50

// Watchlist lists the owner's watched symbols.
func (s *Service) Watchlist(ctx context.Context, owner string) ([]WatchItem, error) {
	return s.store.Watchlist(ctx, owner)
}

// Watch adds a symbol the market can quote (unknown → not_found) to the
// owner's watchlist (at most MaxWatchlist).
func (s *Service) Watch(ctx context.Context, owner, symbol string) error {
	if _, err := s.market.Quote(ctx, symbol); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(tx ServiceTx) error {
		if err := tx.LockWatchlist(ctx, owner); err != nil {
			return err
		}
		n, err := tx.CountWatchlist(ctx, owner)
		if err != nil {
			return err
		}
		added, err := tx.AddToWatchlist(ctx, owner, symbol)
		if err != nil {
			return err
		}
		if added && n >= MaxWatchlist {
			return &ledger.Error{Code: "limit_exceeded", Msg: "Your watchlist can hold at most 50 symbols. Remove one to add another."}
		}
		return nil
	})
}

// Unwatch removes a symbol from the owner's watchlist.
func (s *Service) Unwatch(ctx context.Context, owner, symbol string) error {
	return s.store.RemoveFromWatchlist(ctx, owner, symbol)
}
