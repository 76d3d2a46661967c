// Command bankload is BankApp's closed-loop load generator: it creates many
// funded customers, then runs a mix of requests at each concurrency for a
// fixed time through the load balancer, reports throughput, error rate and
// latency percentiles (text, JSON, SVG), optionally runs pgbench's TPC-B on
// the same PostgreSQL for comparison, and finally checks the ledger: every
// transfer answered 201 is there exactly once, no key was applied twice, no
// balance is negative, money is conserved and `bankapp ledger verify` passes.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bankload:", err)
		os.Exit(1)
	}
}

type options struct {
	url, mix, label, clients, svg, jsonOut, dbURL, pgbenchURL, bankapp, pids, marks, run, deposit string
	plan, md                                                                                      string
	duration                                                                                      time.Duration
	users, setupPar, reps                                                                         int
	verifyEach                                                                                    bool
	targets, procs                                                                                multi
}

// multi is a flag that may be given more than once.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, "; ") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("bankload", flag.ContinueOnError)
	fs.StringVar(&o.url, "url", "http://127.0.0.1:18080", "base URL (the load balancer)")
	fs.StringVar(&o.mix, "mix", "full", "transfers | hot (every customer pays one merchant) | read | full | chaos (transfers with reads)")
	fs.StringVar(&o.clients, "c", "8,32,64,128", "concurrency steps, comma-separated")
	fs.StringVar(&o.plan, "plan", "", "steps of several mixes, e.g. \"transfers:8,32,64,128 hot:64\" (default: -mix at each -c)")
	fs.IntVar(&o.reps, "reps", 1, "repetitions of each step; with several -target they alternate, the order reversed every other round (A B, B A, …)")
	fs.DurationVar(&o.duration, "d", 20*time.Second, "duration of each step")
	fs.IntVar(&o.users, "users", 200, "customers to create")
	fs.IntVar(&o.setupPar, "setup-c", 8, "concurrency while creating customers")
	fs.StringVar(&o.deposit, "deposit", "10000.00", "initial deposit per customer")
	fs.StringVar(&o.svg, "svg", "", "write an SVG plot of throughput and p99 against concurrency here")
	fs.StringVar(&o.jsonOut, "json", "", "write the results as JSON here")
	fs.StringVar(&o.md, "md", "", "write the summary tables (Markdown) here")
	fs.StringVar(&o.dbURL, "db-url", "", "database of -url (postgres://… or sqlite:/path/bankapp.db): check the ledger at the end")
	fs.StringVar(&o.bankapp, "bankapp", "", "bankapp binary: run `ledger verify` on -db-url at the end")
	fs.BoolVar(&o.verifyEach, "verify-each", false, "run the ledger checks after every step, not only at the end; stop at the first failed check or failed request")
	fs.StringVar(&o.pgbenchURL, "pgbench-url", "", "run pgbench TPC-B on this database after each step (same clients and duration)")
	fs.StringVar(&o.pids, "pids", "", "server pids (of -url) whose CPU and peak RSS to report, comma-separated")
	fs.Var(&o.targets, "target", "a server to load instead of -url, repeatable: \"LABEL url=http://… [pids=1,2] [db=…] [bankapp=…]\"")
	fs.Var(&o.procs, "proc", "a process group whose CPU to report, repeatable: \"name=pid,pid\" (each pid with all its descendants, e.g. the postmaster)")
	fs.StringVar(&o.marks, "marks", "", "file of fault injections (\"name unix_ms\" lines): report recovery time after each")
	fs.StringVar(&o.label, "label", "", "added to the plot's title (e.g. the commit measured)")
	fs.StringVar(&o.run, "run", "", "run id in emails and descriptions (default: random)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if _, ok := mixes[o.mix]; !ok {
		return o, fmt.Errorf("-mix %q: want transfers, hot, read, full or chaos", o.mix)
	}
	if o.reps < 1 {
		return o, fmt.Errorf("-reps %d: want at least 1", o.reps)
	}
	if o.run == "" {
		o.run = randHex(4)
	}
	return o, nil
}

