// Package coingecko is a client for the CoinGecko API v3 (public, demo-key
// or pro-key). It speaks CoinGecko coin ids ("bitcoin"); mapping tickers to
// ids is the caller's job. Numbers are decoded from the JSON text straight
// into exact decimals, never through float64.
package coingecko

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Public base URLs; the client appends /api/v3/… .
const (
	DefaultBaseURL = "https://api.coingecko.com"
	ProBaseURL     = "https://pro-api.coingecko.com"
)

// Key headers: a demo key goes to the public host, a pro key to the pro host.
const (
	DemoKeyHeader = "x-cg-demo-api-key"
	ProKeyHeader  = "x-cg-pro-api-key"
)

// DefaultUserAgent is sent on every request.
const DefaultUserAgent = "BankApp/1.0 (+https://github.com/bankapp/bankapp)"

const maxBody = 4 << 20

// Config configures a Client.
type Config struct {
	// BaseURL defaults to DefaultBaseURL, or ProBaseURL when Pro is set. A
	// trailing /api/v3 is tolerated.
	BaseURL string
	// APIKey is sent in DemoKeyHeader, or ProKeyHeader when Pro is set.
	// Empty: no key (the keyless public tier).
	APIKey string
	Pro    bool
	// HTTPClient defaults to http.DefaultClient; give it a Timeout.
	HTTPClient *http.Client
	UserAgent  string
}

// Client calls CoinGecko. Construct it with New.
type Client struct {
	baseURL   string
	keyHeader string
	apiKey    string
	http      *http.Client
	userAgent string
}

// New returns a client for cfg.
func New(cfg Config) *Client {
	c := &Client{baseURL: cfg.BaseURL, apiKey: cfg.APIKey, http: cfg.HTTPClient, userAgent: cfg.UserAgent, keyHeader: DemoKeyHeader}
	if cfg.Pro {
		c.keyHeader = ProKeyHeader
	}
	if c.baseURL == "" {
		c.baseURL = DefaultBaseURL
		if cfg.Pro {
			c.baseURL = ProBaseURL
		}
	}
	c.baseURL = strings.TrimSuffix(strings.TrimRight(c.baseURL, "/"), "/api/v3")
	if c.http == nil {
		c.http = http.DefaultClient
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	return c
}

// APIError is a CoinGecko error: a non-200 status, or a 200 whose body
// carries status.error_code (the free tier does that when rate limiting).
type APIError struct {
	Status     int // HTTP status
	Code       int // status.error_code, when present
	Message    string
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	return fmt.Sprintf("coingecko: HTTP %d, error_code %d: %s", e.Status, e.Code, e.Message)
}

// RateLimited reports whether the error is a rate limit (HTTP or body 429).
func (e *APIError) RateLimited() bool { return e.Status == 429 || e.Code == 429 }

// NotFoundError is CoinGecko's answer for an unknown coin id.
type NotFoundError struct {
	ID string
}

func (e *NotFoundError) Error() string { return fmt.Sprintf("unknown coin %q", e.ID) }

// ErrorCode returns "not_found".
func (e *NotFoundError) ErrorCode() string { return "not_found" }

// ErrMalformed wraps bodies that are not the expected JSON shape.
var ErrMalformed = errors.New("coingecko: malformed response")

// errorBody covers both error shapes: {"status":{"error_code":..,"error_message":..}}
// and {"error": "..."}.
type errorBody struct {
	Status *struct {
		ErrorCode    int    `json:"error_code"`
		ErrorMessage string `json:"error_message"`
	} `json:"status"`
	Error any `json:"error"`
}

// get fetches path?query and returns the body of a successful answer.
func (c *Client) get(ctx context.Context, path string, q url.Values) ([]byte, error) {
	u := c.baseURL + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("coingecko: build request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if c.apiKey != "" {
		req.Header.Set(c.keyHeader, c.apiKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("coingecko: GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("coingecko: read %s: %w", path, err)
	}
	var eb errorBody
	_ = json.Unmarshal(body, &eb) // best effort: the body may be any shape
	if resp.StatusCode == http.StatusOK && (eb.Status == nil || eb.Status.ErrorCode == 0) && eb.Error == nil {
		return body, nil
	}
	ae := &APIError{Status: resp.StatusCode, RetryAfter: retryAfter(resp.Header.Get("Retry-After"))}
	switch {
	case eb.Status != nil:
		ae.Code, ae.Message = eb.Status.ErrorCode, eb.Status.ErrorMessage
	case eb.Error != nil:
		ae.Message = fmt.Sprint(eb.Error)
	default:
		ae.Message = snippet(body)
	}
	return nil, ae
}

func retryAfter(v string) time.Duration {
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
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
