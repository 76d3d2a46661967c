package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"time"
)

func printHeader(w io.Writer, multi, pgb, rss bool) {
	if multi {
		fmt.Fprintf(w, "%-10s %-9s ", "target", "mix")
	}
	fmt.Fprintf(w, "%8s %9s %11s %7s %8s %8s %8s %9s", "clients", "ok req/s", "transfers/s", "errors", "p50 ms", "p95 ms", "p99 ms", "xfer p99")
	if pgb {
		fmt.Fprintf(w, " %11s %6s", "pgbench tps", "ratio")
	}
	if rss {
		fmt.Fprintf(w, "  %s", "API CPU ms/req, machine busy, peak RSS MiB per instance")
	}
	fmt.Fprintln(w)
}

func printStep(w io.Writer, s stepResult, multi, pgb, rss bool) {
	if multi {
		fmt.Fprintf(w, "%-10s %-9s ", s.Target, s.Mix)
	}
	errRate := 0.0
	if s.Ops > 0 {
		errRate = 100 * float64(s.Failed) / float64(s.Ops)
	}
	fmt.Fprintf(w, "%8d %9.1f %11.1f %6.2f%% %8.1f %8.1f %8.1f %9.1f", s.Clients, s.OpsPerSec, s.TransfersPerS, errRate, s.P50, s.P95, s.P99, s.TP99)
	if pgb {
		ratio := 0.0
		if s.PgbenchTPS > 0 {
			ratio = s.TransfersPerS / s.PgbenchTPS
		}
		fmt.Fprintf(w, " %11.1f %6.2f", s.PgbenchTPS, ratio)
	}
	if rss {
		var mb []string
		for _, kb := range s.MaxRSSKB {
			mb = append(mb, strconv.Itoa(kb/1024))
		}
		fmt.Fprintf(w, "  %.2f, %.0f%%, %s", s.APICPUPerOK, s.MachineBusy, strings.Join(mb, " / "))
	}
	fmt.Fprintln(w)
}

// printCPU shows where the machine's CPU went during each step: by process
// tree (-proc, the target's pids and bankload itself) when byTree, else by
// command name (every process of that name on the machine).
func printCPU(w io.Writer, steps []stepResult, groups []group, byTree bool) {
	for _, s := range steps {
		fmt.Fprintf(w, "%s, %s mix, rep %d: ", s.Target, s.Mix, s.Rep)
		if byTree {
			fmt.Fprintf(w, "CPU at %d clients: %.2f cores busy: %s, other %.2f; %.0f µs of CPU per transfer\n",
				s.Clients, s.CPU.Machine, coresList(s.CPU, groupNames(groups, "bankapp", "bankload")), s.CPU.Other,
				s.CPU.perOp(s.Transfers, groupNames(groups, "bankapp", "bankload")...))
			continue
		}
		if s.CPUShare == nil {
			fmt.Fprintln(w)
			continue
		}
		fmt.Fprintf(w, "CPU at %d clients (machine %.0f%% busy): bankapp %.0f%%, postgres %.0f%%, haproxy %.0f%%, bankload %.0f%%, other %.0f%%\n",
			s.Clients, s.MachineBusy, s.CPUShare["bankapp"], s.CPUShare["postgres"], s.CPUShare["haproxy"], s.CPUShare["bankload"], s.CPUShare["other"])
	}
}

// groupNames is the names of groups followed by more.
func groupNames(groups []group, more ...string) []string {
	var out []string
	for _, g := range groups {
		out = append(out, g.name)
	}
	return append(out, more...)
}

// coresList is "name 0.55, name 0.20" in the order of names.
func coresList(u cpuUse, names []string) string {
	parts := make([]string, 0, len(names))
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%s %.2f", n, u.Cores[n]))
	}
	return strings.Join(parts, ", ")
}

func printErrors(w io.Writer, steps []stepResult) {
	for _, s := range steps {
		if len(s.Errors) == 0 {
			continue
		}
		keys := make([]string, 0, len(s.Errors))
		for k := range s.Errors {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s ×%d", k, s.Errors[k]))
		}
		fmt.Fprintf(w, "%s, %s mix: ", s.Target, s.Mix)
		fmt.Fprintf(w, "failed attempts at %d clients: %s\n", s.Clients, strings.Join(parts, ", "))
	}
}

func printVerdict(w io.Writer, v verdict) {
	fmt.Fprintf(w, "ledger: %d transfers acknowledged (201); lost %d; duplicated %d; replay mismatches %d; negative balances %d; money conserved %v (%s); ledger verify %s\n",
		v.Acknowledged, v.Lost, v.Duplicated, v.ReplayMismatch, v.Negative, v.MoneyOK, v.MoneyDetail, v.LedgerVerify)
}