func ints(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive number", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// planStep is one mix at one concurrency.
type planStep struct {
	mix     string
	clients int
}

// parsePlan reads "mix:c,c mix:c" into steps, in order.
func parsePlan(s string) ([]planStep, error) {
	var out []planStep
	for _, part := range strings.Fields(s) {
		mix, cs, ok := strings.Cut(part, ":")
		if !ok {
			return nil, fmt.Errorf("-plan %q: want mix:clients,clients", part)
		}
		if _, known := mixes[mix]; !known {
			return nil, fmt.Errorf("-plan: unknown mix %q", mix)
		}
		n, err := ints(cs)
		if err != nil || len(n) == 0 {
			return nil, fmt.Errorf("-plan %q: clients: want positive numbers", part)
		}
		for _, c := range n {
			out = append(out, planStep{mix, c})
		}
	}
	if len(out) == 0 {
		return nil, errors.New("-plan: no steps")
	}
	return out, nil
}

// target is one server under load: its own customers, book and checks.
type target struct {
	Label   string `json:"label"`
	URL     string `json:"url"`
	DBURL   string `json:"-"`
	Bankapp string `json:"bankapp,omitempty"`
	Pids    []int  `json:"pids,omitempty"`
	env     *env
}

// parseTarget reads "LABEL url=http://… [pids=1,2] [db=…] [bankapp=…]".
func parseTarget(spec string) (target, error) {
	f := strings.Fields(spec)
	if len(f) == 0 || strings.Contains(f[0], "=") {
		return target{}, fmt.Errorf("-target %q: want a label first, then url=…", spec)
	}
	t := target{Label: f[0]}
	for _, kv := range f[1:] {
		k, v, _ := strings.Cut(kv, "=")
		var err error
		switch k {
		case "url":
			t.URL = v
		case "db":
			t.DBURL = v
		case "bankapp":
			t.Bankapp = v
		case "pids":
			t.Pids, err = ints(v)
		default:
			err = fmt.Errorf("unknown key %q (url, pids, db, bankapp)", k)
		}
		if err != nil {
			return target{}, fmt.Errorf("-target %s: %w", t.Label, err)
		}
	}
	if err := checkURL(t.URL); err != nil {
		return target{}, fmt.Errorf("-target %s: %w", t.Label, err)
	}
	return t, nil
}

func checkURL(s string) error {
	if u, err := url.Parse(s); err != nil || u.Scheme != "http" || u.Host == "" || strings.Trim(u.Path, "/") != "" {
		return fmt.Errorf("url %q: want http://host:port", s)
	}
	return nil
}

// parseProc reads "name=pid,pid".
func parseProc(spec string) (group, error) {
	name, list, ok := strings.Cut(spec, "=")
	pids, err := ints(list)
	if !ok || name == "" || err != nil || len(pids) == 0 {
		return group{}, fmt.Errorf("-proc %q: want name=pid[,pid]", spec)
	}
	return group{name: name, pids: pids}, nil
}

// report is the JSON output.
type report struct {
	Run      string           `json:"run"`
	Mix      string           `json:"mix"`
	URL      string           `json:"url"`
	Targets  []target         `json:"targets"`
	Steps    []stepResult     `json:"steps"`
	Pgbench  []pgbenchResult  `json:"pgbench,omitempty"`
	Verdict  *verdict         `json:"verdict,omitempty"`
	Recovery map[string]int64 `json:"recovery_ms,omitempty"`
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
	}
	plan, err := o.steps()
	if err != nil {
		return err
	}
	targets, err := o.targetList()
	if err != nil {
		return err
	}
	var groups []group
	for _, p := range o.procs {
		g, err := parseProc(p)
		if err != nil {
			return err
		}
		groups = append(groups, g)
	}
	maxC := 0
	for _, st := range plan {
		maxC = max(maxC, st.clients)
	}
	mixesUsed := map[string]bool{}
	for _, st := range plan {
		mixesUsed[st.mix] = true
	}
	multi := len(targets) > 1 || len(mixesUsed) > 1
	for i := range targets {
		t := &targets[i]
		c := newClient(strings.TrimRight(t.URL, "/"), maxC)
		t0 := time.Now()
		runID := o.run
		if len(targets) > 1 {
			runID = fmt.Sprintf("%s%c", o.run, 'a'+i)
		}
		users, err := setupCustomers(ctx, c, runID, o.users+1, o.setupPar, o.deposit, mixesUsed["full"])
		if err != nil {
			return fmt.Errorf("%s: %w", t.Label, err)
		}
		fmt.Fprintf(stdout, "bankload run %s: %s: %d customers + 1 merchant ready in %.1f s; %s per step\n",
			runID, t.Label, o.users, time.Since(t0).Seconds(), o.duration)
		t.env = &env{c: c, users: users[1:], merchant: users[0], run: runID, book: newBook(),
			symbols: []string{"AAPL", "MSFT", "GOOGL", "AMZN", "NVDA", "BTC-USD", "ETH-USD"}}
	}
	rep := report{Run: o.run, Mix: o.mix, URL: targets[0].URL, Targets: targets}
	pgb := o.pgbenchURL != ""
	printHeader(stdout, multi, pgb, len(targets[0].Pids) > 0)
	verdicts := make([]*verdict, len(targets))
	var failed error
	for _, st := range plan {
		for r := 0; r < o.reps && failed == nil && ctx.Err() == nil; r++ {
			first := len(rep.Steps)
			checked := map[int]verdict{}
			for _, i := range roundOrder(len(targets), r) {
				t := &targets[i]
				s := runStep(ctx, t.env, mixes[st.mix], st.clients, o.duration, t.Pids, groups)
				s.Target, s.Mix, s.Rep = t.Label, st.mix, r+1
				if o.verifyEach && t.DBURL != "" {
					v, err := verify(context.WithoutCancel(ctx), t.DBURL, t.Bankapp, t.env.run, t.env.book)
					if err != nil {
						return fmt.Errorf("%s: %w", t.Label, err)
					}
					verdicts[i] = &v
					checked[len(rep.Steps)] = v
					s.Checks = "OK"
					if !v.ok() {
						s.Checks = "FAILED"
						failed = fmt.Errorf("%s: ledger checks failed after %s at %d clients", t.Label, st.mix, st.clients)
					}
				}
				if o.verifyEach && s.Failed > 0 && failed == nil {
					failed = fmt.Errorf("%s: %d requests failed after the client's retries (%s at %d clients)", t.Label, s.Failed, st.mix, st.clients)
				}
				rep.Steps = append(rep.Steps, s)
			}
			if pgb {
				p, err := pgbench(ctx, o.pgbenchURL, st.clients, o.duration, groups)
				if err != nil {
					return err
				}
				p.Mix, p.Rep = st.mix, r+1
				rep.Pgbench = append(rep.Pgbench, p)
				for j := first; j < len(rep.Steps); j++ {
					rep.Steps[j].PgbenchTPS = p.TPS
				}
			}
			for j := first; j < len(rep.Steps); j++ {
				printStep(stdout, rep.Steps[j], multi, pgb, len(targets[0].Pids) > 0)
				if v, ok := checked[j]; ok {
					printVerdict(stdout, v)
				}
			}
		}
	}
	printErrors(stdout, rep.Steps)
	printCPU(stdout, rep.Steps, groups, len(groups) > 0 || len(o.targets) > 0)
	if o.marks != "" {
		if rep.Recovery, err = recovery(o.marks, targets[0].env.book); err != nil {
			return err
		}
	}
	if o.svg != "" && len(rep.Steps) > 0 {
		unit := "requests"
		if o.mix == "transfers" || o.mix == "hot" {
			unit = "transfers"
		}
		if err := writeFile(o.svg, func(w io.Writer) error {
			return writeSVG(w, strings.TrimSpace(fmt.Sprintf("BankApp via HAProxy, %s mix %s", o.mix, o.label)), unit, rep.Steps)
		}); err != nil {
			return err
		}
	}
	for i := range targets {
		t := &targets[i]
		if t.DBURL == "" || (o.verifyEach && verdicts[i] != nil) {
			continue
		}
		v, err := verify(context.WithoutCancel(ctx), t.DBURL, t.Bankapp, t.env.run, t.env.book)
		if err != nil {
			return err
		}
		verdicts[i] = &v
		printVerdict(stdout, v)
	}
	rep.Verdict = combine(verdicts)
	if rep.Verdict != nil && !rep.Verdict.ok() && failed == nil {
		failed = errors.New("ledger checks failed")
	}
	if len(groups) > 0 || len(targets) > 1 || o.md != "" {
		md := summary(rep, groups, o)
		fmt.Fprint(stdout, "\n"+md)
		if o.md != "" {
			if err := os.WriteFile(o.md, []byte(md), 0o600); err != nil {
				return fmt.Errorf("write %s: %w", o.md, err)
			}
		}
	}
	printResult(stdout, rep)
	if o.jsonOut != "" {
		if err := writeFile(o.jsonOut, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(rep)
		}); err != nil {
			return err
		}
	}
	if failed == nil && ctx.Err() != nil {
		failed = ctx.Err()
	}
	return failed
}

