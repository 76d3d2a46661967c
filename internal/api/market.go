package api

import (
	"net/http"
	"strings"

	"github.com/bankapp/bankapp/internal/market"
)

// maxQuoteSymbols is how many symbols one quotes request may ask for.
const maxQuoteSymbols = 50

// maxSearchQuery and maxSearchResults bound the search endpoint.
const (
	maxSearchQuery   = 50
	maxSearchResults = 20
)

func (s *Server) marketSearch(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" || len(q) > maxSearchQuery {
		return invalidParam("q", "must be 1 to 50 characters")
	}
	items, err := s.market.Search(r.Context(), q)
	if err != nil {
		return err
	}
	if items == nil {
		items = []market.Instrument{}
	}
	if len(items) > maxSearchResults {
		items = items[:maxSearchResults]
	}
	return encode(w, http.StatusOK, map[string]any{"items": items})
}

func (s *Server) marketQuotes(w http.ResponseWriter, r *http.Request) error {
	var symbols []string
	seen := map[string]bool{}
	for _, raw := range strings.Split(r.URL.Query().Get("symbols"), ",") {
		if strings.TrimSpace(raw) == "" {
			continue
		}
		sym, ok := market.NormalizeSymbol(raw)
		if !ok {
			return &market.UnknownSymbolError{Symbol: raw}
		}
		if !seen[sym] {
			seen[sym] = true
			symbols = append(symbols, sym)
		}
	}
	switch {
	case len(symbols) == 0:
		return invalidParam("symbols", "is required: a comma-separated list such as AAPL,BTC-USD")
	case len(symbols) > maxQuoteSymbols:
		return invalidParam("symbols", "must list at most 50 symbols")
	}
	quotes, err := s.market.Quotes(r.Context(), symbols)
	if err != nil {
		return err
	}
	items := make([]market.Quote, 0, len(symbols))
	for _, sym := range symbols {
		q, ok := quotes[sym]
		if !ok {
			return &market.UnknownSymbolError{Symbol: sym}
		}
		items = append(items, q)
	}
	return encode(w, http.StatusOK, map[string]any{"items": items})
}

type historyView struct {
	Symbol   string         `json:"symbol"`
	Currency string         `json:"currency"`
	Points   []market.Point `json:"points"`
}

func (s *Server) marketHistory(w http.ResponseWriter, r *http.Request) error {
	rng, err := rangeParam(r)
	if err != nil {
		return err
	}
	sym, ok := market.NormalizeSymbol(r.PathValue("symbol"))
	if !ok {
		return &market.UnknownSymbolError{Symbol: r.PathValue("symbol")}
	}
	pts, err := s.market.History(r.Context(), sym, rng)
	if err != nil {
		return err
	}
	if pts == nil {
		pts = []market.Point{}
	}
	// Every market BankApp trades quotes in USD today; ask the (cached)
	// quote so that a future non-USD listing reports its own currency.
	cur := "USD"
	if q, err := s.market.Quote(r.Context(), sym); err == nil && q.Currency != "" {
		cur = q.Currency
	}
	return encode(w, http.StatusOK, historyView{Symbol: sym, Currency: cur, Points: pts})
}

// rangeParam reads ?range= (default 1mo).
func rangeParam(r *http.Request) (market.Range, error) {
	v := r.URL.Query().Get("range")
	if v == "" {
		return market.Range1Mo, nil
	}
	return market.ParseRange(v)
}
