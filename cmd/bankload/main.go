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
	duration                                                                                      time.Duration
	users, setupPar                                                                               int
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("bankload", flag.ContinueOnError)
	fs.StringVar(&o.url, "url", "http://127.0.0.1:18080", "base URL (the load balancer)")
	fs.StringVar(&o.mix, "mix", "full", "transfers | hot (every customer pays one merchant) | read | full | chaos (transfers with reads)")
	fs.StringVar(&o.clients, "c", "8,32,64,128", "concurrency steps, comma-separated")
	fs.DurationVar(&o.duration, "d", 20*time.Second, "duration of each step")
	fs.IntVar(&o.users, "users", 200, "customers to create")
	fs.IntVar(&o.setupPar, "setup-c", 8, "concurrency while creating customers")
	fs.StringVar(&o.deposit, "deposit", "10000.00", "initial deposit per customer")
	fs.StringVar(&o.svg, "svg", "", "write an SVG plot of throughput and p99 against concurrency here")
	fs.StringVar(&o.jsonOut, "json", "", "write the results as JSON here")
	fs.StringVar(&o.dbURL, "db-url", "", "PostgreSQL URL of the primary: check the ledger at the end")
	fs.StringVar(&o.bankapp, "bankapp", "", "bankapp binary: run `ledger verify` on -db-url at the end")
	fs.StringVar(&o.pgbenchURL, "pgbench-url", "", "run pgbench TPC-B on this database after each step (same clients and duration)")
	fs.StringVar(&o.pids, "pids", "", "server pids whose peak RSS to report, comma-separated")
	fs.StringVar(&o.marks, "marks", "", "file of fault injections (\"name unix_ms\" lines): report recovery time after each")
	fs.StringVar(&o.label, "label", "", "added to the plot's title (e.g. the commit measured)")
	fs.StringVar(&o.run, "run", "", "run id in emails and descriptions (default: random)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if _, ok := mixes[o.mix]; !ok {
		return o, fmt.Errorf("-mix %q: want transfers, hot, read, full or chaos", o.mix)
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

// report is the JSON output.
type report struct {
	Run      string           `json:"run"`
	Mix      string           `json:"mix"`
	URL      string           `json:"url"`
	Steps    []stepResult     `json:"steps"`
	Verdict  *verdict         `json:"verdict,omitempty"`
	Recovery map[string]int64 `json:"recovery_ms,omitempty"`
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
	}
	steps, err := ints(o.clients)
	if err != nil {
		return fmt.Errorf("-c: %w", err)
	}
	pids, err := ints(o.pids)
	if err != nil {
		return fmt.Errorf("-pids: %w", err)
	}
	maxC := 0
	for _, c := range steps {
		maxC = max(maxC, c)
	}
	if u, err := url.Parse(o.url); err != nil || u.Scheme != "http" || u.Host == "" || strings.Trim(u.Path, "/") != "" {
		return fmt.Errorf("-url %q: want http://host:port (the load balancer)", o.url)
	}
	c := newClient(strings.TrimRight(o.url, "/"), maxC)
	t0 := time.Now()
	n := o.users + 1
	users, err := setupCustomers(ctx, c, o.run, n, o.setupPar, o.deposit, o.mix == "full")
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "bankload run %s: %d customers + 1 merchant ready in %.1f s; mix %s; %s per step\n",
		o.run, o.users, time.Since(t0).Seconds(), o.mix, o.duration)
	e := &env{c: c, users: users[1:], merchant: users[0], run: o.run, book: newBook(),
		symbols: []string{"AAPL", "MSFT", "GOOGL", "AMZN", "NVDA", "BTC-USD", "ETH-USD"}}
	rep := report{Run: o.run, Mix: o.mix, URL: o.url}
	printHeader(stdout, o.pgbenchURL != "", len(pids) > 0)
	for _, cl := range steps {
		if ctx.Err() != nil {
			break
		}
		s := runStep(ctx, e, mixes[o.mix], cl, o.duration, pids)
		if o.pgbenchURL != "" {
			if s.PgbenchTPS, err = pgbench(ctx, o.pgbenchURL, cl, o.duration); err != nil {
				return err
			}
		}
		rep.Steps = append(rep.Steps, s)
		printStep(stdout, s, o.pgbenchURL != "", len(pids) > 0)
	}
	printErrors(stdout, rep.Steps)
	printCPU(stdout, rep.Steps)
	if o.marks != "" {
		if rep.Recovery, err = recovery(o.marks, e.book); err != nil {
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
	var verr error
	if o.dbURL != "" {
		v, err := verify(context.WithoutCancel(ctx), o.dbURL, o.bankapp, o.run, e.book)
		if err != nil {
			return err
		}
		rep.Verdict = &v
		printVerdict(stdout, v)
		if !v.ok() {
			verr = errors.New("ledger checks failed")
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
	return verr
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
