package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// customer is one pre-created user with a funded checking account (and a
// brokerage account for the full mix).
type customer struct {
	email, password string
	checkingID      string
	checkingNumber  string
	brokerageID     string

	mu    sync.Mutex
	token string
}

func (u *customer) accessToken() string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.token
}

func (u *customer) setToken(t string) {
	u.mu.Lock()
	u.token = t
	u.mu.Unlock()
}

// login signs the customer in and keeps the access token.
func (u *customer) login(ctx context.Context, c *client) error {
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := c.expect(ctx, http.StatusOK, "POST", "/api/v1/auth/login", "", "",
		map[string]string{"email": u.email, "password": u.password}, &out); err != nil {
		return err
	}
	u.setToken(out.AccessToken)
	return nil
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

type account struct {
	ID     string `json:"id"`
	Number string `json:"number"`
	Type   string `json:"type"`
}

// setupCustomers registers n customers (plus the merchant for the hot-account
// mix as customer 0), signs them in and funds each checking account with
// deposit (a decimal string). brokerage adds a funded brokerage account.
func setupCustomers(ctx context.Context, c *client, run string, n, par int, deposit string, brokerage bool) ([]*customer, error) {
	users := make([]*customer, n)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(par)
	for i := range users {
		g.Go(func() error {
			u := &customer{email: fmt.Sprintf("load-%s-%d@example.com", run, i), password: "Lg-" + randHex(12)}
			users[i] = u
			return setupOne(gctx, c, u, deposit, brokerage)
		})
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	return users, nil
}

func setupOne(ctx context.Context, c *client, u *customer, deposit string, brokerage bool) error {
	if err := c.expect(ctx, http.StatusCreated, "POST", "/api/v1/auth/register", "", "",
		map[string]string{"email": u.email, "password": u.password, "full_name": "Load Customer"}, nil); err != nil {
		return err
	}
	if err := u.login(ctx, c); err != nil {
		return err
	}
	var list struct {
		Items []account `json:"items"`
	}
	if err := c.expect(ctx, http.StatusOK, "GET", "/api/v1/accounts", u.token, "", nil, &list); err != nil {
		return err
	}
	for _, a := range list.Items {
		if a.Type == "checking" {
			u.checkingID, u.checkingNumber = a.ID, a.Number
		}
	}
	if u.checkingID == "" {
		return fmt.Errorf("%s: no checking account after register", u.email)
	}
	if err := retryPost(ctx, c, u.token, "/api/v1/deposits",
		map[string]string{"account_id": u.checkingID, "amount": deposit, "description": "bankload funding"}); err != nil {
		return err
	}
	if !brokerage {
		return nil
	}
	var acc struct {
		Account account `json:"account"`
	}
	if err := c.expect(ctx, http.StatusCreated, "POST", "/api/v1/accounts", u.token, "",
		map[string]string{"type": "brokerage", "name": "Load brokerage"}, &acc); err != nil {
		return err
	}
	u.brokerageID = acc.Account.ID
	return retryPost(ctx, c, u.token, "/api/v1/transfers", map[string]string{
		"from_account_id": u.checkingID, "to_account_number": acc.Account.Number, "amount": "2000.00", "description": "bankload brokerage funding"})
}

// retryPost sends a money-moving POST until it gets 201, reusing one key.
func retryPost(ctx context.Context, c *client, token, path string, body any) error {
	key := randHex(16)
	var last error
	for attempt := 0; attempt < 10; attempt++ {
		r, err := c.do(ctx, "POST", path, token, key, body)
		if err == nil && r.status == http.StatusCreated {
			return nil
		}
		if !retryable(r, err) {
			return &statusError{method: "POST", path: path, status: r.status, body: string(truncate(r.body, 300))}
		}
		last = err
		if last == nil {
			last = fmt.Errorf("HTTP %d", r.status)
		}
		time.Sleep(time.Duration(50<<attempt) * time.Millisecond)
	}
	return fmt.Errorf("POST %s: gave up: %w", path, last)
}

func query(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return "?" + v.Encode()
}
