package main

import (
	"os"
	"strconv"
	"strings"
)

// cpuTicks is the user+system CPU time of pid in clock ticks (1/100 s on
// Linux), or 0.
func cpuTicks(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
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
	for i, x := range f[1:] {
		n, _ := strconv.ParseInt(x, 10, 64)
		total += n
		if i != 3 && i != 4 { // idle, iowait
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
