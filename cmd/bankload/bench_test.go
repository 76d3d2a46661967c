package main

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseStat(t *testing.T) {
	// A command name with a space and a ')' must not shift the fields.
	line := "4242 (post gres) x) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 1 0 123 456 789"
	p, ok := parseStat(line)
	if !ok {
		t.Fatal("parseStat refused a valid line")
	}
	if p.ppid != 17 || p.ticks != 300 || p.cticks != 10 {
		t.Errorf("parseStat = %+v, want ppid 17, ticks 300, cticks 10", p)
	}
	if _, ok := parseStat("4242 (short) S 1 2"); ok {
		t.Error("parseStat accepted a truncated line")
	}
}

func TestTreeTicksCountsDescendantsAndReapedChildren(t *testing.T) {
	// 10 is the postmaster, 11 and 12 its backends, 13 a child of 12;
	// 20 is another cluster's postmaster.
	before := map[int]procInfo{
		10: {ppid: 1, ticks: 100, cticks: 0},
		11: {ppid: 10, ticks: 50},
		12: {ppid: 10, ticks: 30},
		13: {ppid: 12, ticks: 5},
		20: {ppid: 1, ticks: 999},
		21: {ppid: 20, ticks: 999},
	}
	if got := treeTicks(before, []int{10}); got != 185 {
		t.Fatalf("treeTicks before = %d, want 185 (10, 11, 12, 13; not the other cluster)", got)
	}
	// Backend 11 used 20 more ticks and exited; the postmaster reaped it
	// (its 70 ticks moved into the postmaster's cticks). Backend 14 started
	// and used 40. The postmaster itself used 1.
	after := map[int]procInfo{
		10: {ppid: 1, ticks: 101, cticks: 70},
		12: {ppid: 10, ticks: 30},
		13: {ppid: 12, ticks: 5},
		14: {ppid: 10, ticks: 40},
		20: {ppid: 1, ticks: 5000},
	}
	if d := treeTicks(after, []int{10}) - treeTicks(before, []int{10}); d != 61 {
		t.Errorf("ticks between the snapshots = %d, want 61 (20 by the exited backend, 40 by the new one, 1 by the postmaster)", d)
	}
	if got := treeTicks(after, []int{99}); got != 0 {
		t.Errorf("treeTicks of a missing root = %d, want 0", got)
	}
}

func TestUseAndPerOp(t *testing.T) {
	gs := []group{{"postgres", []int{1}}, {"bankapp", []int{2}}}
	t0 := time.Unix(0, 0)
	a := groupSnapshot{at: t0, groups: []int64{0, 0}, busy: 0}
	// 10 s: postgres 500 ticks (0.5 cores), bankapp 300 (0.3), machine 1,500 (1.5).
	b := groupSnapshot{at: t0.Add(10 * time.Second), groups: []int64{500, 300}, busy: 1500}
	u := use(gs, a, b, map[string]float64{"pgbench": 2}) // 2 CPU seconds: 0.2 cores
	for name, want := range map[string]float64{"postgres": 0.5, "bankapp": 0.3, "pgbench": 0.2} {
		if math.Abs(u.Cores[name]-want) > 1e-9 {
			t.Errorf("cores[%s] = %v, want %v", name, u.Cores[name], want)
		}
	}
	if math.Abs(u.Machine-1.5) > 1e-9 || math.Abs(u.Other-0.5) > 1e-9 {
		t.Errorf("machine %v other %v, want 1.5 and 0.5", u.Machine, u.Other)
	}
	// 1,000 operations in 10 s: postgres 5 CPU s → 5,000 µs each.
	if got := u.perOp(1000, "postgres"); math.Abs(got-5000) > 1e-6 {
		t.Errorf("perOp(postgres) = %v, want 5000", got)
	}
	if got := u.perOp(1000); math.Abs(got-10000) > 1e-6 {
		t.Errorf("perOp(all) = %v, want 10000", got)
	}
	if got := u.perOp(0); got != 0 {
		t.Errorf("perOp(0 ops) = %v, want 0", got)
	}
}

// TestGroupsMeasureThisProcess checks the /proc reading end to end: a busy
// loop in this process shows in its own group and in the machine's total.
func TestGroupsMeasureThisProcess(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	gs := []group{{"self", []int{os.Getpid()}}}
	a := takeGroups(gs)
	var cpuA, cpuB int64
	cpuA = cpuTicks(os.Getpid())
	for cpuB = cpuA; cpuB-cpuA < 20; cpuB = cpuTicks(os.Getpid()) { // spin until 200 ms of CPU
		for i := 0; i < 1_000_000; i++ {
			_ = i * i
		}
	}
	b := takeGroups(gs)
	u := use(gs, a, b, nil)
	if got := u.Cores["self"] * u.Seconds; got < 0.2 {
		t.Errorf("this process used %.2f CPU seconds by its group, want at least 0.2", got)
	}
	if u.Machine*u.Seconds < u.Cores["self"]*u.Seconds-0.02 {
		t.Errorf("machine busy %.2f s is below this process's %.2f s", u.Machine*u.Seconds, u.Cores["self"]*u.Seconds)
	}
}

