package awsconfig_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/bankapp/bankapp/internal/awsconfig"
)

func opts(url string) awsconfig.Options {
	return awsconfig.Options{
		Region:      "us-east-1",
		EndpointURL: url,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "test-secret-key", ""),
		MaxAttempts: 1,
	}
}

func load(t *testing.T, o awsconfig.Options) (map[string]string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return awsconfig.Load(ctx, o)
}

func TestLoadSecretAndParameters(t *testing.T) {
	f, srv := newFakeAWS(t)
	f.secrets["bankapp-prod/app"] = `{"JWT_SIGNING_KEY":"s3cr3t-key","COINGECKO_API_KEY":"cg-key","AUTH_RATE_LIMIT_PER_MINUTE":30,"LOG_LEVEL":"warn","SAVINGS_INTEREST_BPS":12345678901234567890}`
	f.pageSize = 2 // force pagination
	f.params = []param{
		{"/bankapp/prod/LOG_FORMAT", "json", "String"},
		{"/bankapp/prod/LOG_LEVEL", "info", "String"},
		{"/bankapp/prod/MARKET_DATA_PROVIDER", "live", "String"},
		{"/bankapp/prod/features/FEATURE_CRYPTO_TRADING", "true", "String"},
		{"/bankapp/prod/DATABASE_READ_URL", "postgres://replica/bankapp", "SecureString"},
		{"/bankapp/staging/LOG_FORMAT", "text", "String"},
	}
	o := opts(srv.URL)
	o.SecretID = "bankapp-prod/app"
	o.ParameterPath = "/bankapp/prod"
	got, err := load(t, o)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"JWT_SIGNING_KEY":            "s3cr3t-key",
		"COINGECKO_API_KEY":          "cg-key",
		"AUTH_RATE_LIMIT_PER_MINUTE": "30",
		"SAVINGS_INTEREST_BPS":       "12345678901234567890", // numbers keep their text (no float64 rounding)
		"LOG_LEVEL":                  "warn",                 // the secret wins over SSM
		"LOG_FORMAT":                 "json",
		"MARKET_DATA_PROVIDER":       "live",
		"FEATURE_CRYPTO_TRADING":     "true",
		"DATABASE_READ_URL":          "postgres://replica/bankapp", // decrypted
	}
	if !maps.Equal(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	targets := f.targets()
	wantTargets := []string{"AmazonSSM.GetParametersByPath", "AmazonSSM.GetParametersByPath", "AmazonSSM.GetParametersByPath", "secretsmanager.GetSecretValue"}
	if !slices.Equal(targets, wantTargets) {
		t.Errorf("calls %v, want %v (3 pages, then the secret)", targets, wantTargets)
	}
	first := f.calls[0].Body
	if first["Path"] != "/bankapp/prod" || first["Recursive"] != true || first["WithDecryption"] != true {
		t.Errorf("GetParametersByPath request = %v", first)
	}
}

func TestLoadNothingConfigured(t *testing.T) {
	f, srv := newFakeAWS(t)
	got, err := load(t, opts(srv.URL))
	if err != nil || len(got) != 0 || len(f.targets()) != 0 {
		t.Fatalf("got %v, %v after %v", got, err, f.targets())
	}
}

func TestLoadErrors(t *testing.T) {
	const value = "do-not-leak-me"
	cases := map[string]struct {
		secret string
		params []param
		want   string
	}{
		"missing secret":     {secret: "", want: "ResourceNotFoundException"},
		"not json":           {secret: "JWT_SIGNING_KEY=" + value, want: "must be a JSON object"},
		"json array":         {secret: `["` + value + `"]`, want: "must be a JSON object"},
		"nested value":       {secret: `{"JWT_SIGNING_KEY":{"v":"` + value + `"}}`, want: "must be a JSON object"},
		"bad key":            {secret: `{"jwt-key":"` + value + `"}`, want: `key "jwt-key" is not an environment variable name`},
		"bad parameter name": {params: []param{{"/bankapp/prod/log.level", value, "String"}}, want: "not an environment variable name"},
		"duplicate name": {params: []param{
			{"/bankapp/prod/FEATURE_X", "true", "String"},
			{"/bankapp/prod/features/FEATURE_X", value, "String"},
		}, want: "both set FEATURE_X"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			f, srv := newFakeAWS(t)
			o := opts(srv.URL)
			if c.params != nil {
				f.params = c.params
				o.ParameterPath = "/bankapp/prod"
			} else {
				o.SecretID = "bankapp-prod/app"
				if c.secret != "" {
					f.secrets[o.SecretID] = c.secret
				}
			}
			_, err := load(t, o)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
			if strings.Contains(err.Error(), value) {
				t.Errorf("error leaks the value: %v", err)
			}
		})
	}
}

