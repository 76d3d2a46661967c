package mail

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/prometheus/client_golang/prometheus"
)

// Drivers.
const (
	DriverSMTP = "smtp" // SMTP_URL: a relay, Mailpit locally
	DriverSES  = "ses"  // Amazon SES API v2 (sesv2 SendEmail)
	DriverFile = "file" // development: .eml files in OutboxDir and a log line
)

// DefaultFrom is the sender address of the file driver when MAIL_FROM is
// empty. The other drivers need MAIL_FROM.
const DefaultFrom = "BankApp <no-reply@bankapp.localhost>"

// DefaultTimeout bounds one SMTP conversation step or one SES request.
const DefaultTimeout = 10 * time.Second

// Config chooses and configures the driver. The config package maps the
// environment onto it (names in brackets); the remaining fields are for
// tests and embedding.
type Config struct {
	// Driver is smtp, ses or file [MAIL_DRIVER]. Empty: smtp when SMTPURL
	// is set, else file.
	Driver string
	// SMTPURL is smtp://[user:pass@]host[:port] (STARTTLS when the server
	// offers it; port 587 by default) or smtps://… (TLS from the first
	// byte; port 465) [SMTP_URL]. The query ?starttls=required refuses a
	// server that does not offer STARTTLS.
	SMTPURL string
	// From is the sender, "BankApp <no-reply@example.com>" [MAIL_FROM].
	From string
	// SESConfigurationSet names the SES configuration set whose event
	// destinations receive bounces and complaints [SES_CONFIGURATION_SET].
	SESConfigurationSet string
	// Region is the SES region [AWS_REGION]; empty: the SDK's default.
	Region string
	// OutboxDir is where the file driver writes (<BANKAPP_DATA_DIR>/outbox).
	OutboxDir string
	// Timeout bounds each SMTP step (connect, each command) and each SES
	// request [DefaultTimeout].
	Timeout time.Duration

	// SESEndpointURL sends SES requests to another endpoint (tests, LocalStack).
	SESEndpointURL string
	// AWSCredentials overrides the SDK's default chain (the ECS task role).
	AWSCredentials aws.CredentialsProvider
	// RootCAs verifies the SMTP server's certificate; nil: the system pool.
	RootCAs *x509.CertPool
	// Now dates messages [time.Now].
	Now func() time.Time
	// Registerer receives the bankapp_mail_* metrics; nil registers none.
	Registerer prometheus.Registerer
}

// EffectiveDriver is the driver New will use.
func (c Config) EffectiveDriver() string {
	d := strings.ToLower(strings.TrimSpace(c.Driver))
	if d != "" {
		return d
	}
	if strings.TrimSpace(c.SMTPURL) != "" {
		return DriverSMTP
	}
	return DriverFile
}

// Validate reports every bad setting, each naming its environment
// variable. Values that may hold a secret (SMTP_URL) are never repeated.
func (c Config) Validate() error {
	var errs []error
	d := c.EffectiveDriver()
	switch d {
	case DriverSMTP, DriverSES, DriverFile:
	default:
		errs = append(errs, fmt.Errorf("MAIL_DRIVER: %q is not a driver (smtp, ses or file)", c.Driver))
	}
	if c.SMTPURL != "" || d == DriverSMTP {
		if c.SMTPURL == "" {
			errs = append(errs, errors.New("SMTP_URL: required with MAIL_DRIVER=smtp"))
		} else if _, err := parseSMTPURL(c.SMTPURL); err != nil {
			errs = append(errs, err)
		}
	}
	if c.From != "" {
		if _, err := netmail.ParseAddress(c.From); err != nil {
			errs = append(errs, fmt.Errorf("MAIL_FROM: %q is not an email address (want \"Name <user@example.com>\" or user@example.com)", c.From))
		}
	} else if d == DriverSMTP || d == DriverSES {
		errs = append(errs, fmt.Errorf("MAIL_FROM: required with MAIL_DRIVER=%s", d))
	}
	if d == DriverSES && c.SESConfigurationSet != "" && !validSESName(c.SESConfigurationSet) {
		errs = append(errs, errors.New("SES_CONFIGURATION_SET: letters, digits, '-' and '_' only, at most 64"))
	}
	if d == DriverFile && strings.TrimSpace(c.OutboxDir) == "" {
		errs = append(errs, errors.New("BANKAPP_DATA_DIR: the file mail driver needs a data dir for its outbox"))
	}
	if c.Timeout < 0 {
		errs = append(errs, errors.New("mail timeout: must not be negative"))
	}
	return errors.Join(errs...)
}

