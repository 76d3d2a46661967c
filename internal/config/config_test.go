package config_test

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/config"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

const goodKey = "c2VjcmV0LXNpZ25pbmcta2V5LXRoYXQtaXMtMzItYnl0ZXMhIQ==" // 34 bytes

func TestDefaults(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":3001" || c.Env != "development" || c.DataDir != "./data" || c.MarketDataProvider != "simulated" ||
		c.AuthRateLimitPerMinute != 30 || c.APIRateLimitPerMinute != 600 || c.BlobStore != "file" || c.DatabaseURL != "" {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestProductionRefusesDevelopmentDefaults(t *testing.T) {
	_, err := config.Load(env(map[string]string{"BANKAPP_ENV": "production"}))
	if err == nil {
		t.Fatal("production started with development defaults")
	}
	for _, v := range []string{"JWT_SIGNING_KEY", "DATABASE_URL", "MARKET_DATA_PROVIDER"} {
		if !strings.Contains(err.Error(), v) {
			t.Errorf("error does not name %s: %v", v, err)
		}
	}
	c, err := config.Load(env(map[string]string{"BANKAPP_ENV": "production", "JWT_SIGNING_KEY": goodKey,
		"DATABASE_URL": "postgres://db/bankapp", "MARKET_DATA_PROVIDER": "live"}))
	if err != nil {
		t.Fatalf("good production config refused: %v", err)
	}
	if c.LogFormat != "json" {
		t.Errorf("production log format = %q, want json", c.LogFormat)
	}
	if _, err := config.Load(env(map[string]string{"BANKAPP_ENV": "production", "JWT_SIGNING_KEY": goodKey,
		"DATABASE_URL": "postgres://db/bankapp", "ALLOW_SIMULATED_MARKET": "true"})); err != nil {
		t.Fatalf("explicit simulated opt-in refused: %v", err)
	}
}

func TestErrorsNameTheVariable(t *testing.T) {
	tests := map[string]string{
		"BANKAPP_ENV":                "staging",
		"BANKAPP_ADDR":               "3001",
		"DATABASE_URL":               "mysql://x",
		"JWT_SIGNING_KEY":            "c2hvcnQ=",
		"MARKET_DATA_PROVIDER":       "bloomberg",
		"BLOB_STORE":                 "gs://bucket",
		"AUTH_RATE_LIMIT_PER_MINUTE": "-1",
		"API_RATE_LIMIT_PER_MINUTE":  "lots",
		"TRUSTED_PROXY_CIDRS":        "10.0.0.0/8,nonsense",
		"LOG_LEVEL":                  "loud",
		"ACCESS_TOKEN_TTL":           "2h",
		"DATABASE_READ_URL":          "postgres://replica",
	}
	for name, value := range tests {
		_, err := config.Load(env(map[string]string{name: value}))
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: err = %v, want one naming %s", name, value, err, name)
		}
		if err != nil && strings.Contains(err.Error(), value) && name == "JWT_SIGNING_KEY" {
			t.Errorf("error leaks the key: %v", err)
		}
	}
}

func TestTrustedProxies(t *testing.T) {
	c, err := config.Load(env(map[string]string{"TRUSTED_PROXY_CIDRS": "10.2.1.0/24, 10.2.2.7/24"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 2 || c.TrustedProxies[1].String() != "10.2.2.0/24" {
		t.Fatalf("proxies = %v", c.TrustedProxies)
	}
	// The subnets plus CloudFront's IPv4 and IPv6 ranges, as Terraform
	// writes them on staging and prod.
	c, err = config.Load(env(map[string]string{"TRUSTED_PROXY_CIDRS": "10.2.1.0/24,130.176.0.0/16,2600:9000::/28"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 3 || !c.TrustedProxies[2].Contains(netip.MustParseAddr("2600:9000:2000::1")) {
		t.Fatalf("proxies = %v", c.TrustedProxies)
	}
}

func TestDevSigningKeyPersists(t *testing.T) {
	dir := t.TempDir()
	k1, err := config.DevSigningKey(dir)
	if err != nil || len(k1) != 32 {
		t.Fatalf("key = %d bytes, %v", len(k1), err)
	}
	k2, _ := config.DevSigningKey(dir)
	if string(k1) != string(k2) {
		t.Fatal("dev key changed between calls")
	}
}

func TestJobsLease(t *testing.T) {
	c, err := config.Load(env(map[string]string{}))
	if err != nil || c.JobsLease != 15*time.Second {
		t.Fatalf("default lease = %v, %v", c.JobsLease, err)
	}
	if c, err = config.Load(env(map[string]string{"BANKAPP_JOBS_LEASE": "45s"})); err != nil || c.JobsLease != 45*time.Second {
		t.Fatalf("lease 45s = %v, %v", c.JobsLease, err)
	}
	for _, bad := range []string{"1s", "11m", "soon", "-5s"} {
		_, err := config.Load(env(map[string]string{"BANKAPP_JOBS_LEASE": bad}))
		if err == nil || !strings.Contains(err.Error(), "BANKAPP_JOBS_LEASE") {
			t.Errorf("BANKAPP_JOBS_LEASE=%s: %v", bad, err)
		}
	}
}

// TestTracingAndFlagSettings: the OpenTelemetry variables and the feature
// flags are checked with every other setting, each error naming its
// variable as a *config.Error and never repeating the value.
func TestTracingAndFlagSettings(t *testing.T) {
	good := map[string]string{
		"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
		"OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.05",
		"OTEL_SDK_DISABLED": "false", "FEATURE_CRYPTO_TRADING": "off",
	}
	if _, err := config.Load(env(good)); err != nil {
		t.Fatalf("good settings refused: %v", err)
	}
	bad := map[string]string{
		"OTEL_EXPORTER_OTLP_ENDPOINT": "ftp://collector-secretish",
		"OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
		"OTEL_EXPORTER_OTLP_HEADERS":  "api-key-secretish",
		"OTEL_TRACES_SAMPLER":         "sometimes-secretish",
		"OTEL_SDK_DISABLED":           "yes-secretish",
		"FEATURE_CRYPTO_TRADING":      "maybe-secretish",
	}
	for name, value := range bad {
		_, err := config.Load(env(map[string]string{name: value}))
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: err = %v, want one naming %s", name, value, err, name)
			continue
		}
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Var != name {
			t.Errorf("%s: %v is not a *config.Error for it", name, err)
		}
		if strings.Contains(err.Error(), "secretish") {
			t.Errorf("%s: the error repeats the value: %v", name, err)
		}
	}
	// All at once: one error per variable.
	_, err := config.Load(env(bad))
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("all bad at once: %v", err)
	}
	var n int
	for _, e := range joined.Unwrap() {
		var ce *config.Error
		if errors.As(e, &ce) && bad[ce.Var] != "" {
			n++
		}
	}
	if n != len(bad) {
		t.Errorf("%d of %d bad variables reported: %v", n, len(bad), err)
	}
}
