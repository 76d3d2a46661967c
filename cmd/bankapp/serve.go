package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/trace"

	"github.com/bankapp/bankapp/internal/api"
	"github.com/bankapp/bankapp/internal/app"
	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/awsconfig"
	"github.com/bankapp/bankapp/internal/blob"
	"github.com/bankapp/bankapp/internal/config"
	"github.com/bankapp/bankapp/internal/features"
	"github.com/bankapp/bankapp/internal/jobs"
	"github.com/bankapp/bankapp/internal/mail"
	"github.com/bankapp/bankapp/internal/market"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/telemetry"
	"github.com/bankapp/bankapp/web"
)

// drainTimeout bounds graceful shutdown; ECS waits 30 s after SIGTERM.
const drainTimeout = 25 * time.Second

// loadConfig reads the environment and, when AWS_SECRETS_MANAGER_SECRET_ID
// or SSM_PARAMETER_PATH is set, the settings stored in AWS, then validates
// them all together.
func loadConfig(getenv func(string) string) (config.Config, error) {
	cfg, _, err := loadSettings(getenv)
	return cfg, err
}

// loadSettings is loadConfig that also returns the getenv it read through
// (the environment, then AWS), for the settings packages read themselves:
// OTEL_* (telemetry.StartTracing) and FEATURE_* (features.New).
func loadSettings(getenv func(string) string) (config.Config, func(string) string, error) {
	if opts := awsconfig.OptionsFromEnv(getenv); opts.SecretID != "" || opts.ParameterPath != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		values, err := awsconfig.Load(ctx, opts)
		cancel()
		if err != nil {
			return config.Config{}, nil, err
		}
		getenv = awsconfig.Getenv(getenv, values)
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return cfg, nil, err
	}
	if len(cfg.JWTSigningKey) == 0 {
		key, err := config.DevSigningKey(cfg.DataDir)
		if err != nil {
			return cfg, nil, err
		}
		cfg.JWTSigningKey, cfg.JWTKeyGenerated = key, true
	}
	return cfg, getenv, nil
}

// openDB opens the database of cfg. With DATABASE_SECRET_ID the PostgreSQL
// password of every new connection comes from that Secrets Manager secret
// (rotated while the app runs), not from the URL or PGPASSWORD.
func openDB(ctx context.Context, cfg config.Config, getenv func(string) string) (*store.DB, error) {
	opts := store.Options{URL: cfg.DatabaseURL, ReadURL: cfg.DatabaseReadURL, DataDir: cfg.DataDir}
	if aws := awsconfig.OptionsFromEnv(getenv); aws.DatabaseSecretID != "" && cfg.DatabaseURL != "" {
		secret, err := awsconfig.NewDatabaseSecret(ctx, aws, aws.DatabaseSecretID)
		if err != nil {
			return nil, err
		}
		opts.Password = secret
	}
	return store.Open(ctx, opts)
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, settings, err := loadSettings(getenv)
	if err != nil {
		return err
	}
	log := telemetry.NewLogger(stdout, cfg.LogLevel, cfg.LogFormat)
	start := time.Now()
	// Tracing first, so that its shutdown runs last: after the drain, the
	// job runner and the database, it flushes the spans still queued.
	tp, shutdownTracing, err := telemetry.StartTracing(ctx, settings, version, telemetry.WithLogger(log))
	if err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := shutdownTracing(sctx); err != nil {
			log.Warn("tracing: flushing the last spans failed", "err", err)
		}
	}()
	flags := features.New(settings, log)
	db, err := openDB(ctx, cfg, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.MigrateUp(ctx)
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		log.Info("migrations applied", "versions", applied)
	}
	reg := prometheus.NewRegistry()
	opts, err := appOptions(ctx, cfg, db, log, reg, tp)
	if err != nil {
		return err
	}
	opts.Features = flags
	if err := watchFlags(ctx, flags, awsconfig.OptionsFromEnv(getenv), getenv, log, features.WatchOptions{}); err != nil {
		return err
	}
	svc, err := app.New(opts)
	if err != nil {
		return err
	}
	defer svc.Close()
	srv := svc.Server(opts, web.Handler())
	runner, err := svc.Jobs(opts, jobs.Options{InterestBPS: cfg.SavingsInterestBPS, Blobs: opts.Blobs, Lease: cfg.JobsLease,
		TracerProvider: tp})
	if err != nil {
		return err
	}
	logMail(cfg, log)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Addr, err)
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("bankapp listening", "addr", ln.Addr().String(), "env", cfg.Env, "database", string(db.Dialect()),
		"market", cfg.MarketDataProvider, "dev_signing_key", cfg.JWTKeyGenerated, "startup_ms", time.Since(start).Milliseconds())
	if cfg.JobsEnabled {
		// Jobs get a context that SIGTERM does not cancel: Stop lets the job
		// in hand commit rather than abort it. Stop runs before db.Close.
		runner.Start(context.WithoutCancel(ctx))
		defer runner.Stop(context.Background()) //nolint:errcheck // a no-op after the Stop in drain
	} else {
		log.Info("background jobs disabled on this instance (BANKAPP_JOBS_ENABLED=false)")
	}
	errc := make(chan error, 2)
	stopMetrics, err := serveMetrics(cfg, reg, log, errc)
	if err != nil {
		_ = ln.Close()
		return err
	}
	defer stopMetrics()
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	drain(cfg, log, srv, runner, hs)
	return nil
}

