package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// summary is the run as Markdown tables: for each target, every step's
// transfers/s, p99, the pgbench TPC-B run right after it and their ratio,
// where the CPU went during both and the CPU per transfer and per TPC-B
// transaction; with several targets, a table comparing them (the first is
// the reference). With repeated steps every figure is the median, with the
// lowest in brackets for throughput.
func summary(r report, groups []group, o options) string {
	var b strings.Builder
	keys := stepKeys(r.Steps)
	pg := len(r.Pgbench) > 0
	if len(r.Targets) > 1 {
		writeComparison(&b, r, keys, pg)
	}
	for _, t := range r.Targets {
		if len(r.Targets) > 1 {
			fmt.Fprintf(&b, "\n%s, CPU by process:\n\n", t.Label)
		}
		writeTarget(&b, r, t.Label, keys, groups, pg)
	}
	if o.reps > 1 {
		fmt.Fprintf(&b, "\nEach figure is the median of %d runs; transfers/s and tps show the lowest in brackets.\n", o.reps)
	}
	return b.String()
}

// moneyMix reports whether a mix is all transfers: its rows count
// transfers, other mixes count successful requests.
func moneyMix(mix string) bool { return mix == "transfers" || mix == "hot" }

// rateOf is transfers/s for the transfer mixes, successful requests/s for
// the others; p99Of and opsOf likewise.
func rateOf(s stepResult) float64 {
	if moneyMix(s.Mix) {
		return s.TransfersPerS
	}
	return s.OpsPerSec
}

func p99Of(s stepResult) float64 {
	if moneyMix(s.Mix) {
		return s.TP99
	}
	return s.P99
}

func opsOf(s stepResult) int {
	if moneyMix(s.Mix) {
		return s.Transfers
	}
	return s.OK
}

// rateName is the throughput column's title for these rows.
func rateName(keys []stepKey) (rate, op string) {
	for _, k := range keys {
		if !moneyMix(k.mix) {
			return "transfers/s (requests/s for " + k.mix + ")", "transfer (request)"
		}
	}
	return "transfers/s", "transfer"
}

// stepKey is one row: a mix at a concurrency.
type stepKey struct {
	mix     string
	clients int
}

func (k stepKey) String() string {
	if k.mix == "transfers" {
		return strconv.Itoa(k.clients)
	}
	return k.mix + " " + strconv.Itoa(k.clients)
}

