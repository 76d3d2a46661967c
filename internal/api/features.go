package api

import "net/http"

// getFeatures answers the feature flags as they are now (GET
// /api/v1/features), for the web app to hide what is turned off. The
// rules themselves live in the domain (a crypto order with crypto trading
// off is refused by invest, whatever the web app shows).
func (s *Server) getFeatures(w http.ResponseWriter, _ *http.Request) error {
	return encode(w, http.StatusOK, map[string]any{"features": s.features.Snapshot()})
}
