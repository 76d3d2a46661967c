package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// secretStub is a PasswordSource whose values the test sets, the way a
// rotation function moves a secret's AWSCURRENT and AWSPENDING labels.
type secretStub struct {
	mu               sync.Mutex
	current, pending string
	err              error
	currentCalls     int
}

func (s *secretStub) set(current, pending string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.current, s.pending = current, pending
}

func (s *secretStub) Current(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.currentCalls++
	return s.current, s.err
}

func (s *secretStub) Pending(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pending, s.err
}

func (s *secretStub) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.currentCalls
}

// TestPasswordRotationUnderRunningPool changes the password of a real
// PostgreSQL role (password authentication, scram-sha-256) while a pool
// holds connections: the open connections keep working, and every new one
// connects — after the secret changed but before the cache expired, in the
// window of a single-user rotation where only the pending password works,
// and after the rotation finished. A password that matches neither fails
// with PostgreSQL's authentication error and no password in the message.
func TestPasswordRotationUnderRunningPool(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	roleURL, alter := passwordRole(t, ctx)

	src := &secretStub{current: "pw-one"}
	db, err := Open(ctx, Options{URL: roleURL, Password: src, MaxConns: 8})
	if err != nil {
		t.Fatalf("open with the current password: %v", err)
	}
	defer db.Close()

	var held []*sql.Conn
	hold := func(what string) *sql.Conn {
		t.Helper()
		c, err := db.w.Conn(ctx) // the held ones are busy: a new connection unless one is idle
		if err != nil {
			t.Fatalf("%s: new connection: %v", what, err)
		}
		held = append(held, c)
		return c
	}
	defer func() {
		for _, c := range held {
			_ = c.Close()
		}
	}()
	pid := func(c *sql.Conn) (p int) {
		t.Helper()
		if err := c.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&p); err != nil {
			t.Fatalf("query on a held connection: %v", err)
		}
		return p
	}
	a := hold("first")
	pids := map[int]bool{pid(a): true}

	// The secret and the role change; the cache still holds the old one.
	alter("pw-two")
	src.set("pw-two", "")
	b := hold("after the change")
	pids[pid(b)] = true

	// Single-user rotation between setSecret and finishSecret: the role has
	// the pending password, the current label still names the old one.
	alter("pw-three")
	src.set("pw-two", "pw-three")
	c := hold("during the rotation")
	pids[pid(c)] = true

	// finishSecret: the pending password becomes current.
	src.set("pw-three", "")
	d := hold("after the rotation")
	pids[pid(d)] = true
	if len(pids) != 4 {
		t.Fatalf("want four distinct server connections, got backends %v", pids)
	}
	for _, conn := range held {
		pid(conn) // every connection, opened under any password, still works
	}

	alter("pw-unknown")
	_, err = db.w.Conn(ctx)
	if err == nil || !authFailed(err) {
		t.Fatalf("a password the secret does not hold must fail authentication, got %v", err)
	}
	for _, pw := range []string{"pw-three", "pw-unknown", "pw-two"} {
		if strings.Contains(err.Error(), pw) {
			t.Errorf("error leaks a password: %v", err)
		}
	}
}