// logMail says where email goes: in development without SMTP_URL or
// MAIL_DRIVER, into the file outbox (each message's link is logged too).
func logMail(cfg config.Config, log *slog.Logger) {
	mc := cfg.MailConfig()
	if mc.EffectiveDriver() == mail.DriverFile {
		log.Info("email goes to the development outbox: no SMTP_URL or MAIL_DRIVER set; each message is an .eml file there and its link is logged",
			"outbox", mc.OutboxDir, "links_from", cfg.LinkOrigin())
		return
	}
	log.Info("email", "driver", mc.Summary(), "from", mc.From, "links_from", cfg.LinkOrigin())
}

// appOptions builds what the services need besides the database: market
// data, the blob store, the token issuer.
func appOptions(ctx context.Context, cfg config.Config, db *store.DB, log *slog.Logger, reg *prometheus.Registry, tp trace.TracerProvider) (app.Options, error) {
	mkt, err := market.New(market.Options{Provider: cfg.MarketDataProvider, YahooBaseURL: cfg.YahooFinanceBaseURL,
		CoinGeckoBaseURL: cfg.CoinGeckoBaseURL, CoinGeckoAPIKey: cfg.CoinGeckoAPIKey, CoinGeckoPro: cfg.CoinGeckoPro, Registerer: reg,
		TracerProvider: tp})
	if err != nil {
		return app.Options{}, err
	}
	blobs, err := blob.Open(ctx, cfg.BlobStore, cfg.DataDir)
	if err != nil {
		return app.Options{}, err
	}
	tokens, err := auth.NewTokens(cfg.JWTSigningKey, cfg.JWTIssuer, cfg.AccessTokenTTL, nil)
	if err != nil {
		return app.Options{}, err
	}
	return app.Options{Config: cfg, DB: db, Blobs: blobs, Logger: log, Registerer: reg, Tokens: tokens, Market: mkt, TracerProvider: tp}, nil
}

// watchFlags re-reads the feature flags while the server runs, when they
// live in SSM (SSM_PARAMETER_PATH): every minute and on SIGHUP, the
// parameters under <path>/features only, with the process environment
// (the task definition's own settings) winning as at start-up. Without
// SSM the flags are those of start-up: a process's environment cannot
// change. wo is features.WatchOptions{} (every minute, SIGHUP) but in tests.
func watchFlags(ctx context.Context, flags *features.Set, aws awsconfig.Options, getenv func(string) string, log *slog.Logger,
	wo features.WatchOptions) error {
	if aws.ParameterPath == "" {
		log.Info("feature flags: read at start-up only (no SSM_PARAMETER_PATH)", "flags", flags.Snapshot())
		return nil
	}
	aws.SecretID = ""
	aws.ParameterPath = path.Join(aws.ParameterPath, "features")
	loader, err := awsconfig.NewParameters(ctx, aws)
	if err != nil {
		return err
	}
	log.Info("feature flags: re-read every minute and on SIGHUP", "path", aws.ParameterPath, "flags", flags.Snapshot())
	go flags.Watch(ctx, features.Parameters(getenv, loader, log), wo)
	return nil
}

// serveMetrics starts the operators' listener (METRICS_ADDR: /metrics and
// pprof), never the public port. The returned func stops it.
func serveMetrics(cfg config.Config, reg *prometheus.Registry, log *slog.Logger, errc chan<- error) (func(), error) {
	if cfg.MetricsAddr == "" {
		return func() {}, nil
	}
	mln, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		return nil, fmt.Errorf("listen METRICS_ADDR %s: %w (choose another address, or METRICS_ADDR=off)", cfg.MetricsAddr, err)
	}
	ms := &http.Server{Handler: telemetry.MetricsHandler(reg), ReadHeaderTimeout: 5 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	log.Info("metrics and pprof listening", "addr", mln.Addr().String())
	go func() {
		if err := ms.Serve(mln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("metrics listener: %w", err)
		}
	}()
	return func() { _ = ms.Close() }, nil
}

// drain shuts down on SIGTERM: fail readiness at once so the load balancer
// stops routing here, keep serving while its health checks see 503, then
// stop accepting connections and let in-flight requests and the job in
// hand finish before the database closes.
func drain(cfg config.Config, log *slog.Logger, srv *api.Server, runner *jobs.Runner, hs *http.Server) {
	log.Info("draining", "timeout", drainTimeout.String(), "delay", cfg.DrainDelay.String())
	srv.SetDraining()
	time.Sleep(cfg.DrainDelay)
	sctx, cancel := context.WithTimeout(context.Background(), drainTimeout)
	defer cancel()
	// Jobs claimed but not started go back to the queue.
	if err := runner.Stop(sctx); err != nil {
		log.Warn("jobs stop", "err", err)
	}
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("shutdown", "err", err)
	}
	log.Info("stopped")
}
