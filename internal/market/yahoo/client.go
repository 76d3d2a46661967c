// Package yahoo is a client for the public Yahoo Finance chart and search
// endpoints (no key, no cookie/crumb handshake). Numbers are decoded from
// the JSON text straight into exact decimals, never through float64.
package yahoo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultBaseURL is the public Yahoo Finance API host.
const DefaultBaseURL = "https://query1.finance.yahoo.com"

// DefaultUserAgent is sent on every request; Yahoo refuses some clients
// that send none.
const DefaultUserAgent = "Mozilla/5.0 (compatible; BankApp/1.0; +https://github.com/bankapp/bankapp)"

// maxBody bounds how much of a response is read (a 5y weekly chart is ~30 KiB).
const maxBody = 4 << 20

// Client calls Yahoo Finance. Construct it with New.
type Client struct {
	baseURL   string
	http      *http.Client
	userAgent string
}

// New returns a client for baseURL (DefaultBaseURL when empty) using hc
// (http.DefaultClient when nil; give it a Timeout).
func New(baseURL string, hc *http.Client) *Client {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{baseURL: strings.TrimRight(baseURL, "/"), http: hc, userAgent: DefaultUserAgent}
}

// WithUserAgent returns a copy of c that sends ua.
func (c *Client) WithUserAgent(ua string) *Client {
	cp := *c
	cp.userAgent = ua
	return &cp
}

// NotFoundError is Yahoo's answer for a symbol it does not know.
type NotFoundError struct {
	Symbol string
}

func (e *NotFoundError) Error() string { return fmt.Sprintf("unknown symbol %q", e.Symbol) }

// ErrorCode returns "not_found".
func (e *NotFoundError) ErrorCode() string { return "not_found" }

// StatusError is an unexpected HTTP status (429 rate limit, 5xx, 401 …).
type StatusError struct {
	Status     int
	RetryAfter time.Duration // from Retry-After, when sent
	Body       string        // first bytes of the body, for logs
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("yahoo: HTTP %d: %s", e.Status, e.Body)
}

// ErrMalformed wraps bodies that are not the expected JSON shape.
var ErrMalformed = errors.New("yahoo: malformed response")

// get sends a GET for path?query and returns the body of a 200 answer. For
// other statuses it returns the body too (for 404 parsing) with a
// *StatusError.
func (c *Client) get(ctx context.Context, path string, q url.Values) ([]byte, error) {
	u := c.baseURL + path + "?" + q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("yahoo: build request: %w", err)
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("yahoo: GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("yahoo: read %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return body, &StatusError{Status: resp.StatusCode, RetryAfter: retryAfter(resp.Header.Get("Retry-After")), Body: snippet(body)}
	}
	return body, nil
}

func retryAfter(v string) time.Duration {
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t)
	}
	return 0
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
