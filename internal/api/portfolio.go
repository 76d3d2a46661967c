package api

import (
	"context"
	"net/http"

	"github.com/bankapp/bankapp/internal/invest"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market"
)

type holdingView struct {
	Symbol              string `json:"symbol"`
	Quantity            string `json:"quantity"`
	AverageCost         string `json:"average_cost"`
	Price               string `json:"price"`
	MarketValue         string `json:"market_value"`
	UnrealizedPL        string `json:"unrealized_pl"`
	UnrealizedPLPercent string `json:"unrealized_pl_percent"`
	Weight              string `json:"weight"`
	DayChange           string `json:"day_change"`
}

type portfolioView struct {
	Currency   string        `json:"currency"`
	Cash       string        `json:"cash"`
	Holdings   []holdingView `json:"holdings"`
	TotalValue string        `json:"total_value"`
	RealizedPL string        `json:"realized_pl"`
	DayChange  string        `json:"day_change"`
}

func viewPortfolio(p invest.Portfolio) portfolioView {
	d := p.Currency.Digits()
	v := portfolioView{Currency: string(p.Currency), Cash: ledger.FormatMinor(p.Cash, d), Holdings: make([]holdingView, 0, len(p.Positions)),
		TotalValue: ledger.FormatMinor(p.TotalValue, d), RealizedPL: ledger.FormatMinor(p.RealizedPL, d), DayChange: ledger.FormatMinor(p.DayChange, d)}
	for _, h := range p.Positions {
		v.Holdings = append(v.Holdings, holdingView{Symbol: h.Symbol, Quantity: invest.FormatQuantity(h.Quantity),
			AverageCost: market.FormatPrice(market.RoundPrice(h.AverageCost)), Price: market.FormatPrice(h.Price),
			MarketValue: ledger.FormatMinor(h.MarketValue, d), UnrealizedPL: ledger.FormatMinor(h.UnrealizedPL, d),
			UnrealizedPLPercent: h.UnrealizedPLPercent.StringFixed(2), Weight: h.Weight.StringFixed(2),
			DayChange: ledger.FormatMinor(h.DayChange, d)})
	}
	return v
}

// portfolioAccounts is the account that ?account_id= names (the caller's,
// brokerage) or, without it, all of the caller's brokerage accounts of the
// portfolio currency (invest.PortfolioAccounts).
func (s *Server) portfolioAccounts(ctx context.Context, r *http.Request) ([]ledger.Account, ledger.Currency, error) {
	owner := principalOf(r).UserID
	if id := r.URL.Query().Get("account_id"); id != "" {
		a, err := s.db.AccountByID(ctx, owner, id)
		if err != nil {
			return nil, "", err
		}
		if a.Type != ledger.TypeBrokerage {
			return nil, "", invalidParam("account_id", "must be a brokerage account")
		}
		return []ledger.Account{a}, a.Currency, nil
	}
	all, err := s.db.AccountsByOwner(ctx, owner)
	if err != nil {
		return nil, "", err
	}
	accts := invest.PortfolioAccounts(all)
	cur := ledger.USD
	if len(accts) > 0 {
		cur = accts[0].Currency
	}
	return accts, cur, nil
}

func accountIDs(accts []ledger.Account) []string {
	ids := make([]string, len(accts))
	for i, a := range accts {
		ids[i] = a.ID
	}
	return ids
}

func (s *Server) getPortfolio(w http.ResponseWriter, r *http.Request) error {
	accts, _, err := s.portfolioAccounts(r.Context(), r)
	if err != nil {
		return err
	}
	hs, err := s.db.HoldingsByAccounts(r.Context(), accountIDs(accts))
	if err != nil {
		return err
	}
	// Today's orders make the day change count units bought today from
	// their fill, not from the previous close.
	orders, err := s.db.OrdersByAccounts(r.Context(), accountIDs(accts))
	if err != nil {
		return err
	}
	p, err := invest.ValueWithOrders(r.Context(), s.market, accts, hs, orders)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, viewPortfolio(p))
}

type valuePointView struct {
	T     string `json:"t"`
	Value string `json:"value"`
}

func (s *Server) getPortfolioHistory(w http.ResponseWriter, r *http.Request) error {
	rng, err := rangeParam(r)
	if err != nil {
		return err
	}
	accts, cur, err := s.portfolioAccounts(r.Context(), r)
	if err != nil {
		return err
	}
	ids := accountIDs(accts)
	now := s.now().UTC()
	orders, err := s.db.OrdersByAccounts(r.Context(), ids)
	if err != nil {
		return err
	}
	cash, err := s.db.BalanceHistory(r.Context(), ids, now.Add(-rng.Span()))
	if err != nil {
		return err
	}
	invest.SortCash(cash)
	pts, err := invest.History(r.Context(), s.market, invest.HistoryInput{Currency: cur, Orders: orders, Cash: cash, Range: rng, Now: now})
	if err != nil {
		return err
	}
	out := make([]valuePointView, len(pts))
	for i, p := range pts {
		out[i] = valuePointView{T: ts(p.T), Value: ledger.FormatMinor(p.Value, cur.Digits())}
	}
	return encode(w, http.StatusOK, map[string]any{"points": out})
}
