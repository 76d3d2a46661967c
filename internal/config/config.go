// Package config loads BankApp's settings from the environment once, checks
// them, and hands the result down as a value.
package config

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bankapp/bankapp/internal/features"
	"github.com/bankapp/bankapp/internal/fx"
	"github.com/bankapp/bankapp/internal/mail"
	"github.com/bankapp/bankapp/internal/store/dsn"
	"github.com/bankapp/bankapp/internal/telemetry"
)

// Config is every setting of the server. Fields map one to one to the
// environment variables of docs/configuration.md.
type Config struct {
	Env     string // "development" or "production"
	Addr    string
	DataDir string

	DatabaseURL     string
	DatabaseReadURL string

	JWTSigningKey   []byte
	JWTKeyGenerated bool // true when the key was generated for development
	JWTIssuer       string
	AccessTokenTTL  time.Duration
	RefreshTokenTTL time.Duration
	PublicOrigin    string // e.g. https://bankapp.example.com; "" = same origin as the request
	// SessionIdleTimeout ends a session whose refresh token has not been used
	// for this long; SessionMaxAge is the absolute lifetime of a browser
	// (cookie) session (ASVS 3.3.2).
	SessionIdleTimeout time.Duration
	SessionMaxAge      time.Duration

	// MetricsAddr is the listener of /metrics and /debug/pprof, never the
	// public API port ("" = off).
	MetricsAddr string

	// MinOrderValue is the smallest order the brokerage fills, in minor
	// units of the account's currency (a sale of a whole position may be
	// smaller).
	MinOrderValue int64

	// FXSpread is the bank's margin on currency exchanges and on orders
	// that convert (FX_SPREAD_BPS, basis points of the mid-market rate).
	FXSpread fx.Spread

	MarketDataProvider   string // "simulated" or "live"
	AllowSimulatedMarket bool   // production opt-in to the simulated market
	YahooFinanceBaseURL  string
	CoinGeckoBaseURL     string
	CoinGeckoAPIKey      string
	CoinGeckoPro         bool

	BlobStore string

	SecretsManagerSecretID string
	SSMParameterPath       string

	AuthRateLimitPerMinute int
	APIRateLimitPerMinute  int
	TrustedProxies         []netip.Prefix

	LogLevel  string
	LogFormat string

	// Group commit of transfers (docs/benchmarks.md).
	GroupCommit       bool
	GroupCommitLanes  int
	GroupCommitMax    int
	GroupCommitWindow time.Duration

	// DrainDelay is how long /readyz answers 503 before the listener closes
	// on SIGTERM, so load balancers stop routing here first.
	DrainDelay time.Duration

	JobsEnabled bool
	// JobsLease is how long an instance's claim on a job holds before
	// another instance may take the job over (the claim token fences the
	// first one out).
	JobsLease          time.Duration
	SavingsInterestBPS int64 // annual savings rate in basis points (1/100 of a percent)

	// Email (docs/email.md): the driver (smtp, ses or file; empty = smtp
	// when SMTPURL is set, else the development file outbox), the relay,
	// the sender and the SES configuration set. MailConfig maps them.
	MailDriver          string
	SMTPURL             string
	MailFrom            string
	SESConfigurationSet string
}

// MailConfig is the mail driver's configuration: the file driver writes to
// <BANKAPP_DATA_DIR>/outbox.
func (c Config) MailConfig() mail.Config {
	return mail.Config{Driver: c.MailDriver, SMTPURL: c.SMTPURL, From: c.MailFrom, SESConfigurationSet: c.SESConfigurationSet,
		OutboxDir: filepath.Join(c.DataDir, "outbox")}
}

// LinkOrigin is the base of the links in emails: BANKAPP_PUBLIC_ORIGIN, or
// in development without it http://localhost:<the port of BANKAPP_ADDR>
// (the server serves the web app there).
func (c Config) LinkOrigin() string {
	if c.PublicOrigin != "" {
		return c.PublicOrigin
	}
	_, port, err := net.SplitHostPort(c.Addr)
	if err != nil || port == "" || port == "0" {
		port = "3001"
	}
	return "http://localhost:" + port
}

// Production reports whether the server runs in production mode.
func (c Config) Production() bool { return c.Env == "production" }

// Error names the variable that is wrong and why.
type Error struct {
	Var string
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("config: %s: %s", e.Var, e.Msg) }