// printResult writes one machine-readable line that scripts parse.
func printResult(w io.Writer, r report) {
	var ops, failed, attempts, failedAttempts, retried, transfers int
	for _, s := range r.Steps {
		ops += s.Ops
		failed += s.Failed
		attempts += s.Attempts
		failedAttempts += s.FailedAttempts
		retried += s.Retried
		transfers += s.Transfers
	}
	fmt.Fprintf(w, "RESULT requests=%d failed=%d attempts=%d failed_attempts=%d retried=%d transfers=%d", ops, failed, attempts, failedAttempts, retried, transfers)
	if v := r.Verdict; v != nil {
		fmt.Fprintf(w, " lost=%d duplicated=%d replay_mismatch=%d negative=%d money_ok=%v ledger_verify=%s",
			v.Lost, v.Duplicated, v.ReplayMismatch, v.Negative, v.MoneyOK, strings.Fields(v.LedgerVerify + " x")[0])
	}
	names := make([]string, 0, len(r.Recovery))
	for k := range r.Recovery {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(w, " recovery_ms_%s=%d", k, r.Recovery[k])
	}
	fmt.Fprintln(w)
}

// recovery reads the fault injections ("name unix_ms" lines) and, for each,
// the time from the injection to the first acknowledged transfer after the
// last failed transfer attempt within 60 s of it (0 when no attempt failed).
func recovery(path string, b *book) (map[string]int64, error) {
	f, err := os.Open(path) // #nosec G304 -- the marks file named on the command line
	if err != nil {
		return nil, fmt.Errorf("marks: %w", err)
	}
	defer f.Close()
	out := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 2 {
			continue
		}
		ms, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("marks: %q: %w", sc.Text(), err)
		}
		out[fields[0]] = recoveryAfter(time.UnixMilli(ms), b.attempts)
	}
	return out, sc.Err()
}

func recoveryAfter(mark time.Time, attempts []attempt) int64 {
	end := mark.Add(60 * time.Second)
	var lastFail time.Time
	for _, a := range attempts {
		if !a.ok && !a.at.Before(mark) && a.at.Before(end) {
			lastFail = a.at
		}
	}
	if lastFail.IsZero() {
		return 0
	}
	for _, a := range attempts {
		if a.ok && a.at.After(lastFail) {
			return a.at.Sub(mark).Milliseconds()
		}
	}
	return -1 // never recovered while the load ran
}

// pgbenchResult is one pgbench TPC-B run and the CPU it took.
type pgbenchResult struct {
	Mix     string  `json:"after_mix"`
	Rep     int     `json:"rep"`
	Clients int     `json:"clients"`
	TPS     float64 `json:"tps"`
	Txns    int     `json:"transactions"`
	CPU     cpuUse  `json:"cpu"` // cores busy by -proc group and "pgbench"
}

// pgbench runs pgbench's built-in TPC-B transaction with the same number of
// clients for the same time and returns its tps and where the CPU went:
// the -proc groups (the postmaster's tree) from /proc, pgbench's own CPU
// from its rusage.
func pgbench(ctx context.Context, url string, clients int, d time.Duration, groups []group) (pgbenchResult, error) {
	bin := "pgbench"
	if p := os.Getenv("PGBENCH"); p != "" {
		bin = p
	}
	secs := max(int(d.Seconds()), 1)
	res := pgbenchResult{Clients: clients}
	cmd := exec.CommandContext(ctx, bin, "-n", "-c", strconv.Itoa(clients), "-j", "2", "-T", strconv.Itoa(secs), url) // #nosec G204 G702 -- the operator's own pgbench and database, from the command line
	g0 := takeGroups(groups)
	out, err := cmd.CombinedOutput()
	g1 := takeGroups(groups)
	if err != nil {
		return res, fmt.Errorf("pgbench -c %d: %w: %s", clients, err, truncate(out, 500))
	}
	var own map[string]float64
	if ps := cmd.ProcessState; ps != nil {
		own = map[string]float64{"pgbench": (ps.UserTime() + ps.SystemTime()).Seconds()}
	}
	res.CPU = use(groups, g0, g1, own)
	if res.TPS, res.Txns, err = parsePgbench(string(out)); err != nil {
		return res, fmt.Errorf("pgbench -c %d: %w: %s", clients, err, truncate(out, 500))
	}
	return res, nil
}

// parsePgbench reads tps and the number of transactions from pgbench's
// report.
func parsePgbench(out string) (tps float64, txns int, err error) {
	found := false
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "tps = "); ok && !found {
			f := strings.Fields(rest)
			if len(f) > 0 {
				if tps, err = strconv.ParseFloat(f[0], 64); err != nil {
					return 0, 0, err
				}
				found = true
			}
		}
		if rest, ok := strings.CutPrefix(line, "number of transactions actually processed: "); ok {
			n, _, _ := strings.Cut(strings.TrimSpace(rest), "/")
			txns, _ = strconv.Atoi(n)
		}
	}
	if !found {
		return 0, 0, errors.New("no tps in output")
	}
	return tps, txns, nil
}
