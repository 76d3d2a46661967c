package features_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"maps"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/awsconfig"
	"github.com/bankapp/bankapp/internal/features"
)

// SSM's reader is what Parameters re-reads in production.
var _ features.ParameterLoader = (*awsconfig.Parameters)(nil)

// env is a settable environment.
type env struct {
	mu sync.Mutex
	m  map[string]string
}

func newEnv(kv ...string) *env {
	e := &env{m: map[string]string{}}
	for i := 0; i < len(kv); i += 2 {
		e.m[kv[i]] = kv[i+1]
	}
	return e
}

func (e *env) set(k, v string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.m[k] = v
}

func (e *env) get(k string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.m[k]
}

// logBuffer collects log lines written from the watcher's goroutine.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func logger() (*slog.Logger, *logBuffer) {
	var buf logBuffer
	return slog.New(slog.NewTextHandler(&buf, nil)), &buf
}

func TestParse(t *testing.T) {
	for v, want := range map[string]bool{"true": true, "TRUE": true, " on ": true, "1": true, "On": true,
		"false": false, "False": false, "0": false, "off": false, "OFF\n": false} {
		if got, err := features.Parse(v); err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v", v, got, err)
		}
	}
	for _, v := range []string{"", "yes", "no", "2", "enabled", "t", "f", "tru e"} {
		if _, err := features.Parse(v); err == nil {
			t.Errorf("Parse(%q) accepted", v)
		}
	}
}

func TestValidate(t *testing.T) {
	if errs := features.Validate(newEnv("FEATURE_CRYPTO_TRADING", "off").get); errs != nil {
		t.Errorf("valid: %v", errs)
	}
	errs := features.Validate(newEnv("FEATURE_CRYPTO_TRADING", "nope-secretish").get)
	var ve *features.ValueError
	if len(errs) != 1 || !errors.As(errs[0], &ve) || ve.Var != "FEATURE_CRYPTO_TRADING" || strings.Contains(errs[0].Error(), "secretish") {
		t.Errorf("invalid: %v", errs)
	}
}

// TestFlagTable: every flag is named consistently, has an owner and a
// description, and is documented.
func TestFlagTable(t *testing.T) {
	doc, err := os.ReadFile("../../docs/features.md")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range features.Flags() {
		if f.Env != "FEATURE_"+strings.ToUpper(f.Name) || seen[f.Name] {
			t.Errorf("flag %q: setting %q (want FEATURE_ + upper-case name, once)", f.Name, f.Env)
		}
		seen[f.Name] = true
		if f.Owner == "" || f.Description == "" {
			t.Errorf("flag %s: no owner or description", f.Env)
		}
		if !bytes.Contains(doc, []byte("`"+f.Env+"`")) {
			t.Errorf("docs/features.md does not mention `%s`", f.Env)
		}
	}
}

func TestDefaultsAndSnapshot(t *testing.T) {
	s := features.New(newEnv().get, nil)
	if !s.Enabled(features.CryptoTrading) {
		t.Error("crypto trading is on by default")
	}
	if s.Enabled("no_such_flag") {
		t.Error("an unknown flag is on")
	}
	snap := s.Snapshot()
	if !maps.Equal(snap, map[string]bool{"crypto_trading": true}) {
		t.Errorf("snapshot %v", snap)
	}
	snap["crypto_trading"] = false // a copy
	if !s.Enabled(features.CryptoTrading) {
		t.Error("Snapshot handed out the live map")
	}
	if off := features.New(newEnv("FEATURE_CRYPTO_TRADING", "0").get, nil); off.Enabled(features.CryptoTrading) {
		t.Error("FEATURE_CRYPTO_TRADING=0 left it on")
	}
	log, buf := logger()
	if bad := features.New(newEnv("FEATURE_CRYPTO_TRADING", "maybe").get, log); !bad.Enabled(features.CryptoTrading) {
		t.Error("an invalid value at start must give the default")
	}
	if !strings.Contains(buf.String(), "level=WARN") || !strings.Contains(buf.String(), "FEATURE_CRYPTO_TRADING") {
		t.Errorf("no warning: %s", buf.String())
	}
}

// watcher runs Watch with injected ticks and signals; reload sends one and
// waits until the re-read is done.
type watcher struct {
	set      *features.Set
	ticks    chan time.Time
	signals  chan os.Signal
	reloaded chan struct{}
	done     chan struct{}
	cancel   context.CancelFunc
}

