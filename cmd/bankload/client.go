package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// client speaks BankApp's JSON API through the load balancer.
type client struct {
	base string
	http *http.Client
}

func newClient(base string, conns int) *client {
	tr := &http.Transport{
		MaxIdleConns:        conns * 2,
		MaxIdleConnsPerHost: conns * 2,
		IdleConnTimeout:     90 * time.Second,
	}
	return &client{base: base, http: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

// reply is one HTTP answer: status, body and the replay header.
type reply struct {
	status   int
	body     []byte
	replayed bool
}

// problem is the code of an RFC 9457 problem document, or "".
func (r reply) problem() string {
	var p struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal(r.body, &p)
	return p.Code
}

// do sends one request; a transport error is returned as err with status 0.
func (c *client) do(ctx context.Context, method, path, token, idemKey string, in any) (reply, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return reply{}, fmt.Errorf("encode %s %s: %w", method, path, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return reply{}, fmt.Errorf("request %s %s: %w", method, path, err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if idemKey != "" {
		req.Header.Set("Idempotency-Key", idemKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{status: resp.StatusCode}, fmt.Errorf("%s %s: read body: %w", method, path, err)
	}
	return reply{status: resp.StatusCode, body: b, replayed: resp.Header.Get("Idempotent-Replayed") == "true"}, nil
}

// expect sends a request and decodes a reply with the wanted status into out.
func (c *client) expect(ctx context.Context, want int, method, path, token, idemKey string, in, out any) error {
	r, err := c.do(ctx, method, path, token, idemKey, in)
	if err != nil {
		return err
	}
	if r.status != want {
		return &statusError{method: method, path: path, status: r.status, body: string(truncate(r.body, 300))}
	}
	if out != nil {
		if err := json.Unmarshal(r.body, out); err != nil {
			return fmt.Errorf("%s %s: decode: %w", method, path, err)
		}
	}
	return nil
}

// statusError is an unexpected HTTP status.
type statusError struct {
	method, path string
	status       int
	body         string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d: %s", e.method, e.path, e.status, e.body)
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// retryable reports whether an attempt may be repeated with the same
// Idempotency-Key: no answer, a server or gateway error, a key still in
// flight, or a rate limit.
func retryable(r reply, err error) bool {
	if err != nil {
		return true
	}
	switch {
	case r.status >= 500:
		return true
	case r.status == http.StatusTooManyRequests:
		return true
	case r.status == http.StatusConflict && r.problem() == "idempotency_key_in_progress":
		return true
	}
	return false
}
