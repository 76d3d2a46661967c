package api_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU (user + system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchConns is the number of concurrent client connections of BenchmarkMe
// (the target: ≥ 10,000 req/s at 32 connections on SQLite).
const benchConns = 32

// BenchmarkMe measures GET /api/v1/me with a valid token over real TCP:
// JWT check, session lookup (cached), user read from SQLite, JSON, access
// log (JSON, discarded) and metrics. Run it with
//
//	go test -run '^$' -bench '^BenchmarkMe$' -benchtime 10s ./internal/api/
//
// and read the req/s column (docs/benchmarks.md). cpu-µs/req is the CPU
// time (server and load-generating client together) per request.
func BenchmarkMe(b *testing.B) {
	h := newTBServer(b, time.Now)
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	token, _ := tbSignUp(b, h, "bench@example.com")

	// RunParallel starts parallelism × GOMAXPROCS goroutines; each keeps one
	// connection and speaks plain HTTP/1.1 on it (like wrk: a lean client,
	// so that the server, not the load generator, gets the CPU).
	p := max(1, (benchConns+runtime.GOMAXPROCS(0)-1)/runtime.GOMAXPROCS(0))
	b.SetParallelism(p)
	raw := []byte("GET /api/v1/me HTTP/1.1\r\nHost: " + srv.Listener.Addr().String() + "\r\nAuthorization: Bearer " + token + "\r\n\r\n")
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			b.Error(err)
			return
		}
		defer conn.Close()
		br := bufio.NewReader(conn)
		for pb.Next() {
			if _, err := conn.Write(raw); err != nil {
				b.Error(err)
				return
			}
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.StopTimer()
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
	// CPU per request, client included: on a busy machine req/s says little,
	// but cores ÷ this is what the machine can do when idle.
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/req")
	b.ReportMetric(float64(p*runtime.GOMAXPROCS(0)), "conns")
}
