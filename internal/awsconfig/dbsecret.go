package awsconfig

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// DatabaseSecret reads the PostgreSQL password from a Secrets Manager secret
// in the JSON shape that RDS and AWS's rotation functions use
// ({"engine":"postgres","host":…,"username":…,"password":…,"dbname":…,"port":5432}).
// It is a store.PasswordSource: the store asks it for the password of each
// new connection (through a short cache), so a rotated password reaches
// the running app without a restart.
type DatabaseSecret struct {
	client secretGetter
	id     string
}

// NewDatabaseSecret returns a DatabaseSecret for the secret id (name or ARN;
// DATABASE_SECRET_ID), with the AWS settings of opts.
func NewDatabaseSecret(ctx context.Context, opts Options, id string) (*DatabaseSecret, error) {
	cfg, err := sdkConfig(ctx, opts)
	if err != nil {
		return nil, err
	}
	client := secretsmanager.NewFromConfig(cfg, func(o *secretsmanager.Options) {
		if opts.EndpointURL != "" {
			o.BaseEndpoint = aws.String(opts.EndpointURL)
		}
	})
	return &DatabaseSecret{client: client, id: id}, nil
}

// Current returns the password of the AWSCURRENT version.
func (s *DatabaseSecret) Current(ctx context.Context) (string, error) {
	return s.password(ctx, "AWSCURRENT")
}

// Pending returns the password of the AWSPENDING version, which a rotation
// under way has created (and may already have set on the database), or ""
// when no rotation is under way.
func (s *DatabaseSecret) Pending(ctx context.Context) (string, error) {
	pw, err := s.password(ctx, "AWSPENDING")
	var nf *types.ResourceNotFoundException
	if errors.As(err, &nf) {
		return "", nil
	}
	return pw, err
}

// errDatabaseSecretShape never quotes the secret.
var errDatabaseSecretShape = errors.New(`the database secret must be a JSON object with a non-empty "password"`)

func (s *DatabaseSecret) password(ctx context.Context, stage string) (string, error) {
	out, err := s.client.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(s.id), VersionStage: aws.String(stage)})
	if err != nil {
		return "", fmt.Errorf("awsconfig: database secret %s (%s): %w", s.id, stage, err)
	}
	var v struct {
		Password string `json:"password"`
	}
	if out.SecretString == nil || json.Unmarshal([]byte(*out.SecretString), &v) != nil || v.Password == "" {
		return "", fmt.Errorf("awsconfig: database secret %s (%s): %w", s.id, stage, errDatabaseSecretShape)
	}
	return v.Password, nil
}
