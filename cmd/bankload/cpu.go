package main

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// cpuTicks is the user+system CPU time of pid in clock ticks (1/100 s on
// Linux), or 0.
func cpuTicks(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat") // #nosec G304 G703 -- /proc/<a number>/stat
	if err != nil {
		return 0
	}
	// Fields after the command name (which may contain spaces) start at ')'.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return u + st
}

// machineTicks returns the machine's busy and total CPU ticks (/proc/stat).
func machineTicks() (busy, total int64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	// user nice system idle iowait irq softirq steal guest guest_nice:
	// guest time is already inside user, and steal is not ours.
	for i, x := range f[1:] {
		if i >= 8 {
			break
		}
		n, _ := strconv.ParseInt(x, 10, 64)
		total += n
		if i != 3 && i != 4 && i != 7 { // idle, iowait, steal
			busy += n
		}
	}
	return busy, total
}

// cpuSnapshot is the CPU counters at one instant.
type cpuSnapshot struct {
	pids        []int64
	busy, total int64
}

func takeCPU(pids []int) cpuSnapshot {
	s := cpuSnapshot{pids: make([]int64, len(pids))}
	for i, p := range pids {
		s.pids[i] = cpuTicks(p)
	}
	s.busy, s.total = machineTicks()
	return s
}

// procTicks is each live process's command name and CPU ticks, by pid.
type procTicks map[int]struct {
	comm  string
	ticks int64
}

// ticksByProcess reads every live process's CPU ticks.
func ticksByProcess() procTicks {
	out := procTicks{}
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return out
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(b)
		i, j := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if i < 0 || j < i {
			continue
		}
		out[pid] = struct {
			comm  string
			ticks int64
		}{s[i+1 : j], cpuTicks(pid)}
	}
	return out
}

// cpuShares is each command's share of the machine's busy CPU between two
// snapshots, for the commands that matter here. A process's share is its
// growth between the snapshots (all of it if it started in between);
// processes that ended in between are not seen, so "other" is an upper bound.
func cpuShares(before, after procTicks, busy int64) map[string]float64 {
	if busy <= 0 {
		return nil
	}
	by := map[string]int64{}
	for pid, a := range after {
		d := a.ticks
		if b, ok := before[pid]; ok && b.comm == a.comm {
			d -= b.ticks
		}
		by[a.comm] += max(d, 0)
	}
	out := map[string]float64{}
	var known int64
	for _, c := range []string{"bankapp", "postgres", "haproxy", "bankload", "pgbench"} {
		known += by[c]
		out[c] = 100 * float64(by[c]) / float64(busy)
	}
	out["other"] = max(100*float64(busy-known)/float64(busy), 0)
	return out
}

// procInfo is one live process as /proc/<pid>/stat shows it: its parent,
// its own CPU ticks (all threads) and the ticks of the children it has
// reaped (cutime + cstime).
type procInfo struct {
	ppid          int
	ticks, cticks int64
}

// readProcs reads every live process's parent and CPU ticks.
func readProcs() map[int]procInfo {
	out := map[int]procInfo{}
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return out
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		if p, ok := parseStat(string(b)); ok {
			out[pid] = p
		}
	}
	return out
}

// parseStat reads ppid, utime+stime and cutime+cstime from one
// /proc/<pid>/stat line (the command name may contain spaces and ')').
func parseStat(s string) (procInfo, bool) {
	j := strings.LastIndexByte(s, ')')
	if j < 0 {
		return procInfo{}, false
	}
	f := strings.Fields(s[j+1:])
	if len(f) < 15 {
		return procInfo{}, false
	}
	n := func(i int) int64 { v, _ := strconv.ParseInt(f[i], 10, 64); return v }
	return procInfo{ppid: int(n(1)), ticks: n(11) + n(12), cticks: n(13) + n(14)}, true
}

// treeTicks is the CPU ticks, at one instant, of the processes rooted at
// roots and all their live descendants, plus what each of them has reaped:
// a PostgreSQL backend that exits between two snapshots is no longer listed,
// but the postmaster has reaped it and its CPU moved into the postmaster's
// cutime/cstime, so the difference of two snapshots counts it once.
func treeTicks(procs map[int]procInfo, roots []int) int64 {
	in := map[int]bool{}
	for _, r := range roots {
		if _, ok := procs[r]; ok {
			in[r] = true
		}
	}
	// Parents are not always listed before their children: repeat until no
	// process joins.
	for grew := true; grew; {
		grew = false
		for pid, p := range procs {
			if !in[pid] && in[p.ppid] {
				in[pid], grew = true, true
			}
		}
	}
	var t int64
	for pid := range in {
		t += procs[pid].ticks + procs[pid].cticks
	}
	return t
}

// group is a named set of process trees whose CPU is reported (-proc).
type group struct {
	name string
	pids []int
}

// groupSnapshot is the CPU ticks of each group and of the machine at one
// instant.
type groupSnapshot struct {
	at          time.Time
	groups      []int64
	busy, total int64
}

func takeGroups(gs []group) groupSnapshot {
	procs := readProcs()
	s := groupSnapshot{at: time.Now(), groups: make([]int64, len(gs))}
	for i, g := range gs {
		s.groups[i] = treeTicks(procs, g.pids)
	}
	s.busy, s.total = machineTicks()
	return s
}

// ticksPerSecond is USER_HZ, the unit of /proc/stat and /proc/<pid>/stat.
const ticksPerSecond = 100

// cpuUse is where the CPU went between two snapshots, in cores (CPU
// seconds per second of wall time): each group's, the machine's, and the
// rest of the machine ("other": other people's work on a shared machine,
// the kernel's own threads).
type cpuUse struct {
	Cores   map[string]float64 `json:"cores"`
	Machine float64            `json:"machine_cores"`
	Other   float64            `json:"other_cores"`
	Seconds float64            `json:"seconds"`
}

// use computes cpuUse between a and b; extra adds CPU seconds measured
// otherwise (pgbench's rusage) under their own names.
func use(gs []group, a, b groupSnapshot, extra map[string]float64) cpuUse {
	secs := b.at.Sub(a.at).Seconds()
	u := cpuUse{Cores: map[string]float64{}, Seconds: secs}
	if secs <= 0 {
		return u
	}
	var ours float64
	for i, g := range gs {
		c := float64(b.groups[i]-a.groups[i]) / ticksPerSecond / secs
		u.Cores[g.name] += c
		ours += c
	}
	for name, cpuSecs := range extra {
		u.Cores[name] += cpuSecs / secs
		ours += cpuSecs / secs
	}
	u.Machine = float64(b.busy-a.busy) / ticksPerSecond / secs
	u.Other = max(u.Machine-ours, 0)
	return u
}

// perOp is the CPU microseconds per operation of the named groups (all
// groups when names is empty) for ops operations in u.Seconds.
func (u cpuUse) perOp(ops int, names ...string) float64 {
	if ops <= 0 {
		return 0
	}
	if len(names) == 0 {
		for n := range u.Cores {
			names = append(names, n)
		}
	}
	var cores float64
	for _, n := range names {
		cores += u.Cores[n]
	}
	return cores * u.Seconds * 1e6 / float64(ops)
}
