package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// client speaks BankApp's JSON API through the load balancer. It writes
// HTTP/1.1 itself on kept-alive connections, one request at a time per
// connection (net/http's parser reads the answers): net/http's Transport
// costs about twice the CPU per request (two goroutines per connection and
// a pool), and every microsecond the load generator spends is taken from
// the server under test on this shared machine.
type client struct {
	base string // http://host:port
	addr string // host:port
	host string
	idle chan *wire
}

// wire is one kept-alive connection.
type wire struct {
	c   net.Conn
	br  *bufio.Reader
	out []byte // the request being written, reused
}

func newClient(base string, conns int) *client {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		// run checks -url first; an invalid one fails every request below.
		return &client{base: base, idle: make(chan *wire, 1)}
	}
	return &client{base: base, addr: u.Host, host: u.Host, idle: make(chan *wire, conns*2)}
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

func (c *client) get(ctx context.Context) (*wire, error) {
	select {
	case w := <-c.idle:
		return w, nil
	default:
	}
	if c.addr == "" {
		return nil, fmt.Errorf("bankload: -url %q is not http://host:port", c.base)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", c.addr)
	if err != nil {
		return nil, err
	}
	return &wire{c: conn, br: bufio.NewReaderSize(conn, 16<<10), out: make([]byte, 0, 1024)}, nil
}

func (c *client) put(w *wire) {
	select {
	case c.idle <- w:
	default:
		_ = w.c.Close()
	}
}

// do sends one request; a transport error is returned as err with status 0.
func (c *client) do(ctx context.Context, method, path, token, idemKey string, in any) (reply, error) {
	var body []byte
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return reply{}, fmt.Errorf("encode %s %s: %w", method, path, err)
		}
		body = b
	}
	if ended(ctx) {
		return reply{}, fmt.Errorf("%s %s: %w", method, path, context.DeadlineExceeded)
	}
	w, err := c.get(ctx)
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: %w", method, path, err)
	}
	deadline := time.Now().Add(30 * time.Second)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	_ = w.c.SetDeadline(deadline)
	r, keep, err := w.roundTrip(c.host, method, path, token, idemKey, body)
	if err != nil {
		_ = w.c.Close()
		return reply{status: r.status}, fmt.Errorf("%s %s: %w", method, path, err)
	}
	if keep {
		c.put(w)
	} else {
		_ = w.c.Close()
	}
	return r, nil
}

func (w *wire) roundTrip(host, method, path, token, idemKey string, body []byte) (reply, bool, error) {
	q := append(w.out[:0], method...)
	q = append(q, ' ')
	q = append(q, path...)
	q = append(q, " HTTP/1.1\r\nHost: "...)
	q = append(q, host...)
	q = append(q, "\r\nUser-Agent: bankload\r\n"...)
	if token != "" {
		q = append(q, "Authorization: Bearer "...)
		q = append(q, token...)
		q = append(q, "\r\n"...)
	}
	if idemKey != "" {
		q = append(q, "Idempotency-Key: "...)
		q = append(q, idemKey...)
		q = append(q, "\r\n"...)
	}
	if body != nil {
		q = append(q, "Content-Type: application/json\r\nContent-Length: "...)
		q = strconv.AppendInt(q, int64(len(body)), 10)
		q = append(q, "\r\n\r\n"...)
		q = append(q, body...)
	} else {
		q = append(q, "\r\n"...)
	}
	w.out = q
	if _, err := w.c.Write(q); err != nil {
		return reply{}, false, err
	}
	resp, err := http.ReadResponse(w.br, nil)
	if err != nil {
		return reply{}, false, err
	}
	b, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return reply{status: resp.StatusCode}, false, fmt.Errorf("read body: %w", err)
	}
	return reply{status: resp.StatusCode, body: b, replayed: resp.Header.Get("Idempotent-Replayed") == "true"}, !resp.Close, nil
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