func TestParsePlan(t *testing.T) {
	got, err := parsePlan("transfers:8,32 hot:64")
	if err != nil {
		t.Fatal(err)
	}
	want := []planStep{{"transfers", 8}, {"transfers", 32}, {"hot", 64}}
	if len(got) != len(want) {
		t.Fatalf("parsePlan = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("step %d = %v, want %v", i, got[i], want[i])
		}
	}
	for _, bad := range []string{"", "transfers", "nosuch:8", "hot:0", "hot:x", "hot:"} {
		if _, err := parsePlan(bad); err == nil {
			t.Errorf("parsePlan(%q) accepted", bad)
		}
	}
}

func TestParseTarget(t *testing.T) {
	tg, err := parseTarget("new url=http://127.0.0.1:20001 pids=12,13 db=postgres://u@h:5/bankapp_new?sslmode=disable bankapp=/tmp/b")
	if err != nil {
		t.Fatal(err)
	}
	if tg.Label != "new" || tg.URL != "http://127.0.0.1:20001" || tg.DBURL != "postgres://u@h:5/bankapp_new?sslmode=disable" ||
		tg.Bankapp != "/tmp/b" || len(tg.Pids) != 2 || tg.Pids[1] != 13 {
		t.Errorf("parseTarget = %+v", tg)
	}
	for _, bad := range []string{"", "url=http://127.0.0.1:1", "a", "a url=https://x:1", "a url=http://x:1 pids=0", "a url=http://x:1 color=red"} {
		if _, err := parseTarget(bad); err == nil {
			t.Errorf("parseTarget(%q) accepted", bad)
		}
	}
	o, err := parseFlags([]string{"-target", "a url=http://127.0.0.1:1", "-url", "http://127.0.0.1:2"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.targetList(); err == nil {
		t.Error("-target with -url accepted")
	}
	o, _ = parseFlags([]string{"-target", "a url=http://127.0.0.1:1", "-target", "a url=http://127.0.0.1:2"})
	if _, err := o.targetList(); err == nil {
		t.Error("two targets with one label accepted")
	}
	o, _ = parseFlags([]string{"-url", "http://127.0.0.1:3", "-pids", "7", "-db-url", "postgres://x"})
	ts, err := o.targetList()
	if err != nil || len(ts) != 1 || ts[0].URL != "http://127.0.0.1:3" || ts[0].Pids[0] != 7 || ts[0].DBURL != "postgres://x" {
		t.Errorf("the default target = %+v, %v", ts, err)
	}
}

func TestParseProc(t *testing.T) {
	g, err := parseProc("postgres=10,20")
	if err != nil || g.name != "postgres" || len(g.pids) != 2 {
		t.Errorf("parseProc = %+v, %v", g, err)
	}
	for _, bad := range []string{"postgres", "=1", "postgres=", "postgres=x"} {
		if _, err := parseProc(bad); err == nil {
			t.Errorf("parseProc(%q) accepted", bad)
		}
	}
}

func TestParsePgbench(t *testing.T) {
	out := `pgbench (15.18 (Debian 15.18-0+deb12u1))
transaction type: <builtin: TPC-B (sort of)>
scaling factor: 128
number of clients: 64
duration: 15 s
number of transactions actually processed: 48123
number of failed transactions: 0 (0.000%)
latency average = 19.9 ms
initial connection time = 95.1 ms
tps = 3208.196 (without initial connection time)
`
	tps, n, err := parsePgbench(out)
	if err != nil || tps != 3208.196 || n != 48123 {
		t.Errorf("parsePgbench = %v, %v, %v; want 3208.196, 48123", tps, n, err)
	}
	if _, _, err := parsePgbench("number of transactions actually processed: 0\n"); err == nil {
		t.Error("no tps line: want an error")
	}
}

func TestMedianAndThousands(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	for in, want := range map[float64]string{0: "0", 999.4: "999", 1000: "1,000", 3138.6: "3,139", 1234567: "1,234,567", -1500: "-1,500"} {
		if got := thousands(in); got != want {
			t.Errorf("thousands(%v) = %q, want %q", in, got, want)
		}
	}
	if got := rateCell([]float64{2000, 3000, 2500}); got != "2,500 (2,000)" {
		t.Errorf("rateCell = %q", got)
	}
}

// benchReport is two targets, two runs each at one step, with pgbench.
func benchReport() report {
	cpu := func(pg, app float64) cpuUse {
		return cpuUse{Cores: map[string]float64{"postgres": pg, "bankapp": app, "bankload": 0.1}, Machine: 2, Other: 2 - pg - app - 0.1, Seconds: 10}
	}
	step := func(target string, rep int, tps float64) stepResult {
		return stepResult{Target: target, Mix: "transfers", Rep: rep, Clients: 64, TransfersPerS: tps,
			Transfers: int(tps * 10), TP99: 30, CPU: cpu(0.6, 0.5), Checks: "OK"}
	}
	pg := func(rep int, tps float64) pgbenchResult {
		return pgbenchResult{Mix: "transfers", Rep: rep, Clients: 64, TPS: tps, Txns: int(tps * 10),
			CPU: cpuUse{Cores: map[string]float64{"postgres": 1.5, "pgbench": 0.3}, Machine: 1.9, Other: 0.1, Seconds: 10}}
	}
	return report{
		Targets: []target{{Label: "base", URL: "http://127.0.0.1:1"}, {Label: "new", URL: "http://127.0.0.1:2"}},
		Steps:   []stepResult{step("base", 1, 3000), step("new", 1, 3300), step("base", 2, 2000), step("new", 2, 2600)},
		Pgbench: []pgbenchResult{pg(1, 3000), pg(2, 2000)},
	}
}

func TestSummaryComparison(t *testing.T) {
	md := summary(benchReport(), []group{{"postgres", []int{1}}}, options{reps: 2})
	// base: median 2,500 (lowest 2,000); new: median 2,950 (2,600);
	// new/base 1.18×, pairs 1.10 and 1.30; pgbench median 2,500.
	for _, want := range []string{
		"| step | base transfers/s | new transfers/s | new / base (pairs) | base p99 ms | new p99 ms | pgbench TPC-B tps | base ratio | new ratio |",
		"| 64 | 2,500 (2,000) | 2,950 (2,600) | 1.18× (1.10–1.30) | 30.0 | 30.0 | 2,500 (2,000) | 1.00× | 1.18× |",
		"base, CPU by process:",
		"new, CPU by process:",
		"median of 2 runs",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
	// The per-target table: 0.6 + 0.5 + 0.1 cores for 10 s over 30,000
	// transfers (base, rep 1) = 400 µs, over 20,000 (rep 2) = 600 µs →
	// median 500 µs; pgbench: 1.8 cores × 10 s over 30,000 and 20,000
	// transactions → 600 and 900 µs, median 750.
	for _, want := range []string{
		"| 64 | 2,500 (2,000) | 30.0 | 2,500 (2,000) | 1.00× | 0.60 / 0.50 / 0.10 / 0.80 | 500 (250 + 208 + 42) | 1.50 / 0.30 / 0.10 | 750 (625 + 125) | OK |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
}

func TestChecksCell(t *testing.T) {
	ok := stepResult{Checks: "OK"}
	if got := checksCell([]stepResult{ok, ok}); got != "OK" {
		t.Errorf("all OK: %q", got)
	}
	if got := checksCell([]stepResult{ok, {Checks: "FAILED"}}); got != "FAILED" {
		t.Errorf("one failed: %q", got)
	}
	if got := checksCell([]stepResult{ok, {}}); got != "at the end" {
		t.Errorf("one not checked: %q", got)
	}
	if got := checksCell([]stepResult{{Checks: "OK", Failed: 3}}); got != "3 requests failed; OK" {
		t.Errorf("failed requests: %q", got)
	}
}

func TestCombineVerdicts(t *testing.T) {
	a := &verdict{Acknowledged: 10, MoneyOK: true, LedgerVerify: "OK"}
	b := &verdict{Acknowledged: 5, Lost: 1, MoneyOK: true, LedgerVerify: "FAILED: x"}
	c := combine([]*verdict{a, nil, b})
	if c.Acknowledged != 15 || c.Lost != 1 || c.ok() || c.LedgerVerify != "FAILED: x" {
		t.Errorf("combine = %+v", c)
	}
	if combine([]*verdict{nil}) != nil {
		t.Error("combine of nothing checked is not nil")
	}
	if !combine([]*verdict{a, a}).ok() {
		t.Error("two good verdicts combine to a bad one")
	}
}

func TestOpenArgs(t *testing.T) {
	if d, dsn, lite := openArgs("sqlite:/tmp/x/bankapp.db"); d != "sqlite" || !strings.HasPrefix(dsn, "file:/tmp/x/bankapp.db?") || !strings.Contains(dsn, "query_only") || !lite {
		t.Errorf("sqlite: %s %s %v", d, dsn, lite)
	}
	if d, dsn, lite := openArgs("postgres://u@h/db"); d != "pgx" || dsn != "postgres://u@h/db" || lite {
		t.Errorf("postgres: %s %s %v", d, dsn, lite)
	}
}

func TestRoundOrder(t *testing.T) {
	for _, c := range []struct {
		n, r int
		want string
	}{{1, 0, "[0]"}, {1, 1, "[0]"}, {2, 0, "[0 1]"}, {2, 1, "[1 0]"}, {2, 2, "[0 1]"}, {3, 1, "[2 1 0]"}} {
		if got := fmt.Sprint(roundOrder(c.n, c.r)); got != c.want {
			t.Errorf("roundOrder(%d, %d) = %s, want %s", c.n, c.r, got, c.want)
		}
	}
}