func watch(t *testing.T, set *features.Set, src features.Source) *watcher {
	w := &watcher{set: set, ticks: make(chan time.Time), signals: make(chan os.Signal), reloaded: make(chan struct{}), done: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	go func() {
		defer close(w.done)
		set.Watch(ctx, src, features.WatchOptions{Ticks: w.ticks, Signals: w.signals, Reloaded: func() { w.reloaded <- struct{}{} }})
	}()
	t.Cleanup(func() {
		cancel()
		<-w.done
	})
	return w
}

func (w *watcher) tick(t *testing.T) {
	t.Helper()
	w.ticks <- time.Now()
	w.waitReload(t)
}

func (w *watcher) hangUp(t *testing.T) {
	t.Helper()
	w.signals <- os.Interrupt // any os.Signal value stands for SIGHUP
	w.waitReload(t)
}

// waitReload waits for the re-read the tick or signal started; the bound
// only turns a broken watcher into a failure instead of a hung test.
func (w *watcher) waitReload(t *testing.T) {
	t.Helper()
	select {
	case <-w.reloaded:
	case <-time.After(30 * time.Second):
		t.Fatal("no re-read after the tick or signal")
	}
}

func TestWatchFlipsOnTick(t *testing.T) {
	e := newEnv("FEATURE_CRYPTO_TRADING", "true")
	log, buf := logger()
	s := features.New(e.get, log)
	w := watch(t, s, features.Env(e.get))

	e.set("FEATURE_CRYPTO_TRADING", "false")
	if !s.Enabled(features.CryptoTrading) {
		t.Fatal("flipped before the re-read")
	}
	w.tick(t)
	if s.Enabled(features.CryptoTrading) {
		t.Fatal("still on after the tick")
	}
	if !strings.Contains(buf.String(), "feature flag changed") || !strings.Contains(buf.String(), "trigger=interval") {
		t.Errorf("change not logged: %s", buf.String())
	}
	e.set("FEATURE_CRYPTO_TRADING", "on")
	w.tick(t)
	if !s.Enabled(features.CryptoTrading) {
		t.Fatal("still off after the second tick")
	}
}

func TestWatchFlipsOnSIGHUP(t *testing.T) {
	e := newEnv()
	s := features.New(e.get, nil)
	w := watch(t, s, features.Env(e.get))
	e.set("FEATURE_CRYPTO_TRADING", "off")
	w.hangUp(t)
	if s.Enabled(features.CryptoTrading) {
		t.Fatal("still on after SIGHUP")
	}
}

func TestWatchKeepsThePreviousValueOnAnInvalidOne(t *testing.T) {
	e := newEnv("FEATURE_CRYPTO_TRADING", "off")
	log, buf := logger()
	s := features.New(e.get, log)
	w := watch(t, s, features.Env(e.get))
	e.set("FEATURE_CRYPTO_TRADING", "of")
	w.tick(t)
	if s.Enabled(features.CryptoTrading) {
		t.Fatal("an invalid value turned the flag to its default")
	}
	if !strings.Contains(buf.String(), "value refused") {
		t.Errorf("no warning: %s", buf.String())
	}
	e.set("FEATURE_CRYPTO_TRADING", "") // removed: back to the default
	w.tick(t)
	if !s.Enabled(features.CryptoTrading) {
		t.Fatal("a removed setting did not give the default")
	}
}

func TestWatchStopsWithItsContext(t *testing.T) {
	w := watch(t, features.New(newEnv().get, nil), features.Env(newEnv().get))
	w.cancel()
	select {
	case <-w.done:
	case <-time.After(10 * time.Second):
		t.Fatal("Watch did not return")
	}
}

// loader is a ParameterLoader whose values and failure the test sets.
type loader struct {
	mu    sync.Mutex
	vals  map[string]string
	err   error
	calls int
}

func (l *loader) Load(context.Context) (map[string]string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	if l.err != nil {
		return nil, l.err
	}
	return maps.Clone(l.vals), nil
}

func (l *loader) set(vals map[string]string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.vals, l.err = vals, err
}

func TestWatchParameters(t *testing.T) {
	procEnv := newEnv()
	ssm := &loader{vals: map[string]string{"FEATURE_CRYPTO_TRADING": "true", "FEATURE_STATEMENTS": "true"}}
	log, buf := logger()
	s := features.New(procEnv.get, log)
	w := watch(t, s, features.Parameters(procEnv.get, ssm, log))

	ssm.set(map[string]string{"FEATURE_CRYPTO_TRADING": "false", "FEATURE_STATEMENTS": "true"}, nil)
	w.tick(t)
	if s.Enabled(features.CryptoTrading) {
		t.Fatal("an SSM change did not reach the flag")
	}
	w.tick(t)
	if n := strings.Count(buf.String(), "FEATURE_STATEMENTS"); n != 1 {
		t.Errorf("the unknown FEATURE_STATEMENTS was reported %d times, want once:\n%s", n, buf.String())
	}

	ssm.set(nil, errors.New("ThrottlingException"))
	w.hangUp(t)
	if s.Enabled(features.CryptoTrading) || !strings.Contains(buf.String(), "re-read failed") {
		t.Fatalf("a failed re-read changed the flag or went unlogged:\n%s", buf.String())
	}

	// The process environment wins over SSM, as at start-up.
	ssm.set(map[string]string{"FEATURE_CRYPTO_TRADING": "false"}, nil)
	procEnv.set("FEATURE_CRYPTO_TRADING", "true")
	w.tick(t)
	if !s.Enabled(features.CryptoTrading) {
		t.Fatal("SSM overrode the task's own environment")
	}
	ssm.mu.Lock()
	defer ssm.mu.Unlock()
	if ssm.calls != 4 {
		t.Errorf("%d SSM reads, want one per re-read (4)", ssm.calls)
	}
}

func TestConcurrentReadsDuringUpdates(t *testing.T) {
	e := newEnv()
	s := features.New(e.get, nil)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				on := s.Enabled(features.CryptoTrading)
				if snap := s.Snapshot(); len(snap) != len(features.Flags()) {
					t.Errorf("snapshot %v (read %v)", snap, on)
					return
				}
			}
		}()
	}
	for i := range 200 {
		e.set("FEATURE_CRYPTO_TRADING", []string{"on", "off"}[i%2])
		s.Update(e.get)
	}
	close(stop)
	wg.Wait()
}
