package awsconfig_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/awsconfig"
)

func TestParametersRereadTheFeaturePath(t *testing.T) {
	f, srv := newFakeAWS(t)
	f.params = []param{
		{"/bankapp/prod/LOG_LEVEL", "info", "String"},
		{"/bankapp/prod/features/FEATURE_CRYPTO_TRADING", "true", "String"},
	}
	o := opts(srv.URL)
	o.SecretID = "ignored"
	o.ParameterPath = "/bankapp/prod/features"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p, err := awsconfig.NewParameters(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.targets()); n != 0 {
		t.Fatalf("%d requests before Load", n)
	}
	got, err := p.Load(ctx)
	if err != nil || !maps.Equal(got, map[string]string{"FEATURE_CRYPTO_TRADING": "true"}) {
		t.Fatalf("first load %v, %v", got, err)
	}
	f.setParams([]param{{"/bankapp/prod/features/FEATURE_CRYPTO_TRADING", "false", "String"}})
	got, err = p.Load(ctx)
	if err != nil || got["FEATURE_CRYPTO_TRADING"] != "false" {
		t.Fatalf("second load %v, %v", got, err)
	}
	f.mu.Lock()
	calls := slices.Clone(f.calls)
	f.mu.Unlock()
	for _, c := range calls {
		if c.Target != "AmazonSSM.GetParametersByPath" || c.Body["Path"] != "/bankapp/prod/features" {
			t.Errorf("call %s %v: only the feature path is read, never the secret", c.Target, c.Body)
		}
	}
	if len(calls) != 2 {
		t.Errorf("%d calls, want 2", len(calls))
	}

	// A failure is an error naming the path, not a value.
	f.setParams([]param{{"/bankapp/prod/features/bad.name", "hush-value", "String"}})
	if _, err := p.Load(ctx); err == nil || strings.Contains(err.Error(), "hush-value") {
		t.Errorf("error %v", err)
	}
	if _, err := awsconfig.NewParameters(ctx, awsconfig.Options{}); err == nil {
		t.Error("no path accepted")
	}
}