// stepKeys is the rows in the order the steps ran.
func stepKeys(steps []stepResult) []stepKey {
	var out []stepKey
	for _, s := range steps {
		k := stepKey{s.Mix, s.Clients}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// runsOf is target's steps at k, in the order they ran.
func runsOf(steps []stepResult, target string, k stepKey) []stepResult {
	var out []stepResult
	for _, s := range steps {
		if s.Target == target && s.Mix == k.mix && s.Clients == k.clients {
			out = append(out, s)
		}
	}
	return out
}

func pgbenchAt(runs []pgbenchResult, k stepKey) []pgbenchResult {
	var out []pgbenchResult
	for _, p := range runs {
		if p.Mix == k.mix && p.Clients == k.clients {
			out = append(out, p)
		}
	}
	return out
}

// median of xs (the mean of the middle two for an even count); 0 if none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func each[T any](xs []T, f func(T) float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// thousands formats a rate as "3,138".
func thousands(x float64) string {
	n := int64(math.Round(x))
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// rateCell is the median rate, with the lowest in brackets when there are
// several.
func rateCell(xs []float64) string {
	if len(xs) == 0 {
		return "–"
	}
	if len(xs) == 1 {
		return thousands(xs[0])
	}
	return fmt.Sprintf("%s (%s)", thousands(median(xs)), thousands(slices.Min(xs)))
}

func ratio(a, b float64) string {
	if a <= 0 || b <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

// coresCell is "0.55 / 0.50 / 0.18 / other 0.40": the median cores of each
// name over the runs, then the rest of the machine.
func coresCell(us []cpuUse, names []string) string {
	parts := make([]string, 0, len(names)+1)
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%.2f", median(each(us, func(u cpuUse) float64 { return u.Cores[n] }))))
	}
	parts = append(parts, fmt.Sprintf("%.2f", median(each(us, func(u cpuUse) float64 { return u.Other }))))
	return strings.Join(parts, " / ")
}

// perOpCell is "372 (180 + 150 + 42)": the median µs of CPU per operation
// of all names together, then of each.
func perOpCell(us []cpuUse, ops []int, names []string) string {
	if len(us) == 0 {
		return "–"
	}
	at := func(ns ...string) float64 {
		xs := make([]float64, len(us))
		for i := range us {
			xs[i] = us[i].perOp(ops[i], ns...)
		}
		return median(xs)
	}
	parts := make([]string, 0, len(names))
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%.0f", at(n)))
	}
	return fmt.Sprintf("%.0f (%s)", at(names...), strings.Join(parts, " + "))
}

func writeTarget(b *strings.Builder, r report, label string, keys []stepKey, groups []group, pg bool) {
	app := groupNames(groups, "bankapp", "bankload")
	tpcb := groupNames(groups, "pgbench")
	rn, op := rateName(keys)
	fmt.Fprintf(b, "| step | %s | p99 ms", rn)
	if pg {
		fmt.Fprintf(b, " | pgbench TPC-B tps | ratio")
	}
	fmt.Fprintf(b, " | CPU busy, cores: %s / other | µs CPU per %s: all (%s)", strings.Join(app, " / "), op, strings.Join(app, " + "))
	if pg {
		fmt.Fprintf(b, " | CPU busy during pgbench: %s / other | µs CPU per TPC-B transaction: all (%s)", strings.Join(tpcb, " / "), strings.Join(tpcb, " + "))
	}
	fmt.Fprintf(b, " | checks |\n|---")
	cols := 5
	if pg {
		cols += 4
	}
	for range cols {
		fmt.Fprint(b, "|---:")
	}
	fmt.Fprintln(b, "|")
	for _, k := range keys {
		runs := runsOf(r.Steps, label, k)
		if len(runs) == 0 {
			continue
		}
		tps := each(runs, rateOf)
		fmt.Fprintf(b, "| %s | %s | %.1f", k, rateCell(tps), median(each(runs, p99Of)))
		pgs := pgbenchAt(r.Pgbench, k)
		if pg {
			ptps := each(pgs, func(p pgbenchResult) float64 { return p.TPS })
			fmt.Fprintf(b, " | %s | %s", rateCell(ptps), ratio(median(tps), median(ptps)))
		}
		us := each2(runs, func(s stepResult) cpuUse { return s.CPU })
		ops := eachInt(runs, opsOf)
		fmt.Fprintf(b, " | %s | %s", coresCell(us, app), perOpCell(us, ops, app))
		if pg {
			pus := each2(pgs, func(p pgbenchResult) cpuUse { return p.CPU })
			pops := eachInt(pgs, func(p pgbenchResult) int { return p.Txns })
			fmt.Fprintf(b, " | %s | %s", coresCell(pus, tpcb), perOpCell(pus, pops, tpcb))
		}
		fmt.Fprintf(b, " | %s |\n", checksCell(runs))
	}
}

// checksCell is "OK" when the ledger checks passed after every run of the
// row, "FAILED" when one did not, "at the end" when they ran only then;
// requests that failed (after the client's retries) are named first.
func checksCell(runs []stepResult) string {
	out, errs := "OK", 0
	for _, s := range runs {
		switch s.Checks {
		case "FAILED":
			out = "FAILED"
		case "":
			if out == "OK" {
				out = "at the end"
			}
		}
		errs += s.Failed
	}
	if errs > 0 {
		return fmt.Sprintf("%d requests failed; %s", errs, out)
	}
	return out
}

func each2[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

func eachInt[T any](xs []T, f func(T) int) []int { return each2(xs, f) }

// writeComparison puts the targets side by side, the first as reference:
// each one's transfers/s (median, lowest in brackets), the ratio of its
// median to the reference's and the range of the ratios of runs paired by
// repetition (run i of one against run i of the other, which ran next to
// each other), p99, and each one's ratio to pgbench.
func writeComparison(b *strings.Builder, r report, keys []stepKey, pg bool) {
	ref := r.Targets[0].Label
	rn, _ := rateName(keys)
	fmt.Fprint(b, "| step")
	for i, t := range r.Targets {
		fmt.Fprintf(b, " | %s %s", t.Label, rn)
		if i > 0 {
			fmt.Fprintf(b, " | %s / %s (pairs)", t.Label, ref)
		}
	}
	for _, t := range r.Targets {
		fmt.Fprintf(b, " | %s p99 ms", t.Label)
	}
	if pg {
		fmt.Fprint(b, " | pgbench TPC-B tps")
		for _, t := range r.Targets {
			fmt.Fprintf(b, " | %s ratio", t.Label)
		}
	}
	fmt.Fprint(b, " |\n|---")
	cols := 3*len(r.Targets) - 1
	if pg {
		cols += 1 + len(r.Targets)
	}
	for range cols {
		fmt.Fprint(b, "|---:")
	}
	fmt.Fprintln(b, "|")
	for _, k := range keys {
		refRuns := runsOf(r.Steps, ref, k)
		refTPS := each(refRuns, rateOf)
		fmt.Fprintf(b, "| %s", k)
		var meds []float64
		for i, t := range r.Targets {
			tps := each(runsOf(r.Steps, t.Label, k), rateOf)
			meds = append(meds, median(tps))
			fmt.Fprintf(b, " | %s", rateCell(tps))
			if i > 0 {
				fmt.Fprintf(b, " | %s %s", ratio(median(tps), median(refTPS)), pairRange(tps, refTPS))
			}
		}
		for _, t := range r.Targets {
			fmt.Fprintf(b, " | %.1f", median(each(runsOf(r.Steps, t.Label, k), p99Of)))
		}
		if pg {
			ptps := each(pgbenchAt(r.Pgbench, k), func(p pgbenchResult) float64 { return p.TPS })
			fmt.Fprintf(b, " | %s", rateCell(ptps))
			for _, m := range meds {
				fmt.Fprintf(b, " | %s", ratio(m, median(ptps)))
			}
		}
		fmt.Fprintln(b, " |")
	}
}

// pairRange is "(0.97–1.04)": the lowest and highest of a[i]/b[i].
func pairRange(a, b []float64) string {
	var rs []float64
	for i := range min(len(a), len(b)) {
		if b[i] > 0 {
			rs = append(rs, a[i]/b[i])
		}
	}
	if len(rs) == 0 {
		return ""
	}
	return fmt.Sprintf("(%.2f–%.2f)", slices.Min(rs), slices.Max(rs))
}
