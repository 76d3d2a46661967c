package awsconfig

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// parameterLister is the one SSM call Load makes.
type parameterLister interface {
	GetParametersByPath(context.Context, *ssm.GetParametersByPathInput, ...func(*ssm.Options)) (*ssm.GetParametersByPathOutput, error)
}

// loadParameters reads every parameter under p, recursively and decrypted,
// page by page. A parameter's last path segment is its variable name:
// /bankapp/prod/LOG_LEVEL and /bankapp/prod/features/FEATURE_X give
// LOG_LEVEL and FEATURE_X.
func loadParameters(ctx context.Context, c parameterLister, p string) (map[string]string, error) {
	vals := map[string]string{}
	from := map[string]string{}
	pager := ssm.NewGetParametersByPathPaginator(c, &ssm.GetParametersByPathInput{
		Path:           aws.String(strings.TrimSuffix(p, "/")),
		Recursive:      aws.Bool(true),
		WithDecryption: aws.Bool(true),
	})
	for pager.HasMorePages() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("awsconfig: parameters under %s: %w", p, err)
		}
		for _, prm := range page.Parameters {
			name := aws.ToString(prm.Name)
			key := path.Base(name)
			if !envName.MatchString(key) {
				return nil, fmt.Errorf("awsconfig: parameter %s: %q is not an environment variable name", name, key)
			}
			if prev, dup := from[key]; dup {
				return nil, fmt.Errorf("awsconfig: parameters %s and %s both set %s", prev, name, key)
			}
			from[key] = name
			vals[key] = aws.ToString(prm.Value)
		}
	}
	return vals, nil
}
