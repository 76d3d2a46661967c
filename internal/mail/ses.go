package mail

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awscfg "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// sesAPI is the part of the sesv2 client the driver uses.
type sesAPI interface {
	SendEmail(ctx context.Context, in *sesv2.SendEmailInput, optFns ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)
}

// sesSender sends through the SES API v2 with Simple content: SES builds
// the MIME message (text and HTML alternatives) and signs it with DKIM.
type sesSender struct {
	api sesAPI
	cfg Config
}

func newSES(ctx context.Context, cfg Config) (*sesSender, error) {
	lo := []func(*awscfg.LoadOptions) error{
		awscfg.WithHTTPClient(awshttp.NewBuildableClient().WithTimeout(cfg.timeout())),
		// One request per attempt: the job queue retries with its backoff,
		// and the job's transaction stays short.
		awscfg.WithRetryMaxAttempts(1),
	}
	if cfg.Region != "" {
		lo = append(lo, awscfg.WithRegion(cfg.Region))
	}
	if cfg.AWSCredentials != nil {
		lo = append(lo, awscfg.WithCredentialsProvider(cfg.AWSCredentials))
	}
	ac, err := awscfg.LoadDefaultConfig(ctx, lo...)
	if err != nil {
		return nil, fmt.Errorf("mail: aws configuration: %w", err)
	}
	client := sesv2.NewFromConfig(ac, func(o *sesv2.Options) {
		if cfg.SESEndpointURL != "" {
			o.BaseEndpoint = aws.String(cfg.SESEndpointURL)
		}
	})
	return &sesSender{api: client, cfg: cfg}, nil
}

func (s *sesSender) Send(ctx context.Context, m Message) error {
	if err := m.validate(); err != nil {
		return err
	}
	utf8 := aws.String("UTF-8")
	body := &types.Body{Text: &types.Content{Data: aws.String(m.Text), Charset: utf8}}
	if m.HTML != "" {
		body.Html = &types.Content{Data: aws.String(m.HTML), Charset: utf8}
	}
	in := &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(s.cfg.from()),
		Destination:      &types.Destination{ToAddresses: []string{m.To}},
		Content: &types.EmailContent{Simple: &types.Message{
			Subject: &types.Content{Data: aws.String(m.Subject), Charset: utf8},
			Body:    body,
		}},
		// The kind travels with SES's bounce and complaint events.
		EmailTags: []types.MessageTag{{Name: aws.String("kind"), Value: aws.String(tagValue(m.Kind))}},
	}
	if s.cfg.SESConfigurationSet != "" {
		in.ConfigurationSetName = aws.String(s.cfg.SESConfigurationSet)
	}
	if _, err := s.api.SendEmail(ctx, in); err != nil {
		return classifySES(err)
	}
	return nil
}

// sesTemporary are the SES error codes that a later attempt may get past.
var sesTemporary = map[string]bool{
	"TooManyRequestsException": true, // 429: the sending rate
	"LimitExceededException":   true, // the daily quota
	"ThrottlingException":      true,
	"Throttling":               true,
	"RequestTimeout":           true,
	"RequestTimeoutException":  true,
}

// classifySES: SES refusing the request (4xx: MessageRejected,
// MailFromDomainNotVerifiedException, BadRequestException, NotFound for the
// configuration set, AccountSuspended, SendingPaused, AccessDenied) is
// permanent; throttling, quotas, 5xx and network errors are temporary.
func classifySES(err error) *SendError {
	se := &SendError{Driver: DriverSES, Op: "SendEmail", err: err}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		se.Code = re.Response.StatusCode
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		se.Detail = ae.ErrorCode()
		if msg := ae.ErrorMessage(); msg != "" {
			se.Detail += ": " + maskAddresses(msg)
		}
		se.Permanent = !sesTemporary[ae.ErrorCode()] && se.Code >= 400 && se.Code < 500 && se.Code != http.StatusTooManyRequests
		return se
	}
	se.Detail = maskAddresses(err.Error())
	return se
}

// tagValue keeps what SES accepts in a tag value: ASCII letters, digits,
// '_' and '-'.
func tagValue(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "unknown"
	}
	return string(b)
}
