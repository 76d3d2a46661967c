package awsconfig

import (
	"context"
	"errors"
)

// Parameters re-reads the parameters under one SSM path each time Load is
// called: for settings that change while the server runs (feature flags,
// /bankapp/<env>/features). It builds its SSM client once; each Load is
// one GetParametersByPath call per ten parameters.
type Parameters struct {
	client parameterLister
	path   string
}

// NewParameters returns a reader of the parameters under opts.ParameterPath
// (opts.SecretID is ignored). It makes no request until Load.
func NewParameters(ctx context.Context, opts Options) (*Parameters, error) {
	if opts.ParameterPath == "" {
		return nil, errors.New("awsconfig: no parameter path to re-read")
	}
	cfg, err := sdkConfig(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &Parameters{client: ssmClient(cfg, opts), path: opts.ParameterPath}, nil
}

// Load returns the parameters under the path as they are now, by variable
// name (the last path segment), as Load does at start-up. Errors never
// hold values.
func (p *Parameters) Load(ctx context.Context) (map[string]string, error) {
	return loadParameters(ctx, p.client, p.path)
}
