// Package awsconfig loads BankApp settings from AWS at start-up: one JSON
// secret in Secrets Manager (AWS_SECRETS_MANAGER_SECRET_ID) and the
// parameters under a path in SSM Parameter Store (SSM_PARAMETER_PATH).
//
// Both hold environment-variable names and values, so the result feeds
// internal/config like the environment does. Values are never logged and
// never appear in errors.
package awsconfig

import (
	"context"
	"fmt"
	"net/http"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscfg "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// Options say where the settings are. An empty SecretID or ParameterPath
// skips that source.
type Options struct {
	SecretID      string // Secrets Manager secret id or ARN (AWS_SECRETS_MANAGER_SECRET_ID)
	ParameterPath string // SSM path, e.g. /bankapp/prod (SSM_PARAMETER_PATH)
	Region        string // empty: the SDK's default (AWS_REGION, ECS metadata)

	// DatabaseSecretID names the secret that holds the PostgreSQL password
	// (DATABASE_SECRET_ID): see DatabaseSecret. Load does not read it.
	DatabaseSecretID string

	// EndpointURL sends both services' requests to one URL (tests, LocalStack).
	EndpointURL string
	// Credentials overrides the SDK's default chain (the ECS task role).
	Credentials aws.CredentialsProvider
	// HTTPClient overrides the SDK's HTTP client.
	HTTPClient *http.Client
	// MaxAttempts caps the SDK's retries (0: the SDK's default of 3).
	MaxAttempts int
}

// OptionsFromEnv reads AWS_SECRETS_MANAGER_SECRET_ID, SSM_PARAMETER_PATH,
// DATABASE_SECRET_ID and AWS_REGION.
func OptionsFromEnv(getenv func(string) string) Options {
	return Options{
		SecretID:         getenv("AWS_SECRETS_MANAGER_SECRET_ID"),
		ParameterPath:    getenv("SSM_PARAMETER_PATH"),
		DatabaseSecretID: getenv("DATABASE_SECRET_ID"),
		Region:           getenv("AWS_REGION"),
	}
}

// envName is what a key must look like to become an environment variable.
var envName = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// Load returns the settings as environment-variable name → value. SSM
// parameters come first; a key in the secret replaces the same key from SSM
// (secrets are the authority for what they hold).
func Load(ctx context.Context, opts Options) (map[string]string, error) {
	out := map[string]string{}
	if opts.SecretID == "" && opts.ParameterPath == "" {
		return out, nil
	}
	cfg, err := sdkConfig(ctx, opts)
	if err != nil {
		return nil, err
	}
	if opts.ParameterPath != "" {
		params, err := loadParameters(ctx, ssmClient(cfg, opts), opts.ParameterPath)
		if err != nil {
			return nil, err
		}
		for k, v := range params {
			out[k] = v
		}
	}
	if opts.SecretID != "" {
		secret, err := loadSecret(ctx, secretsmanager.NewFromConfig(cfg, func(o *secretsmanager.Options) {
			if opts.EndpointURL != "" {
				o.BaseEndpoint = aws.String(opts.EndpointURL)
			}
		}), opts.SecretID)
		if err != nil {
			return nil, err
		}
		for k, v := range secret {
			out[k] = v
		}
	}
	return out, nil
}

func ssmClient(cfg aws.Config, opts Options) *ssm.Client {
	return ssm.NewFromConfig(cfg, func(o *ssm.Options) {
		if opts.EndpointURL != "" {
			o.BaseEndpoint = aws.String(opts.EndpointURL)
		}
	})
}

func sdkConfig(ctx context.Context, opts Options) (aws.Config, error) {
	var lo []func(*awscfg.LoadOptions) error
	if opts.Region != "" {
		lo = append(lo, awscfg.WithRegion(opts.Region))
	}
	if opts.Credentials != nil {
		lo = append(lo, awscfg.WithCredentialsProvider(opts.Credentials))
	}
	if opts.HTTPClient != nil {
		lo = append(lo, awscfg.WithHTTPClient(opts.HTTPClient))
	}
	if opts.MaxAttempts > 0 {
		lo = append(lo, awscfg.WithRetryMaxAttempts(opts.MaxAttempts))
	}
	cfg, err := awscfg.LoadDefaultConfig(ctx, lo...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("awsconfig: aws configuration: %w", err)
	}
	return cfg, nil
}

// Getenv returns a getenv that prefers the real environment and falls back
// to the values from AWS: an operator can still override one setting on the
// task definition.
func Getenv(getenv func(string) string, values map[string]string) func(string) string {
	return func(key string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return values[key]
	}
}
