// Package api is BankApp's HTTP API: routing, authentication, validation,
// idempotency, rate limits and problem errors. Business rules live in the
// domain packages; handlers decode, call them, and encode.
package api

import (
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/blob"
	"github.com/bankapp/bankapp/internal/config"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market"
	"github.com/bankapp/bankapp/internal/store"
)

// Deps is everything the server needs; main builds it, tests too.
type Deps struct {
	Config   config.Config
	DB       *store.DB
	Tokens   *auth.Tokens
	Logger   *slog.Logger
	Registry *prometheus.Registry // metrics are registered here and served at /metrics
	Blobs    blob.Store
	Market   *market.Service // prices for quotes and orders
	Web      http.Handler    // the SPA; nil serves nothing outside /api
	Now      func() time.Time
}

// Server is the HTTP API. It is an http.Handler.
type Server struct {
	cfg      config.Config
	db       *store.DB
	tokens   *auth.Tokens
	log      *slog.Logger
	blobs    blob.Store
	market   *market.Service
	now      func() time.Time
	handler  http.Handler
	sessions *sessionCache
	keys     *ledger.Keys
	authRate *limiter
	apiRate  *limiter
	metrics  *metrics
	draining atomic.Bool
	migrated atomic.Bool
	dbMisses atomic.Int32 // consecutive failed readiness pings (health.go)
	cop      *http.CrossOriginProtection
	hashSem  chan struct{} // bounds concurrent argon2id work
	// committer batches transfers (group commit); nil when turned off.
	committer *committer
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
		cfg: d.Config, db: d.DB, tokens: d.Tokens, log: d.Logger, blobs: d.Blobs, market: d.Market, now: d.Now,
		sessions: newSessionCache(d.DB, time.Second, d.Now),
		keys:     ledger.NewKeys(),
		authRate: newLimiter(d.Config.AuthRateLimitPerMinute, d.Now),
		apiRate:  newLimiter(d.Config.APIRateLimitPerMinute, d.Now),
		metrics:  newMetrics(d.Registry, d.DB),
		cop:      http.NewCrossOriginProtection(),
		hashSem:  make(chan struct{}, maxConcurrentHashes),
	}
	if d.Config.PublicOrigin != "" {
		_ = s.cop.AddTrustedOrigin(d.Config.PublicOrigin)
	}
	if d.Config.GroupCommit {
		s.committer = newCommitter(s, d.Config.GroupCommitWorkers, d.Config.GroupCommitMax, d.Config.GroupCommitWindow)
	}
	mux := http.NewServeMux()
	s.routes(mux, d.Registry, d.Web)
	s.handler = s.recoverer(s.requestID(s.securityHeaders(s.observe(mux))))
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Close stops the group-commit workers. Call it after the HTTP server has
// shut down (no request is waiting on them then).
func (s *Server) Close() {
	if s.committer != nil {
		close(s.committer.stop)
	}
}

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
