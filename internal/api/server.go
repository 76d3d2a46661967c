// Package api is BankApp's HTTP API: routing, authentication, validation,
// idempotency, rate limits and problem errors. Business rules live in the
// domain packages; handlers decode, call them, and encode.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/config"
	"github.com/bankapp/bankapp/internal/invest"
	"github.com/bankapp/bankapp/internal/market"
)

// Health is what readiness checks: the database answers and has every
// migration (store.DB).
type Health interface {
	Ping(ctx context.Context) error
	MigrationsCurrent(ctx context.Context) (bool, error)
}

// Deps is everything the server needs; main builds it (internal/app),
// tests too. The server talks to the domain services only, never to SQL.
type Deps struct {
	Config   config.Config
	Auth     *auth.Service
	Bank     *bank.Service
	Invest   *invest.Service
	Market   *market.Service // quotes, history and search
	Health   Health
	Logger   *slog.Logger
	Registry prometheus.Registerer // metrics are registered here (served on METRICS_ADDR, not by this server)
	Web      http.Handler          // the SPA; nil serves nothing outside /api
	Now      func() time.Time
}

// Server is the HTTP API. It is an http.Handler.
type Server struct {
	cfg      config.Config
	auth     *auth.Service
	bank     *bank.Service
	invest   *invest.Service
	market   *market.Service
	health   Health
	tokens   *auth.Tokens
	log      *slog.Logger
	now      func() time.Time
	handler  http.Handler
	sessions *sessionCache
	authRate *limiter
	apiRate  *limiter
	metrics  *metrics
	draining atomic.Bool
	migrated atomic.Bool
	dbMisses atomic.Int32 // consecutive failed readiness pings (health.go)
	cop      *http.CrossOriginProtection
}

// NewServer wires the routes and middleware.
func NewServer(d Deps) *Server {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	s := &Server{
		cfg: d.Config, auth: d.Auth, bank: d.Bank, invest: d.Invest, market: d.Market, health: d.Health,
		tokens: d.Auth.Tokens(), log: d.Logger, now: d.Now,
		sessions: newSessionCache(d.Auth, time.Second, d.Now),
		authRate: newLimiter(d.Config.AuthRateLimitPerMinute, d.Now),
		apiRate:  newLimiter(d.Config.APIRateLimitPerMinute, d.Now),
		metrics:  newMetrics(d.Registry),
		cop:      http.NewCrossOriginProtection(),
	}
	if d.Config.PublicOrigin != "" {
		_ = s.cop.AddTrustedOrigin(d.Config.PublicOrigin)
	}
	mux := http.NewServeMux()
	s.routes(mux, d.Web)
	s.handler = s.recoverer(s.requestID(s.securityHeaders(s.observe(s.cleanInput(mux)))))
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// SetDraining makes /readyz answer 503 so the load balancer stops sending
// new requests while in-flight ones finish.
func (s *Server) SetDraining() { s.draining.Store(true) }

// handlerFunc is a handler that returns its error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// h adapts a handlerFunc: an error becomes a problem response.
func (s *Server) h(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}