// Load reads the configuration through getenv (os.Getenv in main, a map in
// tests): Parse, then Validate, then the settings other packages read
// through getenv themselves (ValidateEnv: OTEL_*, FEATURE_*). It collects
// every problem, not just the first, each naming its variable.
func Load(getenv func(string) string) (Config, error) {
	c, errs := Parse(getenv)
	errs = append(errs, c.Validate()...)
	errs = append(errs, ValidateEnv(getenv)...)
	if c.Production() && c.LogFormat == "" {
		c.LogFormat = "json"
	}
	if len(errs) > 0 {
		return c, errors.Join(errs...)
	}
	return c, nil
}

// Parse turns the variables into typed values with their defaults. It
// reports values it cannot read (not a number, not a duration, out of the
// type's range); the rules between settings are Validate's.
func Parse(getenv func(string) string) (Config, []error) {
	p := &parser{getenv: getenv}
	c := Config{
		Env:                    p.str("BANKAPP_ENV", "development"),
		Addr:                   p.str("BANKAPP_ADDR", ":3001"),
		DataDir:                p.str("BANKAPP_DATA_DIR", "./data"),
		DatabaseURL:            p.str("DATABASE_URL", ""),
		DatabaseReadURL:        p.str("DATABASE_READ_URL", ""),
		JWTSigningKey:          p.key("JWT_SIGNING_KEY"),
		JWTIssuer:              p.str("JWT_ISSUER", "bankapp"),
		AccessTokenTTL:         p.duration("ACCESS_TOKEN_TTL", 15*time.Minute, 15*time.Minute),
		RefreshTokenTTL:        p.duration("REFRESH_TOKEN_TTL", 30*24*time.Hour, 30*24*time.Hour),
		PublicOrigin:           strings.TrimRight(p.str("BANKAPP_PUBLIC_ORIGIN", ""), "/"),
		SessionIdleTimeout:     p.duration("SESSION_IDLE_TIMEOUT", 30*time.Minute, 30*24*time.Hour),
		SessionMaxAge:          p.duration("SESSION_MAX_AGE", 12*time.Hour, 30*24*time.Hour),
		MetricsAddr:            metricsAddr(getenv("METRICS_ADDR")),
		MinOrderValue:          p.money("MIN_ORDER_VALUE", 100),
		FXSpread:               p.spread("FX_SPREAD_BPS"),
		MarketDataProvider:     p.str("MARKET_DATA_PROVIDER", "simulated"),
		AllowSimulatedMarket:   p.boolean("ALLOW_SIMULATED_MARKET", false),
		YahooFinanceBaseURL:    p.str("YAHOO_FINANCE_BASE_URL", "https://query1.finance.yahoo.com"),
		CoinGeckoBaseURL:       p.str("COINGECKO_BASE_URL", ""),
		CoinGeckoAPIKey:        p.str("COINGECKO_API_KEY", ""),
		CoinGeckoPro:           p.boolean("COINGECKO_PRO", false),
		BlobStore:              p.str("BLOB_STORE", "file"),
		SecretsManagerSecretID: p.str("AWS_SECRETS_MANAGER_SECRET_ID", ""),
		SSMParameterPath:       p.str("SSM_PARAMETER_PATH", ""),
		AuthRateLimitPerMinute: p.integer("AUTH_RATE_LIMIT_PER_MINUTE", 30, 0, 1_000_000),
		APIRateLimitPerMinute:  p.integer("API_RATE_LIMIT_PER_MINUTE", 600, 0, 10_000_000),
		TrustedProxies:         p.prefixes("TRUSTED_PROXY_CIDRS"),
		LogLevel:               strings.ToLower(p.str("LOG_LEVEL", "info")),
		LogFormat:              strings.ToLower(p.str("LOG_FORMAT", "")),
		JobsEnabled:            p.boolean("BANKAPP_JOBS_ENABLED", true),
		JobsLease:              p.duration("BANKAPP_JOBS_LEASE", 15*time.Second, 10*time.Minute),
		DrainDelay:             p.durationOrZero("BANKAPP_DRAIN_DELAY", time.Second, 10*time.Second),
		GroupCommit:            p.boolean("GROUP_COMMIT", true),
		GroupCommitLanes:       p.integer("GROUP_COMMIT_LANES", 1, 1, 64),
		GroupCommitMax:         p.integer("GROUP_COMMIT_MAX", 64, 1, 1000),
		GroupCommitWindow:      p.duration("GROUP_COMMIT_WINDOW", 0, 2*time.Millisecond),
		SavingsInterestBPS:     int64(p.integer("SAVINGS_INTEREST_BPS", 200, 0, 10_000)),
		MailDriver:             strings.ToLower(p.str("MAIL_DRIVER", "")),
		SMTPURL:                p.str("SMTP_URL", ""),
		MailFrom:               p.str("MAIL_FROM", ""),
		SESConfigurationSet:    p.str("SES_CONFIGURATION_SET", ""),
	}
	return c, p.errs
}

