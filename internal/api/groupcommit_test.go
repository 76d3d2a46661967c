package api_test

import (
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"testing"

	"github.com/bankapp/bankapp/internal/config"
	"github.com/bankapp/bankapp/internal/ledger"
)

func withoutGroupCommit(c *config.Config) { c.GroupCommit = false }

// TestGroupCommit sends 16 concurrent transfers from 16 customers to one
// merchant, two of which cannot be afforded: every affordable transfer
// lands once, the others get their own 422, all of them went through the
// group committer, and the ledger balances. The same runs with group commit
// off, as the reference.
func TestGroupCommit(t *testing.T) {
	for _, mode := range []struct {
		name string
		opts []envOption
	}{{"on", nil}, {"off", []envOption{withoutGroupCommit}}} {
		t.Run(mode.name, func(t *testing.T) {
			eachEngine(t, func(t *testing.T, e *env) {
				merchant := e.signUp("Merchant")
				mID, mNum := e.firstAccount(merchant)
				const n = 16
				type payer struct {
					u  *user
					id string
				}
				payers := make([]payer, n)
				for i := range payers {
					u := e.signUp(fmt.Sprintf("Payer%d", i))
					id, _ := e.firstAccount(u)
					if i >= 2 {
						e.depositTo(u, id, "10")
					}
					payers[i] = payer{u, id}
				}
				codes := make([]int, n)
				var wg sync.WaitGroup
				for i, p := range payers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						codes[i] = e.money(p.u, "/api/v1/transfers", map[string]any{"from_account_id": p.id, "to_account_number": mNum, "amount": "7.50"}, "").Status
					}()
				}
				wg.Wait()
				for i, c := range codes {
					want := 201
					if i < 2 {
						want = 422
					}
					if c != want {
						t.Fatalf("payer %d got %d, want %d", i, c, want)
					}
				}
				if got := e.balanceOf(merchant, mID); got != "105.00" {
					t.Fatalf("merchant balance = %s, want 105.00", got)
				}
				e.verify()
				// The histogram exists whether group commit is on or off; a
				// missing metric (renamed, unregistered) fails rather than
				// reading as zero.
				m := regexp.MustCompile(`(?m)^bankapp_group_commit_batch_size_sum (\d+)$`).FindStringSubmatch(e.metrics())
				if m == nil {
					t.Fatal("bankapp_group_commit_batch_size_sum is missing from the metrics")
				}
				total, _ := strconv.Atoi(m[1])
				if mode.name == "on" && total != n {
					t.Fatalf("group committer saw %d transfers, want %d", total, n)
				}
				if mode.name == "off" && total != 0 {
					t.Fatalf("group commit is off but the committer saw %d transfers", total)
				}
			}, mode.opts...)
		})
	}
}

// TestDailyLimitAcrossInstances runs two API servers (two group committers,
// so batches in separate transactions) on one database. One customer sends
// 40 concurrent transfers of 2,000.00: from her checking account to one
// receiver through the first server, from her savings account to another
// receiver through the second, so that the two servers' batches share no
// account row and only the day total stands between them and the limit. The
// 50,000.00 daily limit lets exactly 25 through, the others are refused with
// limit_exceeded, and the day total matches the transfers (ledger verify
// checks it). Reading the day total without locking it lets more through.
func TestDailyLimitAcrossInstances(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		e2 := newEnv(t, e.db)
		e.db.SetClock(e.clock.Now) // one clock for the database; both servers' clocks agree to the second
		recv := []*user{e.signUp("Receiver1"), e.signUp("Receiver2")}
		var nums []string
		for _, u := range recv {
			_, num := e.firstAccount(u)
			nums = append(nums, num)
		}
		// Four senders at once, each with her own 40 transfers.
		const senders, n = 4, 40
		codes := make([][]int, senders)
		var wg sync.WaitGroup
		for s := range senders {
			a := e.signUp(fmt.Sprintf("Sender%d", s))
			acct := []string{e.invAccount(a, "checking", 40_000_00), e.invAccount(a, "savings", 40_000_00)}
			codes[s] = make([]int, n)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					srv := e
					if i%2 == 1 {
						srv = e2
					}
					r := srv.money(a, "/api/v1/transfers", map[string]any{"from_account_id": acct[i%2], "to_account_number": nums[i%2], "amount": "2000.00"}, "")
					codes[s][i] = limitOutcome(t, "transfer", r)
				}()
			}
		}
		wg.Wait()
		for s := range senders {
			if ok := accepted(codes[s]); ok != 25 {
				t.Errorf("sender %d: %d transfers of 2,000.00 went through, want exactly 25 (the 50,000.00 daily limit)", s, ok)
			}
		}
		var received int64
		for _, u := range recv {
			id, _ := e.firstAccount(u)
			amt, err := ledger.ParseAmount(e.balanceOf(u, id), ledger.USD)
			if err != nil {
				t.Fatal(err)
			}
			received += amt.Minor
		}
		if received != senders*50_000_00 {
			t.Fatalf("receivers got %d minor units, want %d", received, senders*50_000_00)
		}
		e.verify()
	})
}

// TestDepositLimitAcrossInstances: a customer sends 12 concurrent deposits
// of 5,000.00 to two accounts through two servers; the 25,000.00 daily
// deposit limit lets exactly 5 through (the day total is locked while each
// is checked) and the others are refused with limit_exceeded.
func TestDepositLimitAcrossInstances(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		e2 := newEnv(t, e.db)
		e.db.SetClock(e.clock.Now)
		a := e.signUp("Depositor")
		acct := []string{e.invAccount(a, "checking", 0), e.invAccount(a, "savings", 0)}
		const n = 12
		codes := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				srv := e
				if i%2 == 1 {
					srv = e2
				}
				r := srv.money(a, "/api/v1/deposits", map[string]any{"account_id": acct[i%2], "amount": "5000.00"}, "")
				codes[i] = limitOutcome(t, "deposit", r)
			}()
		}
		wg.Wait()
		if ok := accepted(codes); ok != 5 {
			t.Fatalf("%d deposits of 5,000.00 went through, want exactly 5 (the 25,000.00 daily limit)", ok)
		}
		e.verify()
	})
}

// limitOutcome returns the status of a money request that may be refused
// only for the daily limit; any other answer fails the test.
func limitOutcome(t *testing.T, what string, r response) int {
	t.Helper()
	switch {
	case r.Status == 201:
	case r.Status == 422 && regexp.MustCompile(`"code":"limit_exceeded"`).Match(r.Body):
	default:
		t.Errorf("%s: %d %s, want 201 or 422 limit_exceeded", what, r.Status, r.Body)
	}
	return r.Status
}

// accepted counts the 201s.
func accepted(codes []int) int {
	n := 0
	for _, c := range codes {
		if c == 201 {
			n++
		}
	}
	return n
}