func TestLoadRejectsUnsignedRequests(t *testing.T) {
	_, srv := newFakeAWS(t)
	o := opts(srv.URL)
	o.Credentials = credentials.NewStaticCredentialsProvider("AKIDOTHER", "x", "")
	o.SecretID = "bankapp-prod/app"
	if _, err := load(t, o); err == nil || !strings.Contains(err.Error(), "UnrecognizedClientException") {
		t.Fatalf("error %v", err)
	}
}

func TestOptionsFromEnvAndGetenv(t *testing.T) {
	env := map[string]string{
		"AWS_SECRETS_MANAGER_SECRET_ID": "bankapp-prod/app",
		"SSM_PARAMETER_PATH":            "/bankapp/prod",
		"AWS_REGION":                    "us-east-1",
		"LOG_FORMAT":                    "text",
	}
	getenv := func(k string) string { return env[k] }
	o := awsconfig.OptionsFromEnv(getenv)
	if o.SecretID != "bankapp-prod/app" || o.ParameterPath != "/bankapp/prod" || o.Region != "us-east-1" {
		t.Errorf("options = %+v", o)
	}
	g := awsconfig.Getenv(getenv, map[string]string{"LOG_FORMAT": "json", "JWT_SIGNING_KEY": "k"})
	if got := strings.Join([]string{g("LOG_FORMAT"), g("JWT_SIGNING_KEY"), g("NOPE")}, ","); got != "text,k," {
		t.Errorf("environment must win, AWS fills the rest: %q", got)
	}
}

// TestDatabaseSecret reads the password of an RDS-format secret by staging
// label, as a single-user rotation moves the labels: AWSCURRENT always,
// AWSPENDING only while a rotation is under way.
func TestDatabaseSecret(t *testing.T) {
	const pw = "do-not-leak-me"
	f, srv := newFakeAWS(t)
	id := "bankapp-prod/db-master"
	f.secrets[id] = `{"engine":"postgres","host":"bankapp-prod.x.us-east-1.rds.amazonaws.com","username":"bankapp","password":"` + pw + `","dbname":"bankapp","port":5432}`
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := awsconfig.NewDatabaseSecret(ctx, opts(srv.URL), id)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Current(ctx); got != pw || err != nil {
		t.Fatalf("Current = %q, %v", got, err)
	}
	if got, err := s.Pending(ctx); got != "" || err != nil {
		t.Fatalf("Pending without a rotation = %q, %v; want empty", got, err)
	}
	f.staged[id+"/AWSPENDING"] = `{"username":"bankapp","password":"next-one"}`
	if got, err := s.Pending(ctx); got != "next-one" || err != nil {
		t.Fatalf("Pending during a rotation = %q, %v", got, err)
	}
	var stages []any
	f.mu.Lock()
	for _, c := range f.calls {
		stages = append(stages, c.Body["VersionStage"])
	}
	f.mu.Unlock()
	if fmt.Sprint(stages) != "[AWSCURRENT AWSPENDING AWSPENDING]" {
		t.Errorf("requested stages %v", stages)
	}

	for name, bad := range map[string]string{
		"not json":       "password=" + pw,
		"no password":    `{"username":"bankapp","pass":"` + pw + `"}`,
		"empty password": `{"password":""}`,
	} {
		f.secrets[id] = bad
		_, err := s.Current(ctx)
		if err == nil || !strings.Contains(err.Error(), `non-empty "password"`) || strings.Contains(err.Error(), pw) {
			t.Errorf("%s: error %v", name, err)
		}
	}
	delete(f.secrets, id)
	if _, err := s.Current(ctx); err == nil || !strings.Contains(err.Error(), "ResourceNotFoundException") {
		t.Errorf("missing secret: %v", err)
	}
	if o := awsconfig.OptionsFromEnv(func(k string) string { return map[string]string{"DATABASE_SECRET_ID": id}[k] }); o.DatabaseSecretID != id {
		t.Errorf("OptionsFromEnv: DatabaseSecretID = %q", o.DatabaseSecretID)
	}
}
