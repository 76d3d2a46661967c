package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/bankapp/bankapp/internal/awsconfig"
	"github.com/bankapp/bankapp/internal/features"
	"github.com/bankapp/bankapp/internal/telemetry/otlptest"
)

// serving is `bankapp serve` running in the test, its log lines collected.
type serving struct {
	url  string
	mu   sync.Mutex
	logs []string
	done chan error
	stop context.CancelFunc
	once sync.Once
}

func startServe(t *testing.T, env map[string]string) *serving {
	t.Helper()
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	s := &serving{done: make(chan error, 1), stop: cancel}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			s.mu.Lock()
			s.logs = append(s.logs, line)
			s.mu.Unlock()
			var m map[string]any
			if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == "bankapp listening" {
				listening <- m["addr"].(string)
			}
		}
	}()
	go func() {
		err := run(ctx, []string{"serve"}, func(k string) string { return env[k] }, pw, io.Discard)
		_ = pw.Close()
		s.done <- err
	}()
	select {
	case addr := <-listening:
		s.url = "http://" + addr
	case err := <-s.done:
		t.Fatalf("serve stopped: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start listening")
	}
	t.Cleanup(func() { s.shutdown(t) })
	return s
}

// shutdown stops serve as SIGTERM does and waits for it to return (once).
func (s *serving) shutdown(t *testing.T) {
	t.Helper()
	s.once.Do(func() {
		s.stop()
		select {
		case err := <-s.done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(60 * time.Second):
			t.Fatal("serve did not stop")
		}
	})
}

func (s *serving) lines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.logs...)
}

func post(t *testing.T, url, body string, header map[string]string) *http.Response {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		r.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// TestServeTraces: `bankapp serve` configured only by the standard OTEL
// variables continues a caller's trace, logs its ids in the access log and
// flushes the spans still queued when it shuts down.
func TestServeTraces(t *testing.T) {
	rcv := otlptest.NewHTTP(t)
	env := map[string]string{
		"BANKAPP_DATA_DIR": t.TempDir(), "BANKAPP_ADDR": "127.0.0.1:0", "METRICS_ADDR": "off",
		"BANKAPP_DRAIN_DELAY": "0", "BANKAPP_JOBS_ENABLED": "false", "LOG_FORMAT": "json",
		"OTEL_EXPORTER_OTLP_ENDPOINT": rcv.Endpoint(), "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
		"OTEL_SERVICE_NAME": "bankapp-test",
	}
	s := startServe(t, env)
	traceID := "4bf92f3577b34da6a3ce929d0e0e4736"
	resp := post(t, s.url+"/api/v1/auth/register", `{"email":"trace@example.com","password":"a-long-enough-Passw0rd!","full_name":"T"}`,
		map[string]string{"traceparent": "00-" + traceID + "-00f067aa0ba902b7-01"})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d", resp.StatusCode)
	}
	s.shutdown(t) // the spans go out with the flush at shutdown, if not before
	span := rcv.WaitSpan(t, traceID, "POST /api/v1/auth/register", 30*time.Second)
	if span.ParentSpanID != "00f067aa0ba902b7" || span.Resource["service.name"] != "bankapp-test" || span.Resource["service.version"] != version {
		t.Errorf("span %+v", span)
	}
	var logged bool
	for _, l := range s.lines() {
		if strings.Contains(l, `"route":"POST /api/v1/auth/register"`) {
			logged = strings.Contains(l, `"trace_id":"`+traceID+`"`) && strings.Contains(l, `"span_id":"`+span.SpanID+`"`)
		}
	}
	if !logged {
		t.Errorf("no access-log line with the trace and span ids:\n%s", strings.Join(s.lines(), "\n"))
	}
}

// TestServeRefusesBadTracingAndFlagSettings: a bad OTEL_* or FEATURE_*
// value stops serve before it listens, named in the error.
func TestServeRefusesBadTracingAndFlagSettings(t *testing.T) {
	for name, value := range map[string]string{"OTEL_TRACES_SAMPLER": "sometimes", "FEATURE_CRYPTO_TRADING": "perhaps"} {
		env := map[string]string{"BANKAPP_DATA_DIR": t.TempDir(), "BANKAPP_ADDR": "127.0.0.1:0", "METRICS_ADDR": "off", name: value}
		err := run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), name) || strings.Contains(err.Error(), value) {
			t.Errorf("%s=%s: %v", name, value, err)
		}
	}
}

// fakeSSM answers GetParametersByPath (awsJson1_1) from params, which the
// test changes; it records the paths asked for.
type fakeSSM struct {
	mu     sync.Mutex
	params map[string]string // full name → value
	paths  []string
}

func (f *fakeSSM) set(name, value string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.params[name] = value
}

