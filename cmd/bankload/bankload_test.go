package main

import (
	"encoding/xml"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestPct(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[int]float64{50: 50, 95: 95, 99: 99, 100: 100} {
		if got := pct(ds, p); got != want {
			t.Errorf("pct(1..100 ms, %d) = %v, want %v", p, got, want)
		}
	}
	if got := pct(nil, 99); got != 0 {
		t.Errorf("pct(nil) = %v, want 0", got)
	}
	if got := pct([]time.Duration{7 * time.Millisecond}, 99); got != 7 {
		t.Errorf("pct(one) = %v, want 7", got)
	}
}

func TestRecoveryAfter(t *testing.T) {
	mark := time.Unix(1000, 0)
	at := func(ms int, ok bool) attempt { return attempt{mark.Add(time.Duration(ms) * time.Millisecond), ok} }
	cases := []struct {
		name     string
		attempts []attempt
		want     int64
	}{
		{"no failure after the mark", []attempt{at(-500, false), at(100, true), at(200, true)}, 0},
		{"first success after the last failure", []attempt{at(100, true), at(300, false), at(900, false), at(800, true), at(1500, true)}, 1500},
		{"never recovered", []attempt{at(100, false)}, -1},
		{"failure after the window ignored", []attempt{at(200, false), at(400, true), at(61_000, false)}, 400},
	}
	for _, c := range cases {
		if got := recoveryAfter(mark, c.attempts); got != c.want {
			t.Errorf("%s: recoveryAfter = %d, want %d", c.name, got, c.want)
		}
	}
}

func TestRetryable(t *testing.T) {
	cases := []struct {
		r    reply
		err  error
		want bool
	}{
		{reply{}, http.ErrHandlerTimeout, true},
		{reply{status: 502}, nil, true},
		{reply{status: 429}, nil, true},
		{reply{status: 409, body: []byte(`{"code":"idempotency_key_in_progress"}`)}, nil, true},
		{reply{status: 409, body: []byte(`{"code":"email_taken"}`)}, nil, false},
		{reply{status: 422, body: []byte(`{"code":"insufficient_funds"}`)}, nil, false},
		{reply{status: 201}, nil, false},
	}
	for _, c := range cases {
		if got := retryable(c.r, c.err); got != c.want {
			t.Errorf("retryable(%d %s, %v) = %v, want %v", c.r.status, c.r.body, c.err, got, c.want)
		}
	}
}

func TestBookCommitDetectsReplayMismatch(t *testing.T) {
	b := newBook()
	b.commit("k1", "t1")
	b.commit("k1", "t1") // a replay of the same transfer
	b.commit("k2", "t2")
	if len(b.committed) != 2 || b.mismatch != 0 {
		t.Fatalf("committed %d, mismatch %d; want 2, 0", len(b.committed), b.mismatch)
	}
	b.commit("k1", "t9")
	if b.mismatch != 1 {
		t.Fatalf("a replay with another id: mismatch %d, want 1", b.mismatch)
	}
}

func TestMixPick(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[string]int{}
	for range 10_000 {
		seen[mixes["chaos"].pick(r)]++
	}
	if seen["transfer"] < 5500 || seen["transfer"] > 6500 {
		t.Errorf("chaos mix: %d transfers of 10,000 picks, want about 6,000", seen["transfer"])
	}
	for _, op := range []string{"accounts", "history", "transfers_list"} {
		if seen[op] == 0 {
			t.Errorf("chaos mix never picked %s", op)
		}
	}
}

func TestWriteSVG(t *testing.T) {
	steps := []stepResult{{Clients: 8, TransfersPerS: 400, P99: 77, PgbenchTPS: 900}, {Clients: 64, TransfersPerS: 480, P99: 467, PgbenchTPS: 1400}}
	var b strings.Builder
	if err := writeSVG(&b, "transfers <&>", "transfers", steps); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal([]byte(b.String()), new(struct{})); err != nil {
		t.Fatalf("not well-formed XML: %v", err)
	}
	for _, want := range []string{"<svg", "transfers &lt;&amp;&gt;", "pgbench", ">64<", "polyline"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
}

func TestNice(t *testing.T) {
	for in, want := range map[float64]float64{0.5: 1, 1: 1, 3: 5, 480: 500, 1400: 2000, 2300: 5000, 7000: 10000} {
		if got := nice(in); got != want {
			t.Errorf("nice(%v) = %v, want %v", in, got, want)
		}
	}
}
