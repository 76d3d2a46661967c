package auth_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// The identity rules tested without HTTP, on both engines.

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newService(t *testing.T, db *store.DB) (*auth.Service, *clock) {
	t.Helper()
	clk := &clock{t: time.Now().UTC()}
	db.SetClock(clk.Now)
	tokens, err := auth.NewTokens([]byte("auth-service-test-key-of-32-bytes!!"), "bankapp", 15*time.Minute, clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	s, err := auth.New(auth.Options{Store: db.Auth(), Tokens: tokens, Hasher: auth.Argon2id{}, Now: clk.Now,
		Settings: auth.Settings{RefreshTTL: 720 * time.Hour, MaxAge: 12 * time.Hour, IdleTimeout: 30 * time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	return s, clk
}

const pw = "a-long-enough-Passw0rd!"

func TestRegisterLoginRefresh(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, clk := newService(t, db)
		ctx := context.Background()
		c := audit.Caller{IP: "192.0.2.1", RequestID: "r1"}
		u, err := s.Register(ctx, c, "reg@example.com", pw, "Reg")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Register(ctx, c, "reg@example.com", pw, "Again"); err == nil {
			t.Fatal("a second registration with the same email succeeded")
		}
		in, err := s.Login(ctx, c, auth.Credentials{Email: "reg@example.com", Password: pw})
		if err != nil || in.User.ID != u.ID || in.Access == "" || in.Refresh == "" {
			t.Fatalf("login: %+v %v", in, err)
		}
		// Rotation: the new refresh token works, the old one ends the session.
		next, err := s.Refresh(ctx, c, in.Refresh)
		if err != nil || next.Refresh == "" || next.Refresh == in.Refresh {
			t.Fatalf("refresh: %+v %v", next, err)
		}
		if _, err := s.Refresh(ctx, c, in.Refresh); !errors.Is(err, auth.ErrRefreshReused) {
			t.Fatalf("reuse of a spent token: %v", err)
		}
		if _, err := s.Refresh(ctx, c, next.Refresh); !errors.Is(err, auth.ErrUnauthorized) {
			t.Fatalf("after reuse the session must be over: %v", err)
		}
		// Idle timeout: a token unused for 30 minutes is dead.
		in, err = s.Login(ctx, c, auth.Credentials{Email: "reg@example.com", Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		clk.Add(31 * time.Minute)
		if _, err := s.Refresh(ctx, c, in.Refresh); !errors.Is(err, auth.ErrUnauthorized) {
			t.Fatalf("idle session refreshed: %v", err)
		}
	})
}

func TestLockoutIsPerEmailAndCountsRechecks(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, clk := newService(t, db)
		ctx := context.Background()
		c := audit.Caller{IP: "192.0.2.1"}
		u, err := s.Register(ctx, c, "lock@example.com", pw, "Lock")
		if err != nil {
			t.Fatal(err)
		}
		// Five wrong sign-ins and five wrong re-checks share one count.
		for range 5 {
			if _, err := s.Login(ctx, c, auth.Credentials{Email: "lock@example.com", Password: "wrong-password-1"}); !errors.Is(err, auth.ErrInvalidCredentials) {
				t.Fatalf("wrong password: %v", err)
			}
		}
		me := audit.Caller{UserID: u.ID, IP: "192.0.2.1"}
		for i := range 5 {
			_, err := s.Reauthenticate(ctx, me, "wrong-password-1", "password_change", "wrong")
			var ae *auth.Error
			if !errors.As(err, &ae) || (i < 4 && ae.Code != "invalid_credentials") || (i == 4 && ae.Code != "account_locked") {
				t.Fatalf("re-check %d: %v", i, err)
			}
		}
		if _, err := s.Login(ctx, c, auth.Credentials{Email: "lock@example.com", Password: pw}); err == nil || err.(*auth.Error).Code != "account_locked" {
			t.Fatalf("the right password during the lock: %v", err)
		}
		clk.Add(15*time.Minute + time.Second)
		if _, err := s.Login(ctx, c, auth.Credentials{Email: "lock@example.com", Password: pw}); err != nil {
			t.Fatalf("after the lock: %v", err)
		}
	})
}
