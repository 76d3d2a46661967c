package jobs_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/jobs"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// instance is one `bankapp serve` process.
type instance struct {
	cmd  *exec.Cmd
	addr string
	log  string
	dead bool
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startInstance starts `bankapp serve` on dbURL with its own data dir; extra
// are more NAME=value settings (a later one wins over an earlier one).
func startInstance(t *testing.T, bin, dbURL, key string, jobsOn bool, extra ...string) *instance {
	t.Helper()
	dir := t.TempDir()
	in := &instance{addr: freeAddr(t), log: filepath.Join(dir, "out.log")}
	out, err := os.Create(in.log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { out.Close() })
	in.cmd = exec.Command(bin, "serve")
	in.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "BANKAPP_ADDR=" + in.addr, "METRICS_ADDR=127.0.0.1:0", "DATABASE_URL=" + dbURL, "BANKAPP_DATA_DIR=" + dir,
		"JWT_SIGNING_KEY=" + key, "LOG_FORMAT=json", "LOG_LEVEL=info", fmt.Sprintf("BANKAPP_JOBS_ENABLED=%t", jobsOn)}
	in.cmd.Env = append(in.cmd.Env, extra...)
	in.cmd.Stdout, in.cmd.Stderr = out, out
	if err := in.cmd.Start(); err != nil {
		t.Fatalf("start instance: %v", err)
	}
	t.Cleanup(func() {
		if !in.dead {
			_ = in.cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { _ = in.cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				_ = in.cmd.Process.Kill()
			}
		}
	})
	return in
}

func (in *instance) waitReady(t *testing.T, deadline time.Time) {
	t.Helper()
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + in.addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	b, _ := os.ReadFile(in.log)
	t.Fatalf("instance %s not ready: %s", in.addr, b)
}