// Validate checks the rules of and between settings, and production's
// refusal of development defaults.
func (c Config) Validate() []error {
	var errs []error
	bad := func(v, format string, a ...any) { errs = append(errs, &Error{Var: v, Msg: fmt.Sprintf(format, a...)}) }
	switch c.Env {
	case "development", "production":
	default:
		bad("BANKAPP_ENV", "must be development or production, not %q", c.Env)
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("BANKAPP_ADDR", "must be host:port or :port")
	}
	c.validateDatabase(bad)
	switch c.MarketDataProvider {
	case "simulated", "live":
	default:
		bad("MARKET_DATA_PROVIDER", "must be simulated or live, not %q", c.MarketDataProvider)
	}
	if c.BlobStore != "file" && !strings.HasPrefix(c.BlobStore, "s3://") && !strings.HasPrefix(c.BlobStore, "file://") {
		bad("BLOB_STORE", "must be file, file:///dir or s3://bucket/prefix")
	}
	if c.SessionIdleTimeout < c.AccessTokenTTL {
		bad("SESSION_IDLE_TIMEOUT", "must be at least ACCESS_TOKEN_TTL (%s): an access token outlives an idle session otherwise", c.AccessTokenTTL)
	}
	if c.SessionMaxAge > c.RefreshTokenTTL {
		bad("SESSION_MAX_AGE", "must be at most REFRESH_TOKEN_TTL (%s)", c.RefreshTokenTTL)
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			bad("METRICS_ADDR", "must be host:port (e.g. 127.0.0.1:9090), or off")
		} else if c.MetricsAddr == c.Addr {
			bad("METRICS_ADDR", "must not be the API listener BANKAPP_ADDR: metrics are never public")
		}
	}
	if bps := c.FXSpread.BPS(); bps < 0 || bps > fx.MaxSpreadBPS {
		bad("FX_SPREAD_BPS", "must be 0 to %d basis points", fx.MaxSpreadBPS)
	}
	if c.JobsLease < 5*time.Second {
		bad("BANKAPP_JOBS_LEASE", "must be at least 5s: a shorter claim lets another instance take over jobs still running")
	}
	c.validateLogging(bad)
	c.validatePublicOrigin(bad)
	mc := c.MailConfig()
	errs = append(errs, varErrors(mc.Validate())...)
	if c.Production() {
		c.validateProduction(bad)
		errs = append(errs, varErrors(mc.CheckProduction())...)
	}
	return errs
}

// validateDatabase checks DATABASE_URL and DATABASE_READ_URL, which must
// be a PostgreSQL replica of a PostgreSQL primary.
func (c Config) validateDatabase(bad func(v, format string, a ...any)) {
	if _, _, err := dsn.Parse(c.DatabaseURL); err != nil {
		bad("DATABASE_URL", "%v", err)
	}
	if c.DatabaseReadURL != "" {
		if engine, _, _ := dsn.Parse(c.DatabaseURL); engine != dsn.Postgres {
			bad("DATABASE_READ_URL", "needs DATABASE_URL to be PostgreSQL (a read replica of it)")
		} else if engine, _, err := dsn.Parse(c.DatabaseReadURL); err != nil || engine != dsn.Postgres {
			bad("DATABASE_READ_URL", "must be a postgres:// URL")
		}
	}
}

// validateLogging checks LOG_LEVEL and LOG_FORMAT.
func (c Config) validateLogging(bad func(v, format string, a ...any)) {
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("LOG_LEVEL", "must be debug, info, warn or error")
	}
	switch c.LogFormat {
	case "", "text", "json":
	default:
		bad("LOG_FORMAT", "must be text or json")
	}
}

