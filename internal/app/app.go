// Package app wires BankApp together: it builds the domain services over
// one database for the HTTP server, the job runner and the command line.
// It is the one place that knows every concrete type (the composition root).
package app

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/bankapp/bankapp/internal/api"
	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/blob"
	"github.com/bankapp/bankapp/internal/config"
	"github.com/bankapp/bankapp/internal/invest"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market"
	"github.com/bankapp/bankapp/internal/store"
)

// Options is what the services are built from.
type Options struct {
	Config     config.Config
	DB         *store.DB
	Blobs      blob.Store
	Logger     *slog.Logger
	Registerer prometheus.Registerer // nil = metrics not registered
	Now        func() time.Time
	Tokens     *auth.Tokens
	Market     *market.Service
	Hasher     auth.Hasher // nil = argon2id, at most 2 at once
}

// Services are BankApp's domain services.
type Services struct {
	Auth   *auth.Service
	Bank   *bank.Service
	Invest *invest.Service
	// Keys are the idempotency keys in flight on this instance, shared by
	// every money use case (bank and invest).
	Keys *ledger.Keys
}

// New builds the services.
func New(o Options) (*Services, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Registerer != nil {
		if err := o.Registerer.Register(collectors.NewDBStatsCollector(o.DB.SQLDB(), "bankapp")); err != nil {
			return nil, err
		}
	}
	keys := ledger.NewKeys()
	c := o.Config
	b, err := bank.New(bank.Options{Store: o.DB.Bank(), Keys: keys, Blobs: o.Blobs, Now: o.Now, Logger: o.Logger,
		Registerer: o.Registerer, GroupCommit: c.GroupCommit, Lanes: c.GroupCommitLanes, MaxBatch: c.GroupCommitMax,
		Window: c.GroupCommitWindow})
	if err != nil {
		return nil, err
	}
	a, err := auth.New(auth.Options{Store: o.DB.Auth(), Tokens: o.Tokens, Hasher: o.Hasher, Now: o.Now, Logger: o.Logger,
		Registerer: o.Registerer, Settings: auth.Settings{RefreshTTL: c.RefreshTokenTTL, MaxAge: c.SessionMaxAge, IdleTimeout: c.SessionIdleTimeout}})
	if err != nil {
		return nil, err
	}
	inv := invest.New(invest.Options{Store: o.DB.Invest(), Market: o.Market, Keys: keys, MinOrderValue: c.MinOrderValue, Now: o.Now})
	return &Services{Auth: a, Bank: b, Invest: inv, Keys: keys}, nil
}

// Server is the HTTP API over the services.
func (s *Services) Server(o Options, web http.Handler) *api.Server {
	return api.NewServer(api.Deps{Config: o.Config, Auth: s.Auth, Bank: s.Bank, Invest: s.Invest, Market: o.Market,
		Health: o.DB, Logger: o.Logger, Registry: o.Registerer, Web: web, Now: o.Now})
}

// Close stops the services' background workers (group commit). Call it
// once no request can reach them.
func (s *Services) Close() { s.Bank.Close() }
