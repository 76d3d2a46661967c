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
	"go.opentelemetry.io/otel/trace"

	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/config"
	"github.com/bankapp/bankapp/internal/features"
	"github.com/bankapp/bankapp/internal/invest"
	"github.com/bankapp/bankapp/internal/market"
	"github.com/bankapp/bankapp/internal/telemetry"
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
	// Features are the feature flags GET /api/v1/features reports (nil:
	// every flag at its default).
	Features *features.Set
	// TracerProvider makes each request's server span (telemetry.HTTPHandler);
	// nil or the no-op provider: no tracing, and the request path is the same
	// code as without it.
	TracerProvider trace.TracerProvider
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
	features *features.Set
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
	if d.Features == nil {
		d.Features = features.New(func(string) string { return "" }, d.Logger)
	}
	s := &Server{
		cfg: d.Config, auth: d.Auth, bank: d.Bank, invest: d.Invest, market: d.Market, health: d.Health,
		tokens: d.Auth.Tokens(), log: d.Logger, now: d.Now,
		sessions: newSessionCache(d.Auth, time.Second, d.Now),
		authRate: newLimiter(d.Config.AuthRateLimitPerMinute, d.Now),
		apiRate:  newLimiter(d.Config.APIRateLimitPerMinute, d.Now),
		metrics:  newMetrics(d.Registry),
		cop:      http.NewCrossOriginProtection(),
		features: d.Features,
	}
	if d.Config.PublicOrigin != "" {
		_ = s.cop.AddTrustedOrigin(d.Config.PublicOrigin)
	}
	mux := http.NewServeMux()
	s.routes(mux, d.Web)
	// The server span is outermost, so that the access log line (observe)
	// and any log line below it carry trace_id and span_id; observe names
	// the span by route once the mux has routed the request.
	s.handler = telemetry.HTTPHandler(s.recoverer(s.requestID(s.securityHeaders(s.observe(s.cleanInput(mux))))), d.TracerProvider)
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