// CheckProduction refuses development settings: the file outbox (mail
// would never leave the server), and plain SMTP to another host that would
// send reset links unencrypted when a man in the middle strips STARTTLS.
// The config package calls it in production mode.
func (c Config) CheckProduction() error {
	switch c.EffectiveDriver() {
	case DriverFile:
		return errors.New("MAIL_DRIVER: the file outbox is for development; set SMTP_URL or MAIL_DRIVER=ses")
	case DriverSMTP:
		t, err := parseSMTPURL(c.SMTPURL)
		if err != nil {
			return err
		}
		if !t.implicitTLS && !t.requireTLS && !isLoopback(t.host) {
			return errors.New("SMTP_URL: production needs TLS to a remote relay: use smtps:// or add ?starttls=required")
		}
	}
	return nil
}

// Summary describes the driver for a start-up log line (no secrets).
func (c Config) Summary() string {
	switch d := c.EffectiveDriver(); d {
	case DriverSMTP:
		t, err := parseSMTPURL(c.SMTPURL)
		if err != nil {
			return "smtp (invalid SMTP_URL)"
		}
		return "smtp to " + t.describe()
	case DriverSES:
		s := "ses"
		if c.Region != "" {
			s += " in " + c.Region
		}
		if c.SESConfigurationSet != "" {
			s += ", configuration set " + c.SESConfigurationSet
		}
		return s
	case DriverFile:
		return "file outbox in " + c.OutboxDir
	default:
		return d
	}
}

func (c Config) from() string {
	if c.From == "" {
		return DefaultFrom
	}
	return c.From
}

func (c Config) timeout() time.Duration {
	if c.Timeout <= 0 {
		return DefaultTimeout
	}
	return c.Timeout
}

func (c Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// smtpTarget is a parsed SMTP_URL.
type smtpTarget struct {
	host        string
	port        int
	user, pass  string
	implicitTLS bool // smtps://
	requireTLS  bool // ?starttls=required
}

func (t smtpTarget) describe() string {
	s := net.JoinHostPort(t.host, strconv.Itoa(t.port))
	switch {
	case t.implicitTLS:
		s += " (TLS)"
	case t.requireTLS:
		s += " (STARTTLS required)"
	default:
		s += " (STARTTLS when offered)"
	}
	if t.user != "" {
		s += " as " + t.user
	}
	return s
}

// parseSMTPURL parses SMTP_URL. Its errors never repeat the value, which
// may carry a password.
func parseSMTPURL(raw string) (smtpTarget, error) {
	bad := func(why string) (smtpTarget, error) { return smtpTarget{}, errors.New("SMTP_URL: " + why) }
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return bad("not a URL (want smtp://[user:pass@]host:port)")
	}
	var t smtpTarget
	switch u.Scheme {
	case "smtp":
		t.port = 587
	case "smtps":
		t.port, t.implicitTLS = 465, true
	default:
		return bad("the scheme must be smtp or smtps")
	}
	if u.Opaque != "" || (u.Path != "" && u.Path != "/") || u.Fragment != "" {
		return bad("want smtp://[user:pass@]host:port with no path")
	}
	t.host = u.Hostname()
	if t.host == "" {
		return bad("no host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return bad("the port must be 1-65535")
		}
		t.port = n
	}
	if u.User != nil {
		t.user = u.User.Username()
		t.pass, _ = u.User.Password()
		if t.user == "" {
			return bad("a password needs a user name")
		}
	}
	q := u.Query()
	for k := range q {
		if k != "starttls" {
			return bad("unknown parameter " + strconv.Quote(k) + " (only starttls)")
		}
	}
	switch q.Get("starttls") {
	case "", "opportunistic":
	case "required":
		if t.implicitTLS {
			return bad("starttls=required is for smtp://; smtps:// is TLS already")
		}
		t.requireTLS = true
	default:
		return bad("starttls must be required or opportunistic")
	}
	return t, nil
}

func isLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func validSESName(s string) bool {
	if len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
