package features

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Source gives the current settings each time it is asked.
type Source interface {
	// Getenv returns a getenv answering with the settings as they are now.
	Getenv(ctx context.Context) (func(string) string, error)
}

// Env is a Source that is the given getenv every time. A running
// process's environment does not change, so in production Env alone only
// gives the values of start-up; use Parameters to see SSM changes.
type Env func(string) string

// Getenv returns e.
func (e Env) Getenv(context.Context) (func(string) string, error) { return e, nil }

// ParameterLoader re-reads settings stored elsewhere;
// *awsconfig.Parameters is one (SSM Parameter Store).
type ParameterLoader interface {
	Load(ctx context.Context) (map[string]string, error)
}

// Parameters is a Source that reads loader afresh each time, with getenv
// (the process environment) taking precedence, as at start-up: a flag set
// on the task definition itself is not overridden by SSM. A FEATURE_*
// parameter that is no known flag is logged once as a warning.
func Parameters(getenv func(string) string, loader ParameterLoader, log *slog.Logger) Source {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &paramSource{getenv: getenv, loader: loader, log: log, warned: map[string]bool{}}
}

type paramSource struct {
	getenv func(string) string
	loader ParameterLoader
	log    *slog.Logger

	mu     sync.Mutex
	warned map[string]bool
}

func (p *paramSource) Getenv(ctx context.Context) (func(string) string, error) {
	vals, err := p.loader.Load(ctx)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	for k := range vals {
		if strings.HasPrefix(k, "FEATURE_") && !isKnown(k) && !p.warned[k] {
			p.warned[k] = true
			p.log.Warn("feature flag: no code reads this setting (not in internal/features)", slog.String("flag", k))
		}
	}
	p.mu.Unlock()
	return func(k string) string {
		if v := p.getenv(k); v != "" {
			return v
		}
		return vals[k]
	}, nil
}

func isKnown(env string) bool {
	for _, f := range known {
		if f.Env == env {
			return true
		}
	}
	return false
}

// WatchOptions say when Watch re-reads. The zero value re-reads every
// minute and on SIGHUP.
type WatchOptions struct {
	Interval time.Duration    // between re-reads when Ticks is nil; default one minute
	Ticks    <-chan time.Time // re-read on each value (tests); nil: a ticker of Interval
	Signals  <-chan os.Signal // re-read on each value (tests); nil: SIGHUP to this process
	Timeout  time.Duration    // for one re-read; default 20 s
	Reloaded func()           // called after each re-read, whatever its outcome (tests)
}

// Watch re-reads the flags from src every Interval and on SIGHUP until ctx
// ends; run it on its own goroutine. A re-read that fails (SSM unreachable,
// throttled) is logged and the flags keep their values. From the moment
// Watch starts, SIGHUP no longer ends the process (Go's default).
func (s *Set) Watch(ctx context.Context, src Source, opts WatchOptions) {
	if opts.Interval <= 0 {
		opts.Interval = time.Minute
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 20 * time.Second
	}
	ticks := opts.Ticks
	if ticks == nil {
		t := time.NewTicker(opts.Interval)
		defer t.Stop()
		ticks = t.C
	}
	sigs := opts.Signals
	if sigs == nil {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGHUP)
		defer signal.Stop(ch)
		sigs = ch
	}
	for {
		var why string
		select {
		case <-ctx.Done():
			return
		case <-ticks:
			why = "interval"
		case <-sigs:
			why = "SIGHUP"
		}
		s.reload(ctx, src, opts.Timeout, why)
		if opts.Reloaded != nil {
			opts.Reloaded()
		}
	}
}

func (s *Set) reload(ctx context.Context, src Source, timeout time.Duration, why string) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	getenv, err := src.Getenv(ctx)
	if err != nil {
		s.log.Warn("feature flags: re-read failed, keeping the current values", slog.String("trigger", why), slog.Any("err", err))
		return
	}
	if changed := s.Update(getenv); len(changed) > 0 {
		s.log.Info("feature flags re-read", slog.String("trigger", why), slog.Any("changed", changed))
	}
}
