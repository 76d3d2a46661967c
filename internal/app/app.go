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
	"go.opentelemetry.io/otel/trace"

	"github.com/bankapp/bankapp/internal/api"
	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/blob"
	"github.com/bankapp/bankapp/internal/config"
	"github.com/bankapp/bankapp/internal/features"
	"github.com/bankapp/bankapp/internal/invest"
	"github.com/bankapp/bankapp/internal/jobs"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/mail"
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
	// Mailer delivers email; nil = the driver of Config (MailConfig).
	Mailer mail.Sender
	// Features are the feature flags (serve re-reads them while it runs:
	// features.Watch); nil = every flag at its default.
	Features *features.Set
	// TracerProvider traces HTTP requests (telemetry.StartTracing); nil =
	// no tracing. SQL, group-commit and outbound spans follow their
	// request's span and need nothing more.
	TracerProvider trace.TracerProvider
}

// Services are BankApp's domain services.
type Services struct {
	Auth   *auth.Service
	Bank   *bank.Service
	Invest *invest.Service
	// Keys are the idempotency keys in flight on this instance, shared by
	// every money use case (bank and invest).
	Keys *ledger.Keys
	// Mailer delivers the outbox's messages (the job runner's mail_send).
	Mailer mail.Sender
	// Features are the flags the services and the server read.
	Features *features.Set
}

// New builds the services.
func New(o Options) (*Services, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Features == nil {
		o.Features = features.New(func(string) string { return "" }, o.Logger)
	}
	if o.Registerer != nil {
		if err := o.Registerer.Register(collectors.NewDBStatsCollector(o.DB.SQLDB(), "bankapp")); err != nil {
			return nil, err
		}
	}
	keys := ledger.NewKeys()
	c := o.Config
	inv := invest.New(invest.Options{Store: o.DB.Invest(), Market: o.Market, Keys: keys, MinOrderValue: c.MinOrderValue,
		Spread: c.FXSpread, Now: o.Now, Features: o.Features})
	bo := bank.Options{Store: o.DB.Bank(), Keys: keys, Blobs: o.Blobs, Now: o.Now, Logger: o.Logger,
		Registerer: o.Registerer, GroupCommit: c.GroupCommit, Lanes: c.GroupCommitLanes, MaxBatch: c.GroupCommitMax,
		Window: c.GroupCommitWindow, Spread: c.FXSpread, Investments: inv}
	if o.Market != nil {
		bo.FX = o.Market
	}
	b, err := bank.New(bo)
	if err != nil {
		return nil, err
	}
	templates, err := mail.NewTemplates(mail.Site{Origin: c.LinkOrigin(), Name: "BankApp"})
	if err != nil {
		return nil, err
	}
	mailer := o.Mailer
	if mailer == nil {
		mc := c.MailConfig()
		mc.Registerer = o.Registerer
		if mailer, err = mail.New(mc, o.Logger); err != nil {
			return nil, err
		}
	}
	a, err := auth.New(auth.Options{Store: o.DB.Auth(), Tokens: o.Tokens, Hasher: o.Hasher, Now: o.Now, Logger: o.Logger,
		Registerer: o.Registerer, Settings: auth.Settings{RefreshTTL: c.RefreshTokenTTL, MaxAge: c.SessionMaxAge, IdleTimeout: c.SessionIdleTimeout},
		Mail: templates, DeviceKey: auth.DeriveKey(c.JWTSigningKey, "device-cookie")})
	if err != nil {
		return nil, err
	}
	return &Services{Auth: a, Bank: b, Invest: inv, Keys: keys, Mailer: mailer, Features: o.Features}, nil
}

// Jobs builds the job runner over the services: the built-in kinds, mail
// delivery through Mailer, and the answers to password-reset requests.
// jo's DB, Now, Logger and Registerer default to o's.
func (s *Services) Jobs(o Options, jo jobs.Options) (*jobs.Runner, error) {
	if jo.DB == nil {
		jo.DB = o.DB
	}
	if jo.Now == nil {
		jo.Now = o.Now
	}
	if jo.Logger == nil {
		jo.Logger = o.Logger
	}
	if jo.Registerer == nil {
		jo.Registerer = o.Registerer
	}
	r, err := jobs.New(jo)
	if err != nil {
		return nil, err
	}
	r.Register(jobs.KindMailSend, jobs.MailHandler(s.Mailer, 0))
	r.Register(jobs.KindPasswordResetRequest, jobs.PasswordResetHandler(s.Auth))
	return r, nil
}

// Server is the HTTP API over the services.
func (s *Services) Server(o Options, web http.Handler) *api.Server {
	return api.NewServer(api.Deps{Config: o.Config, Auth: s.Auth, Bank: s.Bank, Invest: s.Invest, Market: o.Market,
		Health: o.DB, Logger: o.Logger, Registry: o.Registerer, Web: web, Now: o.Now, Features: s.Features,
		TracerProvider: o.TracerProvider})
}

// Close stops the services' background workers (group commit). Call it
// once no request can reach them.
func (s *Services) Close() { s.Bank.Close() }
