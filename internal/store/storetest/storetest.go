// Package storetest gives each test a fresh, migrated database: SQLite always,
// and PostgreSQL when TEST_DATABASE_URL points at a server (make test starts
// one). With BANKAPP_REQUIRE_PG=1 a missing PostgreSQL fails the test instead
// of skipping it, so CI cannot go green on SQLite alone.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bankapp/bankapp/internal/store"
)

// Engines is the list of engines Run uses on this machine.
func Engines(t testing.TB) []store.Dialect {
	e := []store.Dialect{store.SQLite}
	if PostgresURL(t) != "" {
		e = append(e, store.Postgres)
	}
	return e
}

// PostgresURL is TEST_DATABASE_URL, or "" (failing the test when
// BANKAPP_REQUIRE_PG=1).
func PostgresURL(t testing.TB) string {
	u := os.Getenv("TEST_DATABASE_URL")
	if u == "" && os.Getenv("BANKAPP_REQUIRE_PG") == "1" {
		t.Fatal("TEST_DATABASE_URL is not set but BANKAPP_REQUIRE_PG=1")
	}
	return u
}

// Run runs fn once per engine as subtests named "sqlite" and "postgres", each
// with its own fresh migrated database.
func Run(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Engines(t) {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a fresh migrated database of the dialect, closed (and on
// PostgreSQL dropped) when the test ends.
func Open(t testing.TB, d store.Dialect) *store.DB {
	t.Helper()
	return open(t, d, true)
}

// OpenEmpty returns a fresh database of the dialect with no migration
// applied (migration tests), closed (and on PostgreSQL dropped) when the
// test ends.
func OpenEmpty(t testing.TB, d store.Dialect) *store.DB {
	t.Helper()
	return open(t, d, false)
}

func open(t testing.TB, d store.Dialect, migrated bool) *store.DB {
	t.Helper()
	ctx := context.Background()
	var opts store.Options
	if d == store.Postgres {
		u := PostgresURL(t)
		if u == "" {
			t.Skip("PostgreSQL tests need TEST_DATABASE_URL (make test starts a server)")
		}
		if migrated {
			opts.URL = freshPostgres(t, u)
		} else {
			opts.URL = emptyPostgres(t, u)
		}
	} else {
		opts.DataDir = t.TempDir()
	}
	db, err := store.Open(ctx, opts)
	if err != nil {
		t.Fatalf("storetest: open %s: %v", d, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if d == store.SQLite && migrated {
		if _, err := db.MigrateUp(ctx); err != nil {
			t.Fatalf("storetest: migrate: %v", err)
		}
	}
	return db
}

// NewDatabaseURL creates a fresh migrated PostgreSQL database for a test that
// starts its own processes, and returns its URL.
func NewDatabaseURL(t testing.TB) string {
	u := PostgresURL(t)
	if u == "" {
		t.Skip("needs TEST_DATABASE_URL")
	}
	return freshPostgres(t, u)
}

// freshPostgres clones a migrated template database (made once per schema
// version, under an advisory lock so parallel test binaries don't race) and
// returns the clone's URL.
func freshPostgres(t testing.TB, base string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	defer admin.Close()
	tmpl := "bankapp_tmpl_" + store.SchemaFingerprint()
	conn, err := admin.Conn(ctx)
	if err != nil {
		t.Fatalf("storetest: connect: %v", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(784512)`); err != nil {
		t.Fatalf("storetest: lock: %v", err)
	}
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, tmpl).Scan(&exists); err != nil {
		t.Fatalf("storetest: %v", err)
	}
	if !exists {
		if err := makeTemplate(ctx, conn, base, tmpl); err != nil {
			_, _ = conn.ExecContext(ctx, `SELECT pg_advisory_unlock(784512)`)
			t.Fatalf("storetest: template: %v", err)
		}
	}
	name := "t_" + strings.ReplaceAll(uuid.NewString(), "-", "")
	// Cloning needs the template to have no other sessions; the lock keeps
	// other harnesses from connecting to it meanwhile.
	_, err = conn.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, tmpl))
	_, _ = conn.ExecContext(ctx, `SELECT pg_advisory_unlock(784512)`)
	if err != nil {
		t.Fatalf("storetest: create database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.Exec(fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name))
	})
	return withDatabase(t, base, name)
}

func makeTemplate(ctx context.Context, conn *sql.Conn, base, tmpl string) error {
	building := tmpl + "_building"
	_, _ = conn.ExecContext(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, building))
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %s`, building)); err != nil {
		return err
	}
	db, err := store.Open(ctx, store.Options{URL: withDatabase(nil, base, building), MaxConns: 2})
	if err != nil {
		return err
	}
	_, err = db.MigrateUp(ctx)
	_ = db.Close()
	if err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, fmt.Sprintf(`ALTER DATABASE %s RENAME TO %s`, building, tmpl))
	return err
}

func withDatabase(t testing.TB, base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		if t != nil {
			t.Fatalf("storetest: TEST_DATABASE_URL: %v", err)
		}
		return base
	}
	u.Path = "/" + name
	return u.String()
}

// emptyPostgres creates an empty database (no migration) and returns its
// URL; it is dropped when the test ends.
func emptyPostgres(t testing.TB, u string) string {
	t.Helper()
	ctx := context.Background()
	admin, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	defer admin.Close()
	name := "e_" + strings.ReplaceAll(uuid.NewString(), "-", "")
	if _, err := admin.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %s`, name)); err != nil {
		t.Fatalf("storetest: create database: %v", err)
	}
	t.Cleanup(func() {
		if a, err := sql.Open("pgx", u); err == nil {
			_, _ = a.Exec(fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name))
			_ = a.Close()
		}
	})
	return withDatabase(t, u, name)
}
