package api

import "net/http"

// investRoutes registers the market data, order, portfolio and watchlist
// endpoints (API.md "Market data and investing"). routes.go calls it.
func (s *Server) investRoutes(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/market/search", s.authed(s.marketSearch))
	mux.Handle("GET /api/v1/market/quotes", s.authed(s.marketQuotes))
	mux.Handle("GET /api/v1/market/history/{symbol}", s.authed(s.marketHistory))

	mux.Handle("POST /api/v1/orders", s.authed(s.createOrder))
	mux.Handle("GET /api/v1/orders", s.authed(s.listOrders))

	mux.Handle("GET /api/v1/portfolio", s.authed(s.getPortfolio))
	mux.Handle("GET /api/v1/portfolio/history", s.authed(s.getPortfolioHistory))

	mux.Handle("GET /api/v1/watchlist", s.authed(s.getWatchlist))
	mux.Handle("PUT /api/v1/watchlist/{symbol}", s.authed(s.watch))
	mux.Handle("DELETE /api/v1/watchlist/{symbol}", s.authed(s.unwatch))
}