// passwordRole creates a login role that the server checks with
// scram-sha-256, and returns a URL for it (without a password) and a
// function that changes its password. pg.sh starts clusters with trust
// authentication, so lines for this role alone go at the top of
// pg_hba.conf (first match wins) and the server reloads; they are removed
// when the test ends. A server whose pg_hba.conf is not writable here (a CI
// service container) must already ask for passwords.
func passwordRole(t *testing.T, ctx context.Context) (string, func(password string)) {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		if os.Getenv("BANKAPP_REQUIRE_PG") == "1" {
			t.Fatal("TEST_DATABASE_URL is not set but BANKAPP_REQUIRE_PG=1")
		}
		t.Skip("needs TEST_DATABASE_URL (make test starts PostgreSQL)")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	role := "rot_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:16]
	ident := pgx.Identifier{role}.Sanitize()
	alter := func(password string) {
		t.Helper()
		// ALTER ROLE takes no parameters; the passwords are the test's own.
		if _, err := admin.ExecContext(ctx, fmt.Sprintf(`ALTER ROLE %s PASSWORD '%s'`, ident, password)); err != nil {
			t.Fatalf("alter role: %v", err)
		}
	}
	if _, err := admin.ExecContext(ctx, fmt.Sprintf(`CREATE ROLE %s LOGIN PASSWORD 'pw-one'`, ident)); err != nil {
		t.Fatalf("create role: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`, role)
		_, _ = admin.Exec(fmt.Sprintf(`DROP ROLE IF EXISTS %s`, ident))
	})

	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	roleURL := u.String()

	var hba string
	if err := admin.QueryRowContext(ctx, `SHOW hba_file`).Scan(&hba); err != nil {
		t.Fatalf("show hba_file: %v", err)
	}
	if old, err := os.ReadFile(hba); err == nil {
		lines := fmt.Sprintf("host all %s 127.0.0.1/32 scram-sha-256\nhost all %s ::1/128 scram-sha-256\n", role, role)
		if err := os.WriteFile(hba, append([]byte(lines), old...), 0o600); err == nil {
			t.Cleanup(func() {
				cur, err := os.ReadFile(hba)
				if err == nil {
					_ = os.WriteFile(hba, []byte(strings.Replace(string(cur), lines, "", 1)), 0o600)
				}
				_, _ = admin.Exec(`SELECT pg_reload_conf()`)
			})
			if _, err := admin.ExecContext(ctx, `SELECT pg_reload_conf()`); err != nil {
				t.Fatalf("reload: %v", err)
			}
		}
	}
	// The reload is asynchronous: wait until a wrong password is refused.
	wrong := *u
	wrong.User = url.UserPassword(role, "not-the-password")
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := pgx.Connect(ctx, wrong.String())
		if err != nil && authFailed(err) {
			break
		}
		if c != nil {
			_ = c.Close(ctx)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server still accepts a wrong password for %s (trust authentication and pg_hba.conf %s not writable): %v", role, hba, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return roleURL, alter
}

// fakeClock is a clock the cache tests move by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestCredentialsCache(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	src := &secretStub{current: "a"}
	c := &credentials{src: src, now: clock.now}

	if pw, err := c.password(ctx); pw != "a" || err != nil || src.calls() != 1 {
		t.Fatalf("first: %q %v after %d fetches", pw, err, src.calls())
	}
	src.set("b", "")
	clock.t = clock.t.Add(passwordTTL - time.Second)
	if pw, _ := c.password(ctx); pw != "a" || src.calls() != 1 {
		t.Fatalf("within the TTL the cached password serves: %q after %d fetches", pw, src.calls())
	}
	clock.t = clock.t.Add(time.Second)
	if pw, _ := c.password(ctx); pw != "b" || src.calls() != 2 {
		t.Fatalf("after the TTL the password is fetched again: %q after %d fetches", pw, src.calls())
	}

	// Secrets Manager fails: the cached password is still offered.
	src.err = errors.New("throttled")
	clock.t = clock.t.Add(passwordTTL)
	if pw, err := c.password(ctx); pw != "b" || err != nil {
		t.Fatalf("a failed fetch keeps the cached password: %q %v", pw, err)
	}
	src.err = nil

	// An authentication failure forces a fetch, at most once per gap.
	src.set("c", "d")
	got, err := c.candidates(ctx, "b")
	if err != nil || strings.Join(got, ",") != "c,d" {
		t.Fatalf("candidates after b failed: %v %v", got, err)
	}
	calls := src.calls()
	src.set("e", "")
	clock.t = clock.t.Add(passwordRefreshGap / 2)
	if got, _ := c.candidates(ctx, "c"); strings.Join(got, ",") != "" || src.calls() != calls {
		t.Fatalf("within the gap no fetch: %v after %d fetches", got, src.calls()-calls)
	}
	clock.t = clock.t.Add(passwordRefreshGap)
	if got, _ := c.candidates(ctx, "c"); strings.Join(got, ",") != "e" {
		t.Fatalf("after the gap the current password is fetched again: %v", got)
	}

	// Never fetched and the source fails: an error without the password.
	bad := &credentials{src: &secretStub{err: errors.New("AccessDenied")}, now: clock.now}
	if _, err := bad.password(ctx); err == nil || !strings.Contains(err.Error(), "AccessDenied") {
		t.Fatalf("error %v", err)
	}
}
