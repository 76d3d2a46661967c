package awsconfig

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// secretGetter is the one Secrets Manager call Load makes.
type secretGetter interface {
	GetSecretValue(context.Context, *secretsmanager.GetSecretValueInput, ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// errSecretShape never quotes the secret: JSON errors can echo its bytes.
var errSecretShape = errors.New("the secret must be a JSON object of strings, numbers or booleans")

// loadSecret reads a JSON object secret ({"JWT_SIGNING_KEY": "...", ...}).
func loadSecret(ctx context.Context, c secretGetter, id string) (map[string]string, error) {
	out, err := c.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)})
	if err != nil {
		return nil, fmt.Errorf("awsconfig: secret %s: %w", id, err)
	}
	if out.SecretString == nil {
		return nil, fmt.Errorf("awsconfig: secret %s: %w", id, errSecretShape)
	}
	// UseNumber keeps a numeric value's literal text: a float64 would round
	// long numbers (an account number, a big limit) without a word.
	var raw map[string]any
	dec := json.NewDecoder(strings.NewReader(*out.SecretString))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil || raw == nil {
		return nil, fmt.Errorf("awsconfig: secret %s: %w", id, errSecretShape)
	}
	vals := make(map[string]string, len(raw))
	for k, v := range raw {
		if !envName.MatchString(k) {
			return nil, fmt.Errorf("awsconfig: secret %s: key %q is not an environment variable name", id, k)
		}
		switch x := v.(type) {
		case string:
			vals[k] = x
		case json.Number:
			vals[k] = x.String()
		case bool:
			vals[k] = strconv.FormatBool(x)
		default:
			return nil, fmt.Errorf("awsconfig: secret %s: key %s: %w", id, k, errSecretShape)
		}
	}
	return vals, nil
}