func (f *fakeSSM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct{ Path string }
	if r.Header.Get("X-Amz-Target") != "AmazonSSM.GetParametersByPath" || json.NewDecoder(r.Body).Decode(&body) != nil {
		http.Error(w, "unexpected request", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.paths = append(f.paths, body.Path)
	var out []map[string]any
	for name, v := range f.params {
		if strings.HasPrefix(name, body.Path+"/") {
			out = append(out, map[string]any{"Name": name, "Value": v, "Type": "String", "Version": 1})
		}
	}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(map[string]any{"Parameters": out})
}

// TestWatchFlagsReadsSSM: with SSM_PARAMETER_PATH the server re-reads the
// flags under <path>/features (only there) on each tick, and a flag set in
// the process environment (the task definition) wins over SSM.
func TestWatchFlagsReadsSSM(t *testing.T) {
	ssm := &fakeSSM{params: map[string]string{"/bankapp/test/features/FEATURE_CRYPTO_TRADING": "true", "/bankapp/test/LOG_LEVEL": "info"}}
	srv := httptest.NewServer(ssm)
	t.Cleanup(srv.Close)
	aws := awsconfig.Options{ParameterPath: "/bankapp/test", SecretID: "ignored", Region: "us-east-1", EndpointURL: srv.URL,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""), MaxAttempts: 1}
	procEnv := map[string]string{}
	var envMu sync.Mutex
	getenv := func(k string) string { envMu.Lock(); defer envMu.Unlock(); return procEnv[k] }
	var logs bytes.Buffer
	var logMu sync.Mutex
	log := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) { logMu.Lock(); defer logMu.Unlock(); return logs.Write(p) }), nil))
	flags := features.New(getenv, log)
	ticks, reloaded := make(chan time.Time), make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := watchFlags(ctx, flags, aws, getenv, log, features.WatchOptions{Ticks: ticks, Signals: make(chan os.Signal),
		Reloaded: func() { reloaded <- struct{}{} }}); err != nil {
		t.Fatal(err)
	}
	tick := func() {
		t.Helper()
		ticks <- time.Now()
		select {
		case <-reloaded:
		case <-time.After(30 * time.Second):
			t.Fatal("no re-read")
		}
	}
	ssm.set("/bankapp/test/features/FEATURE_CRYPTO_TRADING", "false")
	tick()
	if flags.Enabled(features.CryptoTrading) {
		t.Fatalf("the SSM change did not reach the flag; log:\n%s", logs.String())
	}
	envMu.Lock()
	procEnv["FEATURE_CRYPTO_TRADING"] = "true" // pinned on the task definition
	envMu.Unlock()
	tick()
	if !flags.Enabled(features.CryptoTrading) {
		t.Fatal("SSM overrode the process environment")
	}
	ssm.mu.Lock()
	defer ssm.mu.Unlock()
	if fmt.Sprint(ssm.paths) != "[/bankapp/test/features /bankapp/test/features]" {
		t.Errorf("SSM paths read %v, want the features path once per tick", ssm.paths)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestServeGroupCommitLanes: GROUP_COMMIT_LANES reaches the committer
// (bankapp_group_commit_lanes on the metrics listener), and the default is
// one lane.
func TestServeGroupCommitLanes(t *testing.T) {
	for _, tc := range []struct{ set, want string }{{"", "1"}, {"3", "3"}} {
		env := map[string]string{
			"BANKAPP_DATA_DIR": t.TempDir(), "BANKAPP_ADDR": "127.0.0.1:0", "METRICS_ADDR": "localhost:0", // not the API listener
			"BANKAPP_DRAIN_DELAY": "0", "BANKAPP_JOBS_ENABLED": "false", "LOG_FORMAT": "json",
		}
		if tc.set != "" {
			env["GROUP_COMMIT_LANES"] = tc.set
		}
		s := startServe(t, env)
		// The metrics listener may log after the API's "listening" line.
		var metricsAddr string
		for deadline := time.Now().Add(10 * time.Second); metricsAddr == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			for _, l := range s.lines() {
				var m map[string]any
				if json.Unmarshal([]byte(l), &m) == nil && m["msg"] == "metrics and pprof listening" {
					metricsAddr, _ = m["addr"].(string)
				}
			}
		}
		if metricsAddr == "" {
			t.Fatalf("no metrics listener logged:\n%s", strings.Join(s.lines(), "\n"))
		}
		resp, err := http.Get("http://" + metricsAddr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if want := "\nbankapp_group_commit_lanes " + tc.want + "\n"; !strings.Contains(string(body), want) {
			t.Errorf("GROUP_COMMIT_LANES=%q: /metrics lacks %q", tc.set, strings.TrimSpace(want))
		}
		s.shutdown(t)
	}
}
