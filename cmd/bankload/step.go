package main

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// stepResult is one closed-loop run at one concurrency.
type stepResult struct {
	Target         string             `json:"target"`
	Mix            string             `json:"mix"`
	Rep            int                `json:"rep"`
	Clients        int                `json:"clients"`
	Seconds        float64            `json:"seconds"`
	Ops            int                `json:"ops"`
	OK             int                `json:"ok"`
	Rejected       int                `json:"rejected"`
	Failed         int                `json:"failed"`
	Attempts       int                `json:"attempts"`
	FailedAttempts int                `json:"failed_attempts"`
	Retried        int                `json:"retried"`
	Transfers      int                `json:"transfers"`
	OpsPerSec      float64            `json:"ops_per_sec"`
	TransfersPerS  float64            `json:"transfers_per_sec"`
	P50, P95, P99  float64            `json:"-"`
	TP99           float64            `json:"transfer_p99_ms"`
	MaxRSSKB       []int              `json:"max_rss_kb,omitempty"`
	APICPUPerOK    float64            `json:"api_cpu_ms_per_ok"` // CPU of the -pids instances per successful request
	MachineBusy    float64            `json:"machine_busy_pct"`  // all cores, all processes
	CPUShare       map[string]float64 `json:"cpu_share_pct"`     // share of the busy CPU by command
	PgbenchTPS     float64            `json:"pgbench_tps,omitempty"`
	Errors         map[string]int     `json:"errors,omitempty"`
	CPU            cpuUse             `json:"cpu"`              // cores busy by -proc group, "bankapp" (the pids) and "bankload"
	Checks         string             `json:"checks,omitempty"` // the ledger checks right after this step: "OK", "FAILED" or "" (not run)
}

// runStep runs clients workers back to back for d and returns the figures.
// The CPU of the -proc groups, of pids (as "bankapp") and of this process
// (as "bankload") is measured from the first request to the last answer.
func runStep(ctx context.Context, e *env, mix weights, clients int, d time.Duration, pids []int, groups []group) stepResult {
	gs := append(slices.Clone(groups), group{"bankload", []int{os.Getpid()}})
	if len(pids) > 0 {
		gs = append(gs, group{"bankapp", pids})
	}
	sctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	tallies := make([]tally, clients)
	var wg sync.WaitGroup
	rss := make([]int, len(pids))
	stopRSS := make(chan struct{})
	wg.Go(func() { sampleRSS(pids, rss, stopRSS) })
	cpu0, cmd0 := takeCPU(pids), ticksByProcess()
	g0 := takeGroups(gs)
	start := time.Now()
	var workers sync.WaitGroup
	for i := range clients {
		workers.Go(func() {
			r := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())) // #nosec G404 -- picks customers and amounts for a load test, not secrets
			for !ended(sctx) {
				e.runOp(sctx, r, mix.pick(r), &tallies[i])
			}
		})
	}
	workers.Wait()
	elapsed := time.Since(start).Seconds()
	g1 := takeGroups(gs)
	cpu1, cmd1 := takeCPU(pids), ticksByProcess()
	close(stopRSS)
	wg.Wait()
	var t tally
	for _, x := range tallies {
		t.add(x)
	}
	res := stepResult{Clients: clients, Seconds: elapsed, Ops: t.ops, OK: t.ok, Rejected: t.rejected, Failed: t.failed,
		Attempts: t.attempts, FailedAttempts: t.failedAttempts, Retried: t.retried, Transfers: t.transfers,
		OpsPerSec: float64(t.ok) / elapsed, TransfersPerS: float64(t.transfers) / elapsed, MaxRSSKB: rss, Errors: t.errs}
	res.P50, res.P95, res.P99 = pct(t.lat, 50), pct(t.lat, 95), pct(t.lat, 99)
	res.TP99 = pct(t.transferLat, 99)
	var api int64
	for i := range pids {
		api += cpu1.pids[i] - cpu0.pids[i]
	}
	if t.ok > 0 {
		res.APICPUPerOK = float64(api) * 10 / float64(t.ok) // ticks are 10 ms
	}
	if d := cpu1.total - cpu0.total; d > 0 {
		res.MachineBusy = 100 * float64(cpu1.busy-cpu0.busy) / float64(d)
	}
	res.CPUShare = cpuShares(cmd0, cmd1, cpu1.busy-cpu0.busy)
	res.CPU = use(gs, g0, g1, nil)
	return res
}

// pct is the p-th percentile of ds in milliseconds (nearest rank).
func pct(ds []time.Duration, p int) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	i = max(min(i-1, len(s)-1), 0)
	return float64(s[i].Microseconds()) / 1000
}

// sampleRSS keeps the largest VmRSS (KiB) seen of each pid until stop closes.
func sampleRSS(pids []int, out []int, stop chan struct{}) {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		for i, pid := range pids {
			out[i] = max(out[i], vmRSS(pid))
		}
		select {
		case <-stop:
			return
		case <-tick.C:
		}
	}
}

func vmRSS(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status") // #nosec G304 G703 -- /proc/<a number>/status
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				n, _ := strconv.Atoi(f[0])
				return n
			}
		}
	}
	return 0
}
