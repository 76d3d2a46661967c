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
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/bankapp/bankapp/internal/ledger"
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

	OTLPEndpoint string

	// Group commit of transfers (docs/benchmarks.md).
	GroupCommit        bool
	GroupCommitWorkers int
	GroupCommitMax     int
	GroupCommitWindow  time.Duration

	// DrainDelay is how long /readyz answers 503 before the listener closes
	// on SIGTERM, so load balancers stop routing here first.
	DrainDelay time.Duration

	JobsEnabled bool
	// JobsLease is how long an instance's claim on a job holds before
	// another instance may take the job over (the claim token fences the
	// first one out).
	JobsLease          time.Duration
	SavingsInterestBPS int64 // annual savings rate in basis points (1/100 of a percent)
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
// tests). It collects every problem, not just the first.
func Load(getenv func(string) string) (Config, error) {
	var errs []error
	bad := func(v, format string, a ...any) { errs = append(errs, &Error{Var: v, Msg: fmt.Sprintf(format, a...)}) }
	str := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	integer := func(name string, def, min, max int) int {
		v := getenv(name)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < min || n > max {
			bad(name, "must be a whole number from %d to %d", min, max)
			return def
		}
		return n
	}
	boolean := func(name string, def bool) bool {
		v := getenv(name)
		if v == "" {
			return def
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad(name, "must be true or false")
			return def
		}
		return b
	}
	duration := func(name string, def, max time.Duration) time.Duration {
		v := getenv(name)
		if v == "" {
			return def
		}
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 || d > max {
			bad(name, "must be a duration such as 15m, at most %s", max)
			return def
		}
		return d
	}

	// money reads an amount such as "1.00" (0 to 1,000,000) in minor units.
	money := func(name string, def int64) int64 {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			return def
		}
		n, err := ledger.ParseMinor(v, 2)
		if err != nil || n < 0 || n > 100_000_000 {
			bad(name, "must be an amount such as 1.00 (0 to 1000000)")
			return def
		}
		return n
	}

	// durationOrZero is duration that also accepts 0.
	durationOrZero := func(name string, def, max time.Duration) time.Duration {
		if getenv(name) == "0" {
			return 0
		}
		return duration(name, def, max)
	}

	c := Config{
		Env:                    str("BANKAPP_ENV", "development"),
		Addr:                   str("BANKAPP_ADDR", ":3001"),
		DataDir:                str("BANKAPP_DATA_DIR", "./data"),
		DatabaseURL:            str("DATABASE_URL", ""),
		DatabaseReadURL:        str("DATABASE_READ_URL", ""),
		JWTIssuer:              str("JWT_ISSUER", "bankapp"),
		AccessTokenTTL:         duration("ACCESS_TOKEN_TTL", 15*time.Minute, 15*time.Minute),
		RefreshTokenTTL:        duration("REFRESH_TOKEN_TTL", 30*24*time.Hour, 30*24*time.Hour),
		PublicOrigin:           strings.TrimRight(str("BANKAPP_PUBLIC_ORIGIN", ""), "/"),
		SessionIdleTimeout:     duration("SESSION_IDLE_TIMEOUT", 30*time.Minute, 30*24*time.Hour),
		SessionMaxAge:          duration("SESSION_MAX_AGE", 12*time.Hour, 30*24*time.Hour),
		MetricsAddr:            metricsAddr(getenv("METRICS_ADDR")),
		MinOrderValue:          money("MIN_ORDER_VALUE", 100),
		MarketDataProvider:     str("MARKET_DATA_PROVIDER", "simulated"),
		AllowSimulatedMarket:   boolean("ALLOW_SIMULATED_MARKET", false),
		YahooFinanceBaseURL:    str("YAHOO_FINANCE_BASE_URL", "https://query1.finance.yahoo.com"),
		CoinGeckoBaseURL:       str("COINGECKO_BASE_URL", ""),
		CoinGeckoAPIKey:        str("COINGECKO_API_KEY", ""),
		CoinGeckoPro:           boolean("COINGECKO_PRO", false),
		BlobStore:              str("BLOB_STORE", "file"),
		SecretsManagerSecretID: str("AWS_SECRETS_MANAGER_SECRET_ID", ""),
		SSMParameterPath:       str("SSM_PARAMETER_PATH", ""),
		AuthRateLimitPerMinute: integer("AUTH_RATE_LIMIT_PER_MINUTE", 30, 0, 1_000_000),
		APIRateLimitPerMinute:  integer("API_RATE_LIMIT_PER_MINUTE", 600, 0, 10_000_000),
		LogLevel:               strings.ToLower(str("LOG_LEVEL", "info")),
		LogFormat:              strings.ToLower(str("LOG_FORMAT", "")),
		OTLPEndpoint:           str("OTEL_EXPORTER_OTLP_ENDPOINT", ""),
		JobsEnabled:            boolean("BANKAPP_JOBS_ENABLED", true),
		JobsLease:              duration("BANKAPP_JOBS_LEASE", 15*time.Second, 10*time.Minute),
		DrainDelay:             durationOrZero("BANKAPP_DRAIN_DELAY", time.Second, 10*time.Second),
		GroupCommit:            boolean("GROUP_COMMIT", true),
		GroupCommitWorkers:     integer("GROUP_COMMIT_WORKERS", 1, 1, 64),
		GroupCommitMax:         integer("GROUP_COMMIT_MAX", 64, 1, 1000),
		GroupCommitWindow:      duration("GROUP_COMMIT_WINDOW", 0, 2*time.Millisecond),
		SavingsInterestBPS:     int64(integer("SAVINGS_INTEREST_BPS", 200, 0, 10_000)),
	}

	switch c.Env {
	case "development", "production":
	default:
		bad("BANKAPP_ENV", "must be development or production, not %q", c.Env)
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("BANKAPP_ADDR", "must be host:port or :port")
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		bad("DATABASE_URL", "must be a postgres:// URL, or unset for the embedded SQLite database")
	}
	if c.DatabaseReadURL != "" {
		if c.DatabaseURL == "" {
			bad("DATABASE_READ_URL", "needs DATABASE_URL (a read replica of PostgreSQL)")
		} else if !strings.HasPrefix(c.DatabaseReadURL, "postgres://") && !strings.HasPrefix(c.DatabaseReadURL, "postgresql://") {
			bad("DATABASE_READ_URL", "must be a postgres:// URL")
		}
	}
	if k := getenv("JWT_SIGNING_KEY"); k != "" {
		key, err := decodeKey(k)
		if err != nil {
			bad("JWT_SIGNING_KEY", "%v", err)
		}
		c.JWTSigningKey = key
	}
	switch c.MarketDataProvider {
	case "simulated", "live":
	default:
		bad("MARKET_DATA_PROVIDER", "must be simulated or live, not %q", c.MarketDataProvider)
	}
	if c.BlobStore != "file" && !strings.HasPrefix(c.BlobStore, "s3://") && !strings.HasPrefix(c.BlobStore, "file://") {
		bad("BLOB_STORE", "must be file, file:///dir or s3://bucket/prefix")
	}
	for _, s := range strings.Split(getenv("TRUSTED_PROXY_CIDRS"), ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			bad("TRUSTED_PROXY_CIDRS", "%q is not a CIDR such as 10.2.1.0/24", s)
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, p.Masked())
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
	if c.JobsLease < 5*time.Second {
		bad("BANKAPP_JOBS_LEASE", "must be at least 5s: a shorter claim lets another instance take over jobs still running")
	}
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
	if c.PublicOrigin != "" && !strings.HasPrefix(c.PublicOrigin, "https://") && !strings.HasPrefix(c.PublicOrigin, "http://") {
		bad("BANKAPP_PUBLIC_ORIGIN", "must be an origin such as https://bankapp.example.com")
	}
	if c.Production() {
		if len(c.JWTSigningKey) == 0 {
			bad("JWT_SIGNING_KEY", "is required in production (at least 32 random bytes, base64); the development key is refused")
		}
		if c.DatabaseURL == "" {
			bad("DATABASE_URL", "is required in production; the embedded SQLite database is for development only")
		}
		if c.MarketDataProvider == "simulated" && !c.AllowSimulatedMarket {
			bad("MARKET_DATA_PROVIDER", "is simulated; production needs live, or ALLOW_SIMULATED_MARKET=true to opt in")
		}
		if c.LogFormat == "" {
			c.LogFormat = "json"
		}
	}
	if len(errs) > 0 {
		return c, errors.Join(errs...)
	}
	return c, nil
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
