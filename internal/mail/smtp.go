package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"net/textproto"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// smtpSender delivers through an SMTP server, one connection per message:
// mail is rare (a sign-up, a reset), and a fresh connection never finds a
// relay that closed an idle one.
type smtpSender struct {
	t   smtpTarget
	cfg Config
}

func newSMTP(cfg Config) (*smtpSender, error) {
	t, err := parseSMTPURL(cfg.SMTPURL)
	if err != nil {
		return nil, err
	}
	return &smtpSender{t: t, cfg: cfg}, nil
}

func (s *smtpSender) Send(ctx context.Context, m Message) error {
	msg, err := buildMsg(s.cfg.from(), m, s.cfg.now())
	if err != nil {
		return err
	}
	opts := []gomail.Option{
		gomail.WithPort(s.t.port),
		gomail.WithTimeout(s.cfg.timeout()),
		gomail.WithTLSConfig(&tls.Config{ServerName: s.t.host, RootCAs: s.cfg.RootCAs, MinVersion: tls.VersionTLS12}),
	}
	switch {
	case s.t.implicitTLS:
		opts = append(opts, gomail.WithSSL())
	case s.t.requireTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.t.user != "" {
		// The strongest mechanism the server offers; PLAIN and LOGIN only
		// over TLS, so the password never crosses the network in clear.
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.t.user), gomail.WithPassword(s.t.pass))
	}
	c, err := gomail.NewClient(s.t.host, opts...)
	if err != nil {
		return &SendError{Driver: DriverSMTP, Op: "configure", Permanent: true, Detail: "invalid client settings", err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, 3*s.cfg.timeout())
	defer cancel()
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return classifySMTP(err)
	}
	return nil
}

// classifySMTP turns go-mail's error into a *SendError: a 5xx reply is
// permanent, a 4xx reply, a network error, a timeout or a TLS failure is
// temporary. The recipient and Message-ID in go-mail's text are masked.
func classifySMTP(err error) *SendError {
	se := &SendError{Driver: DriverSMTP, Op: "session", Detail: maskAddresses(err.Error()), err: err}
	var sendErr *gomail.SendError
	var tpErr *textproto.Error
	switch {
	case errors.As(err, &sendErr):
		se.Op = sendErr.Reason.String()
		se.Code = sendErr.ErrorCode()
		se.Detail = strings.TrimPrefix(strings.TrimPrefix(se.Detail, "send failed: "), se.Op+": ")
		switch sendErr.Reason {
		case gomail.ErrGetSender, gomail.ErrGetRcpts, gomail.ErrNoUnencoded:
			// A malformed address or message: no server will take it.
			se.Permanent = se.Code == 0 || se.Code >= 500
			return se
		}
	case errors.As(err, &tpErr):
		// A reply while connecting: greeting, EHLO, STARTTLS, AUTH.
		se.Code = tpErr.Code
	}
	if se.Code == 0 && isNetError(err) {
		se.Op = "connection"
	}
	se.Permanent = se.Code >= 500 && se.Code < 600
	return se
}