// roundOrder is the order in which n targets run in round r (from 0): the
// first target first in even rounds, last in odd ones (A B, B A, A B, …),
// so that with an even number of rounds every target runs as often in each
// position and a steady drift of the machine's load (or whatever the run
// before leaves behind, such as pgbench's dirty pages) favours none.
func roundOrder(n, r int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
		if r%2 == 1 {
			out[i] = n - 1 - i
		}
	}
	return out
}

// steps is the plan: -plan, or -mix at each of -c.
func (o options) steps() ([]planStep, error) {
	if o.plan != "" {
		return parsePlan(o.plan)
	}
	cs, err := ints(o.clients)
	if err != nil {
		return nil, fmt.Errorf("-c: %w", err)
	}
	if len(cs) == 0 {
		return nil, errors.New("-c: no steps")
	}
	out := make([]planStep, len(cs))
	for i, c := range cs {
		out[i] = planStep{o.mix, c}
	}
	return out, nil
}

// targetList is the -target flags, or one target from -url, -pids, -db-url
// and -bankapp.
func (o options) targetList() ([]target, error) {
	if len(o.targets) == 0 {
		if err := checkURL(o.url); err != nil {
			return nil, fmt.Errorf("-url: %w (the load balancer)", err)
		}
		pids, err := ints(o.pids)
		if err != nil {
			return nil, fmt.Errorf("-pids: %w", err)
		}
		return []target{{Label: "bankapp", URL: o.url, DBURL: o.dbURL, Bankapp: o.bankapp, Pids: pids}}, nil
	}
	if o.url != "http://127.0.0.1:18080" || o.pids != "" || o.dbURL != "" || o.bankapp != "" {
		return nil, errors.New("-target replaces -url, -pids, -db-url and -bankapp: give url=, pids=, db=, bankapp= in each -target")
	}
	var out []target
	seen := map[string]bool{}
	for _, spec := range o.targets {
		t, err := parseTarget(spec)
		if err != nil {
			return nil, err
		}
		if seen[t.Label] {
			return nil, fmt.Errorf("-target %s given twice", t.Label)
		}
		seen[t.Label] = true
		out = append(out, t)
	}
	return out, nil
}

// combine is the verdicts of all targets as one (counts added, every check
// must pass), or nil when no target was checked.
func combine(vs []*verdict) *verdict {
	var out *verdict
	for _, v := range vs {
		if v == nil {
			continue
		}
		if out == nil {
			c := *v
			out = &c
			continue
		}
		out.Acknowledged += v.Acknowledged
		out.Lost += v.Lost
		out.Duplicated += v.Duplicated
		out.ReplayMismatch += v.ReplayMismatch
		out.Negative += v.Negative
		out.MoneyOK = out.MoneyOK && v.MoneyOK
		out.MoneyDetail += "; " + v.MoneyDetail
		if out.LedgerVerify == "OK" || out.LedgerVerify == "skipped" {
			out.LedgerVerify = v.LedgerVerify
		}
	}
	return out
}

func writeFile(path string, fn func(io.Writer) error) error {
	f, err := os.Create(path) // #nosec G304 -- an output file named on the command line
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := fn(f); err != nil {
		_ = f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}
