package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/bankapp/bankapp/internal/telemetry"
)

// PasswordSource gives the PostgreSQL password for each new connection, for
// a password that changes while the server runs (a Secrets Manager secret
// that a rotation function changes every few weeks). Connections already
// open keep working after a change: PostgreSQL checks the password only when
// a connection starts.
type PasswordSource interface {
	// Current returns the password in force.
	Current(ctx context.Context) (string, error)
	// Pending returns the password that a rotation under way is setting, or
	// "" when there is none. Between the moment the rotation changes the
	// database's password and the moment it marks the new one current, only
	// the pending one works.
	Pending(ctx context.Context) (string, error)
}

// How long a fetched password serves new connections before it is fetched
// again, and how often at most an authentication failure forces a fetch
// (a wrong password must not turn every connection attempt into a call to
// Secrets Manager).
const (
	passwordTTL        = time.Minute
	passwordRefreshGap = time.Second
)

// credentials caches the password of a PasswordSource for both pools.
type credentials struct {
	src PasswordSource
	now func() time.Time

	mu      sync.Mutex
	current string    // the password new connections use first
	fetched time.Time // when current was fetched; zero: never
	forced  time.Time // last fetch forced by an authentication failure
}

// password returns the cached password, fetched again once it is older than
// passwordTTL. When the fetch fails a cached password is still used: the
// database may well accept it, and the connection's own error says more.
func (c *credentials) password(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.fetched.IsZero() && c.now().Sub(c.fetched) < passwordTTL {
		return c.current, nil
	}
	pw, err := c.src.Current(ctx)
	if err != nil {
		if !c.fetched.IsZero() {
			return c.current, nil
		}
		return "", fmt.Errorf("store: database password: %w", err)
	}
	c.current, c.fetched = pw, c.now()
	return pw, nil
}

// candidates returns the passwords to try after rejected failed: the current
// one fetched again (unless fetched within passwordRefreshGap) and the
// pending one of a rotation under way.
func (c *credentials) candidates(ctx context.Context, rejected string) ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.current == rejected && c.now().Sub(c.forced) >= passwordRefreshGap {
		c.forced = c.now()
		pw, err := c.src.Current(ctx)
		if err != nil {
			return nil, fmt.Errorf("store: database password: %w", err)
		}
		c.current, c.fetched = pw, c.now()
	}
	pending, err := c.src.Pending(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: database password (pending): %w", err)
	}
	var out []string
	for _, pw := range []string{c.current, pending} {
		if pw != "" && pw != rejected && (len(out) == 0 || out[0] != pw) {
			out = append(out, pw)
		}
	}
	return out, nil
}

// worked records that pw opened a connection: new connections use it first
// until the next fetch (the pending password of a rotation that has just
// changed the database is about to become the current one).
func (c *credentials) worked(pw string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.current = pw
}

// passwordKey carries the password of one connection attempt from
// rotatingConnector.Connect to the BeforeConnect hook.
type passwordKey struct{}

// rotatingConnector opens PostgreSQL connections with the password of the
// moment: a BeforeConnect hook puts it into each connection's configuration,
// and a connection refused for its password is tried again with the
// password fetched afresh, then with the pending one.
type rotatingConnector struct {
	base  driver.Connector
	creds *credentials
}

func newRotatingConnector(url string, creds *credentials) (*rotatingConnector, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: database URL: %w", err)
	}
	cfg.Tracer = telemetry.PGXTracer{}
	base := stdlib.GetConnector(*cfg, stdlib.OptionBeforeConnect(func(ctx context.Context, cc *pgx.ConnConfig) error {
		pw, ok := ctx.Value(passwordKey{}).(string)
		if !ok {
			return errors.New("store: connection attempt without a password")
		}
		cc.Password = pw
		return nil
	}))
	return &rotatingConnector{base: base, creds: creds}, nil
}

func (c *rotatingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	pw, err := c.creds.password(ctx)
	if err != nil {
		return nil, err
	}
	conn, err := c.base.Connect(context.WithValue(ctx, passwordKey{}, pw))
	if err == nil || !authFailed(err) {
		return conn, err
	}
	more, ferr := c.creds.candidates(ctx, pw)
	if ferr != nil {
		return nil, errors.Join(err, ferr)
	}
	for _, next := range more {
		conn, err = c.base.Connect(context.WithValue(ctx, passwordKey{}, next))
		if err == nil {
			c.creds.worked(next)
			return conn, nil
		}
		if !authFailed(err) {
			return nil, err
		}
	}
	return nil, err
}

func (c *rotatingConnector) Driver() driver.Driver { return c.base.Driver() }

// authFailed reports whether the server refused the password:
// invalid_password (28P01), or invalid_authorization_specification (28000),
// which some servers and poolers answer for a wrong password too.
func authFailed(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "28P01" || pg.Code == "28000")
}
