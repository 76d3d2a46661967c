package api

import (
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

func (s *Server) getPortfolio(w http.ResponseWriter, r *http.Request) error {
	p, err := s.invest.Portfolio(r.Context(), principalOf(r).UserID, r.URL.Query().Get("account_id"))
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
	pts, cur, err := s.invest.PortfolioHistory(r.Context(), principalOf(r).UserID, r.URL.Query().Get("account_id"), rng)
	if err != nil {
		return err
	}
	out := make([]valuePointView, len(pts))
	for i, p := range pts {
		out[i] = valuePointView{T: ts(p.T), Value: ledger.FormatMinor(p.Value, cur.Digits())}
	}
	return encode(w, http.StatusOK, map[string]any{"points": out})
}
