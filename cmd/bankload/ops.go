package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Outcomes of one logical operation (after the client's own retries).
const (
	outOK       = iota // 2xx
	outRejected        // an answer the contract allows (422 insufficient funds, 503 no quote for an order)
	outFailed          // no answer, 5xx, or anything unexpected
)

// weights is an operation mix: name → relative weight.
type weights []struct {
	op string
	w  int
}

var mixes = map[string]weights{
	"transfers": {{"transfer", 1}},
	"hot":       {{"hot_transfer", 1}},
	// chaos: the money-moving load of the chaos scenarios, with the reads a
	// customer makes around it (history reads go to the replica).
	"chaos": {{"transfer", 60}, {"accounts", 15}, {"history", 15}, {"transfers_list", 10}},
	"read":  {{"accounts", 35}, {"history", 30}, {"transfers_list", 15}, {"quotes", 15}, {"me", 5}},
	"full": {{"login", 2}, {"accounts", 25}, {"history", 18}, {"transfers_list", 8}, {"quotes", 10},
		{"transfer", 25}, {"order", 5}, {"portfolio", 7}},
}

func (w weights) pick(r *rand.Rand) string {
	total := 0
	for _, x := range w {
		total += x.w
	}
	n := r.IntN(total)
	for _, x := range w {
		if n < x.w {
			return x.op
		}
		n -= x.w
	}
	return w[len(w)-1].op
}

// committed is a transfer the server answered 201 for.
type committed struct {
	key, id string
}

// book records every acknowledged transfer and every attempt's outcome over
// time, for the ledger checks and the chaos recovery figures.
type book struct {
	mu        sync.Mutex
	committed []committed
	byKey     map[string]string
	mismatch  int // a replay answered another transfer id than the first 201
	attempts  []attempt
}

type attempt struct {
	at time.Time
	ok bool
}

func newBook() *book { return &book{byKey: map[string]string{}} }

func (b *book) commit(key, id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if prev, ok := b.byKey[key]; ok {
		if prev != id {
			b.mismatch++
		}
		return
	}
	b.byKey[key] = id
	b.committed = append(b.committed, committed{key, id})
}

func (b *book) attempt(ok bool) {
	b.mu.Lock()
	b.attempts = append(b.attempts, attempt{time.Now(), ok})
	b.mu.Unlock()
}

// env is what a worker needs.
type env struct {
	c        *client
	users    []*customer
	merchant *customer
	run      string
	book     *book
	symbols  []string
}

// tally is one worker's counts for one step.
type tally struct {
	ops, ok, rejected, failed int
	attempts, failedAttempts  int
	retried, transfers        int
	lat                       []time.Duration
	transferLat               []time.Duration
	errs                      map[string]int
}

func (t *tally) add(o tally) {
	t.ops += o.ops
	t.ok += o.ok
	t.rejected += o.rejected
	t.failed += o.failed
	t.attempts += o.attempts
	t.failedAttempts += o.failedAttempts
	t.retried += o.retried
	t.transfers += o.transfers
	t.lat = append(t.lat, o.lat...)
	t.transferLat = append(t.transferLat, o.transferLat...)
	for k, v := range o.errs {
		if t.errs == nil {
			t.errs = map[string]int{}
		}
		t.errs[k] += v
	}
}

func (t *tally) noteErr(what string) {
	if t.errs == nil {
		t.errs = map[string]int{}
	}
	t.errs[what]++
}

// runOp performs one operation for a random customer and records it.
func (e *env) runOp(ctx context.Context, r *rand.Rand, op string, t *tally) {
	u := e.users[r.IntN(len(e.users))]
	start := time.Now()
	var out int
	switch op {
	case "transfer", "hot_transfer":
		to := e.users[r.IntN(len(e.users))]
		for to == u && len(e.users) > 1 {
			to = e.users[r.IntN(len(e.users))]
		}
		if op == "hot_transfer" {
			to = e.merchant
		}
		out = e.transfer(ctx, r, u, to, t)
		t.transferLat = append(t.transferLat, time.Since(start))
		if out == outOK {
			t.transfers++
		}
	case "login":
		out = e.read(ctx, u, t, func() (reply, error) {
			return e.c.do(ctx, "POST", "/api/v1/auth/login", "", "", map[string]string{"email": u.email, "password": u.password})
		})
	case "order":
		out = e.order(ctx, r, u, t)
	default:
		path := map[string]string{
			"accounts":       "/api/v1/accounts",
			"me":             "/api/v1/me",
			"history":        "/api/v1/accounts/" + u.checkingID + "/transactions" + query("limit", "20"),
			"transfers_list": "/api/v1/transfers" + query("limit", "20"),
			"quotes":         "/api/v1/market/quotes" + query("symbols", e.symbols[r.IntN(len(e.symbols))]+","+e.symbols[r.IntN(len(e.symbols))]),
			"portfolio":      "/api/v1/portfolio",
		}[op]
		out = e.read(ctx, u, t, func() (reply, error) { return e.c.do(ctx, "GET", path, u.accessToken(), "", nil) })
	}
	if ended(ctx) && out == outFailed {
		return // the step ended mid-request: not counted
	}
	t.ops++
	t.lat = append(t.lat, time.Since(start))
	switch out {
	case outOK:
		t.ok++
	case outRejected:
		t.rejected++
	default:
		t.failed++
	}
}

// read sends a non-money request once (after signing in again on 401).
func (e *env) read(ctx context.Context, u *customer, t *tally, send func() (reply, error)) int {
	r, err := send()
	t.attempts++
	if err == nil && r.status == http.StatusUnauthorized {
		if u.login(ctx, e.c) == nil {
			r, err = send()
		}
	}
	if err == nil && r.status/100 == 2 {
		return outOK
	}
	if ended(ctx) {
		return outFailed // cut off by the end of the step: not counted
	}
	t.failedAttempts++
	t.noteErr(errKind(r, err))
	return outFailed
}

func errKind(r reply, err error) string {
	if err != nil {
		msg := err.Error()
		if i := strings.LastIndex(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		return "transport (" + msg + ")"
	}
	if c := r.problem(); c != "" {
		return fmt.Sprintf("%d %s", r.status, c)
	}
	return fmt.Sprintf("%d", r.status)
}

// transfer moves a small random amount from u to "to", retrying with the
// same Idempotency-Key (and body) on anything retryable for up to 20 s.
func (e *env) transfer(ctx context.Context, r *rand.Rand, u, to *customer, t *tally) int {
	key := randHex(16)
	body := map[string]string{
		"from_account_id":   u.checkingID,
		"to_account_number": to.checkingNumber,
		"amount":            fmt.Sprintf("%d.%02d", r.IntN(2), 1+r.IntN(99)),
		"description":       "bankload " + e.run + "/" + key,
	}
	return e.moneyPost(ctx, u, "/api/v1/transfers", key, body, t, func(b []byte) string {
		var v struct {
			Transfer struct {
				ID string `json:"id"`
			} `json:"transfer"`
		}
		_ = json.Unmarshal(b, &v)
		return v.Transfer.ID
	})
}

func (e *env) order(ctx context.Context, r *rand.Rand, u *customer, t *tally) int {
	body := map[string]string{"account_id": u.brokerageID, "symbol": e.symbols[r.IntN(len(e.symbols))], "side": "buy", "notional": fmt.Sprintf("%d.00", 1+r.IntN(5))}
	return e.moneyPost(ctx, u, "/api/v1/orders", randHex(16), body, t, nil)
}

// moneyPost is the client side of the idempotency protocol.
func (e *env) moneyPost(ctx context.Context, u *customer, path, key string, body any, t *tally, idOf func([]byte) string) int {
	deadline := time.Now().Add(20 * time.Second)
	backoff := 25 * time.Millisecond
	for n := 0; ; n++ {
		// The retry is not cut short by the end of the step: an
		// acknowledged-or-not transfer must be settled before we verify.
		rep, err := e.c.do(context.WithoutCancel(ctx), "POST", path, u.accessToken(), key, body)
		t.attempts++
		if n == 1 {
			t.retried++
		}
		if err == nil && rep.status == http.StatusUnauthorized && n < 3 && u.login(ctx, e.c) == nil {
			continue
		}
		ok := err == nil && rep.status == http.StatusCreated
		if idOf != nil {
			e.book.attempt(ok)
		}
		if ok {
			if idOf != nil {
				e.book.commit(key, idOf(rep.body))
			}
			return outOK
		}
		if err == nil && (rep.status == http.StatusUnprocessableEntity || (rep.status == 503 && rep.problem() == "market_data_unavailable")) {
			return outRejected
		}
		t.failedAttempts++
		t.noteErr(errKind(rep, err))
		if !retryable(rep, err) || time.Now().After(deadline) {
			return outFailed
		}
		time.Sleep(backoff)
		backoff = min(backoff*2, time.Second)
	}
}

// ended reports whether the step's context is over. A connection's I/O
// deadline (the context's deadline) can pass a moment before the context's
// own timer marks it done; requests failing in that moment are the step's
// end, not errors.
func ended(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	d, ok := ctx.Deadline()
	return ok && !time.Now().Before(d)
}
