package api

import (
	"net/http"

	"github.com/bankapp/bankapp/internal/market"
	"github.com/bankapp/bankapp/internal/store"
)

// maxWatchlist keeps a watchlist quotable in one quotes request.
const maxWatchlist = maxQuoteSymbols

type watchItemView struct {
	Symbol  string `json:"symbol"`
	AddedAt string `json:"added_at"`
}

func (s *Server) getWatchlist(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.Watchlist(r.Context(), principalOf(r).UserID)
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
	// Only symbols the market can quote may be watched (unknown → 404).
	if _, err := s.market.Quote(r.Context(), sym); err != nil {
		return err
	}
	owner := principalOf(r).UserID
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		if err := tx.LockWatchlist(r.Context(), owner); err != nil {
			return err
		}
		n, err := tx.CountWatchlist(r.Context(), owner)
		if err != nil {
			return err
		}
		added, err := tx.AddToWatchlist(r.Context(), owner, sym)
		if err != nil {
			return err
		}
		if added && n >= maxWatchlist {
			return errCode("limit_exceeded", "a watchlist holds at most 50 symbols")
		}
		return nil
	})
	if err != nil {
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
	if err := s.db.RemoveFromWatchlist(r.Context(), principalOf(r).UserID, sym); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
