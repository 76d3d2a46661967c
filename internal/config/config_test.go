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
	for _, v := range []string{"JWT_SIGNING_KEY", "DATABASE_URL", "MARKET_DATA_PROVIDER", "MAIL_DRIVER", "BANKAPP_PUBLIC_ORIGIN"} {
		if !strings.Contains(err.Error(), v) {
			t.Errorf("error does not name %s: %v", v, err)
		}
	}
	c, err := config.Load(env(map[string]string{"BANKAPP_ENV": "production", "JWT_SIGNING_KEY": goodKey,
		"DATABASE_URL": "postgres://db/bankapp", "MARKET_DATA_PROVIDER": "live", "BANKAPP_PUBLIC_ORIGIN": "https://bank.example.com",
		"MAIL_DRIVER": "ses", "MAIL_FROM": "BankApp <no-reply@bank.example.com>", "SES_CONFIGURATION_SET": "bankapp-prod"}))
	if err != nil {
		t.Fatalf("good production config refused: %v", err)
	}
	if c.LogFormat != "json" {
		t.Errorf("production log format = %q, want json", c.LogFormat)
	}
	if _, err := config.Load(env(map[string]string{"BANKAPP_ENV": "production", "JWT_SIGNING_KEY": goodKey,
		"DATABASE_URL": "postgres://db/bankapp", "ALLOW_SIMULATED_MARKET": "true", "BANKAPP_PUBLIC_ORIGIN": "https://bank.example.com",
		"SMTP_URL": "smtps://relay.example.com", "MAIL_FROM": "no-reply@bank.example.com"})); err != nil {
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

func TestFXSpread(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil || c.FXSpread.BPS() != 50 {
		t.Fatalf("default spread = %d bps, %v; want 50 (0.5 %%)", c.FXSpread.BPS(), err)
	}
	for v, want := range map[string]int{"0": 0, "25": 25, " 1000 ": 1000} {
		if c, err = config.Load(env(map[string]string{"FX_SPREAD_BPS": v})); err != nil || c.FXSpread.BPS() != want {
			t.Errorf("FX_SPREAD_BPS=%q: %d, %v; want %d", v, c.FXSpread.BPS(), err, want)
		}
	}
	for _, bad := range []string{"-1", "1001", "0.5", "0.5%", "fifty"} {
		_, err := config.Load(env(map[string]string{"FX_SPREAD_BPS": bad}))
		if err == nil || !strings.Contains(err.Error(), "FX_SPREAD_BPS") {
			t.Errorf("FX_SPREAD_BPS=%s: %v", bad, err)
		}
	}
}

func TestMailSettings(t *testing.T) {
	// Development with nothing set: the file outbox in the data dir, links
	// to the local server.
	c, err := config.Load(env(map[string]string{"BANKAPP_DATA_DIR": "/srv/bank", "BANKAPP_ADDR": "127.0.0.1:4000"}))
	if err != nil {
		t.Fatal(err)
	}
	mc := c.MailConfig()
	if mc.EffectiveDriver() != "file" || mc.OutboxDir != "/srv/bank/outbox" || c.LinkOrigin() != "http://localhost:4000" {
		t.Fatalf("development mail = %s in %q, links from %q", mc.EffectiveDriver(), mc.OutboxDir, c.LinkOrigin())
	}
	c, err = config.Load(env(map[string]string{"SMTP_URL": "smtp://u:p@127.0.0.1:1025", "MAIL_FROM": "BankApp <bank@example.com>",
		"BANKAPP_PUBLIC_ORIGIN": "https://bank.example.com/"}))
	if err != nil {
		t.Fatal(err)
	}
	if mc := c.MailConfig(); mc.EffectiveDriver() != "smtp" || mc.SMTPURL != "smtp://u:p@127.0.0.1:1025" || mc.From != "BankApp <bank@example.com>" ||
		c.LinkOrigin() != "https://bank.example.com" {
		t.Fatalf("smtp mail = %+v, links from %q", mc, c.LinkOrigin())
	}
	prod := map[string]string{"BANKAPP_ENV": "production", "JWT_SIGNING_KEY": goodKey, "DATABASE_URL": "postgres://db/bankapp",
		"MARKET_DATA_PROVIDER": "live", "BANKAPP_PUBLIC_ORIGIN": "https://bank.example.com", "MAIL_FROM": "no-reply@bank.example.com"}
	with := func(m map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{with(nil, "MAIL_DRIVER", "carrier-pigeon"), "MAIL_DRIVER"},
		{with(nil, "MAIL_DRIVER", "ses"), "MAIL_FROM"},
		{with(nil, "MAIL_DRIVER", "smtp"), "SMTP_URL"},
		{with(nil, "SMTP_URL", "http://user:hunter2secret@relay", "MAIL_FROM", "a@b.example"), "SMTP_URL"},
		{with(nil, "SMTP_URL", "smtp://relay:25", "MAIL_FROM", "not an address"), "MAIL_FROM"},
		{with(nil, "BANKAPP_PUBLIC_ORIGIN", "https://bank.example.com/app"), "BANKAPP_PUBLIC_ORIGIN"},
		{with(prod), "MAIL_DRIVER"}, // the file outbox
		{with(prod, "SMTP_URL", "smtp://user:hunter2secret@relay.example.com:587"), "SMTP_URL"}, // STARTTLS not required
		{with(prod, "MAIL_DRIVER", "ses", "BANKAPP_PUBLIC_ORIGIN", "http://bank.example.com"), "BANKAPP_PUBLIC_ORIGIN"},
	} {
		_, err := config.Load(env(tc.env))
		if err == nil || !strings.Contains(err.Error(), "config: "+tc.want+":") {
			t.Errorf("%v: err = %v, want one naming %s", tc.env, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2secret") {
			t.Errorf("the error repeats the SMTP password: %v", err)
		}
	}
	if _, err := config.Load(env(with(prod, "SMTP_URL", "smtp://relay.example.com:587?starttls=required"))); err != nil {
		t.Errorf("production with STARTTLS required refused: %v", err)
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

func TestGroupCommitLanes(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil || c.GroupCommitLanes != 1 {
		t.Fatalf("default lanes = %d, %v; want 1 (docs/benchmarks.md: measured on 2 cores)", c.GroupCommitLanes, err)
	}
	if c, err = config.Load(env(map[string]string{"GROUP_COMMIT_LANES": "8"})); err != nil || c.GroupCommitLanes != 8 {
		t.Fatalf("GROUP_COMMIT_LANES=8: %d, %v", c.GroupCommitLanes, err)
	}
	for _, bad := range []string{"0", "65", "two"} {
		if _, err := config.Load(env(map[string]string{"GROUP_COMMIT_LANES": bad})); err == nil || !strings.Contains(err.Error(), "GROUP_COMMIT_LANES") {
			t.Errorf("GROUP_COMMIT_LANES=%s: %v", bad, err)
		}
	}
}
