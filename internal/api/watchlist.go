package api

import (
	"net/http"

	"github.com/bankapp/bankapp/internal/market"
)

type watchItemView struct {
	Symbol  string `json:"symbol"`
	AddedAt string `json:"added_at"`
}

func (s *Server) getWatchlist(w http.ResponseWriter, r *http.Request) error {
	list, err := s.invest.Watchlist(r.Context(), principalOf(r).UserID)
	if err != nil {
		return err
	}
	items := make([]watchItemView, 0, len(list))
	for _, it := range list {
		items = append(items, watchItemView{Symbol: it.Symbol, AddedAt: ts(it.AddedAt)})
	}
	return encode(w, http.StatusOK, map[string]any{"items": items})
}

func (s *Server) watch(w http.ResponseWriter, r *http.Request) error {
	sym, ok := market.NormalizeSymbol(r.PathValue("symbol"))
	if !ok {
		return &market.UnknownSymbolError{Symbol: r.PathValue("symbol")}
	}
	if err := s.invest.Watch(r.Context(), principalOf(r).UserID, sym); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) unwatch(w http.ResponseWriter, r *http.Request) error {
	sym, ok := market.NormalizeSymbol(r.PathValue("symbol"))
	if !ok {
		return &market.UnknownSymbolError{Symbol: r.PathValue("symbol")}
	}
	if err := s.invest.Unwatch(r.Context(), principalOf(r).UserID, sym); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