// validatePublicOrigin checks BANKAPP_PUBLIC_ORIGIN, when set: a bare
// origin, since the links in emails start with it.
func (c Config) validatePublicOrigin(bad func(v, format string, a ...any)) {
	if c.PublicOrigin != "" {
		if u, err := url.Parse(c.PublicOrigin); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
			u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			bad("BANKAPP_PUBLIC_ORIGIN", "must be an origin such as https://bankapp.example.com (no path)")
		}
	}
}

// validateProduction is production's refusal of development defaults: the
// generated signing key, SQLite, the simulated market (unless opted in)
// and an origin that is not https://.
func (c Config) validateProduction(bad func(v, format string, a ...any)) {
	if len(c.JWTSigningKey) == 0 {
		bad("JWT_SIGNING_KEY", "is required in production (at least 32 random bytes, base64); the development key is refused")
	}
	if engine, _, _ := dsn.Parse(c.DatabaseURL); engine != dsn.Postgres {
		bad("DATABASE_URL", "must be PostgreSQL in production; the embedded SQLite database is for development only")
	}
	if c.MarketDataProvider == "simulated" && !c.AllowSimulatedMarket {
		bad("MARKET_DATA_PROVIDER", "is simulated; production needs live, or ALLOW_SIMULATED_MARKET=true to opt in")
	}
	if !strings.HasPrefix(c.PublicOrigin, "https://") {
		bad("BANKAPP_PUBLIC_ORIGIN", "is required in production and must be https:// (the links in emails start with it)")
	}
}

// varErrors turns the mail package's errors ("SMTP_URL: why", joined) into
// config errors naming their variable.
func varErrors(err error) []error {
	if err == nil {
		return nil
	}
	list := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	}
	out := make([]error, 0, len(list))
	for _, e := range list {
		v, msg, ok := strings.Cut(e.Error(), ": ")
		if !ok || strings.ContainsAny(v, " ") {
			v, msg = "MAIL_DRIVER", e.Error()
		}
		out = append(out, &Error{Var: v, Msg: msg})
	}
	return out
}

// ValidateEnv checks the settings that are not fields of Config because
// their packages read them through getenv: the standard OpenTelemetry
// variables (telemetry.StartTracing) and the feature flags
// (features.New, re-read while the server runs). Each problem is a
// *Error naming its variable, never repeating its value
// (OTEL_EXPORTER_OTLP_HEADERS carries credentials).
func ValidateEnv(getenv func(string) string) []error {
	var errs []error
	for _, err := range telemetry.ValidateTracingEnv(getenv) {
		var ee *telemetry.EnvError
		if errors.As(err, &ee) {
			err = &Error{Var: ee.Var, Msg: ee.Msg}
		}
		errs = append(errs, err)
	}
	for _, err := range features.Validate(getenv) {
		var fe *features.ValueError
		if errors.As(err, &fe) {
			err = &Error{Var: fe.Var, Msg: "must be true, false, 1, 0, on or off"}
		}
		errs = append(errs, err)
	}
	return errs
}

// metricsAddr is METRICS_ADDR with its default; "off" turns the listener off.
func metricsAddr(v string) string {
	switch v = strings.TrimSpace(v); v {
	case "":
		return "127.0.0.1:9090"
	case "off":
		return ""
	}
	return v
}

// decodeKey reads a signing key given as base64 (standard or URL alphabet) or
// hex, and refuses keys under 256 bits.
func decodeKey(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) < 32 {
				return nil, errors.New("must decode to at least 32 bytes (256 bits)")
			}
			return b, nil
		}
	}
	return nil, errors.New("must be base64 of at least 32 random bytes (openssl rand -base64 32)")
}

// DevSigningKey returns the development signing key kept in the data dir,
// creating it (0600) on first use. Production never calls it.
func DevSigningKey(dataDir string) ([]byte, error) {
	path := filepath.Join(dataDir, "dev-jwt-key")
	if b, err := os.ReadFile(path); err == nil { // #nosec G304 -- the path is the configured data dir plus a constant file name
		if k, err := decodeKey(strings.TrimSpace(string(b))); err == nil {
			return k, nil
		}
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("config: generate key: %w", err)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("config: data dir: %w", err)
	}
	if err := os.WriteFile(path, []byte(base64.StdEncoding.EncodeToString(key)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("config: write dev key: %w", err)
	}
	return key, nil
}
