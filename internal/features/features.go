// Package features holds BankApp's feature flags: FEATURE_* settings read
// from the environment (which internal/awsconfig fills from SSM Parameter
// Store at start-up) and re-read while the server runs (Watch), so a flag
// flips without a restart. docs/features.md lists the flags and how to
// flip one.
package features

import (
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Flag is one feature flag.
type Flag struct {
	Name        string // key in Snapshot and in GET /api/v1/features, e.g. "crypto_trading"
	Env         string // the setting, e.g. FEATURE_CRYPTO_TRADING
	Default     bool   // when the setting is absent
	Owner       string // the team that decides
	Description string // what turning it off does
}

// Names of the known flags, for Enabled.
const (
	CryptoTrading = "crypto_trading"
)

// known is every flag. A new flag is a row here, a constant above, the
// code it gates, a test, and a section in docs/features.md.
var known = []Flag{
	{
		Name:    CryptoTrading,
		Env:     "FEATURE_CRYPTO_TRADING",
		Default: true,
		Owner:   "investing team",
		Description: "Crypto orders and crypto in the web app. Off: crypto orders answer 403 feature_disabled " +
			"and the web app hides crypto (it reads GET /api/v1/features); holdings stay visible and valued.",
	},
}

// Flags returns the known flags, in declaration order.
func Flags() []Flag { return slices.Clone(known) }

// Parse reads a flag value: true/false, 1/0 or on/off, in any case, with
// surrounding spaces ignored. Anything else is an error.
func Parse(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "1", "on":
		return true, nil
	case "false", "0", "off":
		return false, nil
	}
	return false, fmt.Errorf("not true/false/1/0/on/off")
}

// ValueError says which flag setting holds a value Parse refuses. It does
// not repeat the value.
type ValueError struct{ Var string }

func (e *ValueError) Error() string {
	return fmt.Sprintf("features: %s: must be true, false, 1, 0, on or off", e.Var)
}

// Validate checks every known flag's setting, for config to refuse to
// start on a typo rather than run on the default.
func Validate(getenv func(string) string) []error {
	var errs []error
	for _, f := range known {
		if v := getenv(f.Env); v != "" {
			if _, err := Parse(v); err != nil {
				errs = append(errs, &ValueError{Var: f.Env})
			}
		}
	}
	return errs
}

// Set is the current value of every known flag. Enabled and Snapshot are
// safe for concurrent use with each other and with Update (they read an
// immutable map swapped in whole).
type Set struct {
	log *slog.Logger
	mu  sync.Mutex // serialises Update
	cur atomic.Pointer[map[string]bool]
}

// New reads every known flag through getenv. A value Parse refuses is
// logged as a warning and the flag takes its default (use Validate first
// to refuse to start instead). A nil log discards the warnings.
func New(getenv func(string) string, log *slog.Logger) *Set {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Set{log: log}
	m := make(map[string]bool, len(known))
	for _, f := range known {
		m[f.Name] = f.Default
	}
	s.cur.Store(&m)
	s.Update(getenv)
	return s
}

// Enabled reports whether the flag named name (CryptoTrading, …) is on. An
// unknown name is off.
func (s *Set) Enabled(name string) bool {
	return (*s.cur.Load())[name]
}

// Snapshot returns every known flag by name, for GET /api/v1/features.
func (s *Set) Snapshot() map[string]bool {
	return maps.Clone(*s.cur.Load())
}

// Update re-reads every known flag through getenv and returns the names of
// those that changed. An absent setting means the flag's default; a value
// Parse refuses keeps the flag's previous value and logs a warning. Each
// change is logged.
func (s *Set) Update(getenv func(string) string) (changed []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prev := *s.cur.Load()
	next := make(map[string]bool, len(known))
	for _, f := range known {
		v := getenv(f.Env)
		on := f.Default
		if v != "" {
			b, err := Parse(v)
			if err != nil {
				s.log.Warn("feature flag: value refused, keeping the previous one",
					slog.String("flag", f.Env), slog.Bool("keeps", prev[f.Name]))
				next[f.Name] = prev[f.Name]
				continue
			}
			on = b
		}
		next[f.Name] = on
		if on != prev[f.Name] {
			changed = append(changed, f.Name)
			s.log.Info("feature flag changed", slog.String("flag", f.Env), slog.Bool("from", prev[f.Name]), slog.Bool("to", on))
		}
	}
	s.cur.Store(&next)
	return changed
}
