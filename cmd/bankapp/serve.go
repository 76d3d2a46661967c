package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bankapp/bankapp/internal/api"
	"github.com/bankapp/bankapp/internal/app"
	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/awsconfig"
	"github.com/bankapp/bankapp/internal/blob"
	"github.com/bankapp/bankapp/internal/config"
	"github.com/bankapp/bankapp/internal/jobs"
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
	if opts := awsconfig.OptionsFromEnv(getenv); opts.SecretID != "" || opts.ParameterPath != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		values, err := awsconfig.Load(ctx, opts)
		cancel()
		if err != nil {
			return config.Config{}, err
		}
		getenv = awsconfig.Getenv(getenv, values)
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return cfg, err
	}
	if len(cfg.JWTSigningKey) == 0 {
		key, err := config.DevSigningKey(cfg.DataDir)
		if err != nil {
			return cfg, err
		}
		cfg.JWTSigningKey, cfg.JWTKeyGenerated = key, true
	}
	return cfg, nil
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
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	log := telemetry.NewLogger(stdout, cfg.LogLevel, cfg.LogFormat)
	start := time.Now()
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
	opts, err := appOptions(ctx, cfg, db, log, reg)
	if err != nil {
		return err
	}
	svc, err := app.New(opts)
	if err != nil {
		return err
	}
	defer svc.Close()
	srv := svc.Server(opts, web.Handler())
	runner, err := jobs.New(jobs.Options{DB: db, Logger: log, Registerer: reg, InterestBPS: cfg.SavingsInterestBPS, Blobs: opts.Blobs, Lease: cfg.JobsLease})
	if err != nil {
		return err
	}
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

// appOptions builds what the services need besides the database: market
// data, the blob store, the token issuer.
func appOptions(ctx context.Context, cfg config.Config, db *store.DB, log *slog.Logger, reg *prometheus.Registry) (app.Options, error) {
	mkt, err := market.New(market.Options{Provider: cfg.MarketDataProvider, YahooBaseURL: cfg.YahooFinanceBaseURL,
		CoinGeckoBaseURL: cfg.CoinGeckoBaseURL, CoinGeckoAPIKey: cfg.CoinGeckoAPIKey, CoinGeckoPro: cfg.CoinGeckoPro, Registerer: reg})
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
	return app.Options{Config: cfg, DB: db, Blobs: blobs, Logger: log, Registerer: reg, Tokens: tokens, Market: mkt}, nil
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
