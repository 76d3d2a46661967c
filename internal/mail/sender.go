package mail

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/bankapp/bankapp/internal/telemetry"
)

// New validates cfg and returns the Sender of its driver, wrapped so that
// every attempt is counted (bankapp_mail_sent_total) and logged with the
// message kind and a hash of the recipient, never the body.
func New(cfg Config, logger *slog.Logger) (Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	var s Sender
	driver := cfg.EffectiveDriver()
	switch driver {
	case DriverSMTP:
		smtp, err := newSMTP(cfg)
		if err != nil {
			return nil, err
		}
		s = smtp
	case DriverSES:
		ses, err := newSES(context.Background(), cfg)
		if err != nil {
			return nil, err
		}
		s = ses
	case DriverFile:
		s = newFile(cfg, logger)
	}
	m, err := newMetrics(cfg.Registerer)
	if err != nil {
		return nil, err
	}
	return &instrumented{next: s, driver: driver, log: logger, m: m}, nil
}

// instrumented logs and counts each attempt and guarantees that a returned
// error is a *SendError (whose text names no address).
type instrumented struct {
	next   Sender
	driver string
	log    *slog.Logger
	m      *metrics
}

// Span attributes of a delivery: the driver and the message kind (the
// template), never an address, a subject or a body.
const (
	attrMailDriver  = attribute.Key("bankapp.mail.driver")
	attrMailKind    = attribute.Key("bankapp.mail.kind")
	attrMailOutcome = attribute.Key("bankapp.mail.outcome") // sent, temporary, permanent
)

func (s *instrumented) Send(ctx context.Context, msg Message) (err error) {
	// A client span under the job run's span (none outside a traced job).
	ctx, end := telemetry.StartChild(ctx, "mail.send", trace.SpanKindClient,
		attrMailDriver.String(s.driver), attrMailKind.String(metricKind(msg.Kind)))
	defer func() { end(err) }()
	start := time.Now()
	err = s.next.Send(ctx, msg)
	var se *SendError
	if err != nil && !errors.As(err, &se) {
		se = &SendError{Op: "send", Detail: maskAddresses(err.Error()), err: err}
		err = se
	}
	if se != nil && se.Driver == "" {
		se.Driver = s.driver
	}
	outcome := "sent"
	switch {
	case err == nil:
	case IsPermanent(err):
		outcome = "permanent"
	default:
		outcome = "temporary"
	}
	kind := metricKind(msg.Kind)
	trace.SpanFromContext(ctx).SetAttributes(attrMailOutcome.String(outcome))
	s.m.sent.WithLabelValues(s.driver, kind, outcome).Inc()
	s.m.seconds.WithLabelValues(s.driver).Observe(time.Since(start).Seconds())
	log := s.log.With("driver", s.driver, "kind", msg.Kind, "to_hash", RecipientHash(msg.To), "ms", time.Since(start).Milliseconds())
	if err != nil {
		log.WarnContext(ctx, "mail not sent", "outcome", outcome, "err", err)
		return err
	}
	if s.driver != DriverFile { // which logs its own line, with the link
		log.InfoContext(ctx, "mail sent")
	}
	return nil
}

// metrics are the package's Prometheus collectors.
type metrics struct {
	sent    *prometheus.CounterVec
	seconds *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "bankapp_mail_sent_total",
			Help: "Attempts to send an email, by driver, kind and outcome (sent, temporary, permanent)."},
			[]string{"driver", "kind", "outcome"}),
		seconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "bankapp_mail_send_seconds",
			Help:    "Time one attempt to send an email took, by driver.",
			Buckets: []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}}, []string{"driver"}),
	}
	if reg == nil {
		return m, nil
	}
	var err error
	if m.sent, err = register(reg, m.sent); err != nil {
		return nil, err
	}
	if m.seconds, err = register(reg, m.seconds); err != nil {
		return nil, err
	}
	return m, nil
}

// register registers c, or returns the same collector registered before
// (a second Sender on the same registry shares the series).
func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing, nil
			}
		}
		return c, fmt.Errorf("mail: register metrics: %w", err)
	}
	return c, nil
}

// metricKind bounds the kind label to the kinds this package renders.
func metricKind(kind string) string {
	if knownKinds[kind] {
		return kind
	}
	return "other"
}

func randomLabel() string { return rand.Text()[:10] }