// TestThreeInstancesSIGKILLExactlyOnce is the main test: three real
// `bankapp serve` processes share one PostgreSQL database, a few hundred
// occurrences fall due at once, one process is SIGKILLed in the middle of
// its work, and every occurrence still runs exactly once: one audit event
// per occurrence key, the stored outcome of that key agreeing with it, the
// balances equal to the opening balances plus what the audit log says
// moved, and ledger verify clean.
func TestThreeInstancesSIGKILLExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three server processes")
	}
	dbURL := storetest.NewDatabaseURL(t) // skips without PostgreSQL
	started := time.Now()
	bin := filepath.Join(t.TempDir(), "bankapp")
	build := exec.Command("go", "build", "-o", bin, "github.com/bankapp/bankapp/cmd/bankapp")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("build: %s", time.Since(started).Round(time.Millisecond))

	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{URL: dbURL, MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := &fixture{t: t, ctx: ctx, db: db, clk: &clock{t: time.Now().UTC()}}
	db.SetClock(time.Now)

	const customers, occurrences = 20, 400
	type party struct {
		user string
		acct ledger.Account
	}
	parties := make([]party, customers)
	opening := map[string]int64{}
	for i := range parties {
		bal := int64(50_00)
		if i == 0 {
			bal = 5_00 // some of customer 0's payments fail for insufficient funds
		}
		parties[i].user, parties[i].acct = f.customer(ledger.TypeChecking, bal)
		opening[parties[i].acct.ID] = bal
	}

	key := make([]byte, 32)
	_, _ = rand.Read(key)
	procs := make([]*instance, 3)
	for i := range procs {
		procs[i] = startInstance(t, bin, dbURL, base64.StdEncoding.EncodeToString(key), true)
	}
	// A fourth instance serves the API with its jobs switched off.
	paused := startInstance(t, bin, dbURL, base64.StdEncoding.EncodeToString(key), false)
	for _, p := range append(procs, paused) {
		p.waitReady(t, time.Now().Add(20*time.Second))
	}
	t.Logf("four instances ready (one with jobs off): %s", time.Since(started).Round(time.Millisecond))

	// All occurrences fall due at once: schedules starting today.
	type sched struct {
		id, from, to string
		amount       int64
	}
	scheds := make([]sched, 0, occurrences)
	today := bank.FormatDate(time.Now())
	err = db.InTx(ctx, func(tx *store.Tx) error {
		for i := 0; i < occurrences; i++ {
			// Nobody pays customer 0, so its 5.00 runs out.
			r := 1 + (i*7+3)%(customers-1)
			if r == i%customers {
				r = 1 + r%(customers-1)
			}
			from, to := parties[i%customers], parties[r]
			amount := int64(100 + i%50)
			s, err := bank.CreateSchedule(ctx, tx, bank.ScheduleRequest{UserID: from.user, FromAccountID: from.acct.ID, ToAccountNumber: to.acct.Number,
				Amount: ledger.FormatMinor(amount, 2), Frequency: bank.Once, StartDate: today, Now: time.Now()})
			if err != nil {
				return err
			}
			scheds = append(scheds, sched{id: s.ID, from: from.acct.ID, to: to.acct.ID, amount: amount})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	queued := time.Now()

	// SIGKILL an instance while it holds claimed jobs, once about a tenth
	// of the work is done.
	var victim *instance
	for victim == nil {
		counts, err := db.JobCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts[store.JobDone] >= occurrences || time.Since(queued) > 30*time.Second {
			t.Fatalf("no instance was caught holding claims before the work ended: %v", counts)
		}
		if counts[store.JobDone] < occurrences/10 {
			time.Sleep(2 * time.Millisecond)
			continue
		}
		running, err := db.JobsByStatus(ctx, store.JobRunning, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range running {
			for _, p := range procs {
				if strings.Contains(j.LockedBy, fmt.Sprintf("-%d/", p.cmd.Process.Pid)) {
					victim = p
				}
			}
		}
	}
	var held []store.Job
	all, _ := db.JobsByStatus(ctx, store.JobRunning, 100)
	for _, j := range all {
		if strings.Contains(j.LockedBy, fmt.Sprintf("-%d/", victim.cmd.Process.Pid)) {
			held = append(held, j)
		}
	}
	if err := victim.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = victim.cmd.Wait()
	victim.dead = true
	counts, _ := db.JobCounts(ctx)
	orphans := 0
	running, _ := db.JobsByStatus(ctx, store.JobRunning, 100)
	for _, j := range running {
		if strings.Contains(j.LockedBy, fmt.Sprintf("-%d/", victim.cmd.Process.Pid)) {
			orphans++
		}
	}
	t.Logf("SIGKILLed pid %d after %s with %d jobs done; it held %d claims, %d left orphaned", victim.cmd.Process.Pid,
		time.Since(queued).Round(time.Millisecond), counts[store.JobDone], len(held), orphans)

	// The survivors take over the victim's claims once their lease ends.
	deadline := time.Now().Add(45 * time.Second)
	for {
		counts, err := db.JobCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, due, err := db.OldestDueJob(ctx, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if !due && counts[store.JobRunning] == 0 {
			break
		}
		if time.Now().After(deadline) {
			for _, st := range []string{store.JobPending, store.JobRunning} {
				list, _ := db.JobsByStatus(ctx, st, 20)
				for _, j := range list {
					t.Logf("%s job %s run_at %s attempts %d locked_by %s last_error %q", st, j.DedupeKey, j.RunAt, j.Attempts, j.LockedBy, j.LastError)
				}
			}
			t.Fatalf("jobs not finished: %v", counts)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("all occurrences processed %s after they fell due", time.Since(queued).Round(time.Millisecond))

	// Who ran what: the instance with jobs off ran nothing.
	done, err := db.JobsByStatus(ctx, store.JobDone, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	byPid := map[int]int{}
	for _, j := range done {
		for _, p := range append(procs, paused) {
			if strings.Contains(j.LockedBy, fmt.Sprintf("-%d/", p.cmd.Process.Pid)) {
				byPid[p.cmd.Process.Pid]++
			}
		}
	}
	t.Logf("jobs finished per instance pid: %v (pid %d had jobs off)", byPid, paused.cmd.Process.Pid)
	if byPid[paused.cmd.Process.Pid] != 0 {
		t.Fatalf("the instance with BANKAPP_JOBS_ENABLED=false ran %d jobs", byPid[paused.cmd.Process.Pid])
	}

	checkExactlyOnce(t, db, scheds, opening, func(s sched) (string, string, string, int64) { return s.id, s.from, s.to, s.amount })
}

// checkExactlyOnce asserts that each schedule ran once: its job is done,
// one audit event carries its occurrence key, the stored idempotent outcome
// names the same result, and balances match the audited movements.
func checkExactlyOnce[S any](t *testing.T, db *store.DB, scheds []S, opening map[string]int64, fields func(S) (id, from, to string, amount int64)) {
	t.Helper()
	ctx := context.Background()
	events, err := db.AuditEvents(ctx, audit.Filter{Action: "scheduled_transfer", Limit: 100_000})
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string][]audit.Event{}
	for _, e := range events {
		k, _, _ := strings.Cut(e.Detail, " ")
		byKey[k] = append(byKey[k], e)
	}
	want := map[string]int64{}
	for id, b := range opening {
		want[id] = b
	}
	var ok, refused, retried int
	today := time.Now().UTC()
	for _, s := range scheds {
		id, from, to, amount := fields(s)
		key := bank.OccurrenceKey(id, today)
		j, err := db.JobByDedupeKey(ctx, key)
		if err != nil || j.Status != store.JobDone {
			t.Fatalf("job %s: %+v %v", key, j, err)
		}
		if j.Attempts > 1 {
			retried++
		}
		ev := byKey[key]
		if len(ev) != 1 {
			t.Fatalf("occurrence %s has %d audit events, want exactly 1", key, len(ev))
		}
		var rec *ledger.IdemRecord
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			rec, err = tx.IdempotencyRecord(ctx, jobs.IdempotencyOwner, key, time.Time{})
			return err
		}); err != nil || rec == nil {
			t.Fatalf("idempotency record of %s: %v %v", key, rec, err)
		}
		var out struct {
			Status     string `json:"status"`
			TransferID string `json:"transfer_id"`
		}
		if err := json.Unmarshal(rec.Response.Body, &out); err != nil {
			t.Fatal(err)
		}
		switch e := ev[0]; {
		case e.Outcome == "success" && out.Status == jobs.StatusCompleted && e.Target == "transfer:"+out.TransferID:
			want[from] -= amount
			want[to] += amount
			ok++
		case e.Outcome == out.Status && e.Outcome == "insufficient_funds":
			refused++
		default:
			t.Fatalf("occurrence %s: audit %+v disagrees with stored outcome %+v", key, e, out)
		}
	}
	for id, b := range want {
		a, err := db.AnyAccountByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if a.Balance != b {
			t.Fatalf("account %s balance %d, audit log says %d", id, a.Balance, b)
		}
	}
	rep, err := db.VerifyLedger(ctx)
	if err != nil || !rep.OK {
		t.Fatalf("ledger verify: %+v %v", rep, err)
	}
	// Opening deposits + one transfer per successful occurrence, nothing more.
	if rep.TransfersChecked != len(opening)+ok {
		t.Fatalf("%d transfers in the ledger, want %d deposits + %d occurrences", rep.TransfersChecked, len(opening), ok)
	}
	t.Logf("%d occurrences: %d paid, %d refused (insufficient funds), %d taken over after a lost lease", len(scheds), ok, refused, retried)
	if refused == 0 {
		t.Error("expected some occurrences of the 5.00 account to be refused")
	}
}
