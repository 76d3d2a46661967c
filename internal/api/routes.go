package api

import (
	"net/http"
	"strings"
)

// routes lists the whole API. public: no token; authLimited: no token, per-IP
// limit; authed: Bearer token + per-user limit; admin: role admin.
func (s *Server) routes(mux *http.ServeMux, web http.Handler) {
	mux.Handle("GET /healthz", s.h(s.healthz))
	mux.Handle("GET /readyz", s.h(s.readyz))
	// Metrics have their own listener (METRICS_ADDR, telemetry.MetricsHandler),
	// never this public port.
	mux.Handle("/metrics", s.h(func(http.ResponseWriter, *http.Request) error { return errCode("not_found", "no such endpoint") }))
	mux.Handle("GET /api/openapi.json", s.h(s.openapi))

	mux.Handle("POST /api/v1/auth/register", s.authLimited(s.register))
	mux.Handle("POST /api/v1/auth/login", s.authLimited(s.login))
	mux.Handle("POST /api/v1/auth/refresh", s.authLimited(s.refresh))
	mux.Handle("POST /api/v1/auth/logout", s.h(s.logout))
	mux.Handle("POST /api/v1/auth/password-reset", s.authLimited(s.requestPasswordReset))
	mux.Handle("POST /api/v1/auth/password-reset/confirm", s.authLimited(s.confirmPasswordReset))
	mux.Handle("POST /api/v1/auth/verify-email", s.authLimited(s.verifyEmail))

	mux.Handle("GET /api/v1/me", s.authed(s.getMe))
	mux.Handle("PATCH /api/v1/me", s.authed(s.patchMe))
	mux.Handle("POST /api/v1/me/password", s.authed(s.changePassword))
	mux.Handle("POST /api/v1/me/2fa/setup", s.authed(s.setup2FA))
	mux.Handle("POST /api/v1/me/2fa/enable", s.authed(s.enable2FA))
	mux.Handle("POST /api/v1/me/2fa/disable", s.authed(s.disable2FA))
	mux.Handle("POST /api/v1/me/2fa/recovery-codes", s.authed(s.regenerateRecoveryCodes))
	mux.Handle("POST /api/v1/me/email/verification", s.authed(s.resendVerification))
	mux.Handle("GET /api/v1/me/sessions", s.authed(s.listSessions))
	mux.Handle("DELETE /api/v1/me/sessions/{id}", s.authed(s.deleteSession))

	// Signed in, like everything outside API.md's public list: the web app
	// asks after sign-in, and which features are off is no one else's
	// business.
	mux.Handle("GET /api/v1/features", s.authed(s.getFeatures))

	mux.Handle("GET /api/v1/accounts", s.authed(s.listAccounts))
	mux.Handle("POST /api/v1/accounts", s.authed(s.openAccount))
	mux.Handle("GET /api/v1/accounts/{id}", s.authed(s.getAccount))
	mux.Handle("PATCH /api/v1/accounts/{id}", s.authed(s.renameAccount))
	mux.Handle("DELETE /api/v1/accounts/{id}", s.authed(s.closeAccount))
	mux.Handle("GET /api/v1/accounts/{id}/transactions", s.authed(s.listEntries))
	mux.Handle("GET /api/v1/accounts/{id}/transactions.csv", s.authed(s.exportEntries))
	mux.Handle("GET /api/v1/accounts/{id}/statements/{month}", s.authed(s.getStatement))

	mux.Handle("POST /api/v1/deposits", s.authed(s.deposit))
	mux.Handle("POST /api/v1/withdrawals", s.authed(s.withdraw))
	mux.Handle("POST /api/v1/transfers", s.authed(s.createTransfer))
	mux.Handle("GET /api/v1/transfers", s.authed(s.listTransfers))
	mux.Handle("GET /api/v1/transfers/{id}", s.authed(s.getTransfer))

	mux.Handle("GET /api/v1/payees", s.authed(s.listPayees))
	mux.Handle("POST /api/v1/payees", s.authed(s.addPayee))
	mux.Handle("DELETE /api/v1/payees/{id}", s.authed(s.deletePayee))
	mux.Handle("POST /api/v1/recipients/lookup", s.authed(s.lookupRecipient)) // recipients.go

	s.investRoutes(mux)    // market data, orders, portfolio, watchlist: routes_invest.go
	s.scheduledRoutes(mux) // standing orders: scheduled.go
	s.fxRoutes(mux)        // currency exchange and overview: fx.go

	mux.Handle("GET /api/v1/admin/users", s.admin(s.adminUsers))
	mux.Handle("GET /api/v1/admin/users/{id}", s.admin(s.adminUserDetail)) // admin_user.go
	mux.Handle("POST /api/v1/admin/accounts/{id}/freeze", s.admin(s.adminFreeze("frozen")))
	mux.Handle("POST /api/v1/admin/accounts/{id}/unfreeze", s.admin(s.adminFreeze("active")))
	mux.Handle("GET /api/v1/admin/audit", s.admin(s.adminAudit))
	mux.Handle("GET /api/v1/admin/ledger/verify", s.admin(s.adminVerify))

	// Anything else under /api is a JSON 405 (the path exists with other
	// methods) or 404, never the web app.
	mux.Handle("/api/", s.h(func(w http.ResponseWriter, r *http.Request) error {
		if allow := allowedMethods(mux, r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			return errCode("method_not_allowed", r.Method+" is not allowed here; use "+strings.Join(allow, ", "))
		}
		return errCode("not_found", "no such endpoint: "+r.Method+" "+r.URL.Path)
	}))
	if web != nil {
		mux.Handle("/", web)
	}
}

// allowedMethods lists the methods that have a route for r's path.
func allowedMethods(mux *http.ServeMux, r *http.Request) []string {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/api/" {
			allow = append(allow, m)
		}
	}
	return allow
}
