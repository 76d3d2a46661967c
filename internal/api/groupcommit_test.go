package api_test

import (
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"testing"

	"github.com/bankapp/bankapp/internal/config"
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
				m := regexp.MustCompile(`bankapp_group_commit_batch_size_sum (\d+)`).FindSubmatch(e.do(req{Method: "GET", Path: "/metrics"}).Body)
				total := 0
				if m != nil {
					total, _ = strconv.Atoi(string(m[1]))
				}
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
