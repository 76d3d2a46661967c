// Package store is the only package that speaks SQL. One implementation over
// database/sql serves PostgreSQL (pgx) and SQLite (modernc.org/sqlite, cgo
// free); where a query must differ, the dialect supplies a variant.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // also registers the "pgx" driver
	_ "modernc.org/sqlite"           // registers the "sqlite" driver

	"github.com/bankapp/bankapp/internal/store/dsn"
	"github.com/bankapp/bankapp/internal/telemetry"
)

// Dialect names the SQL engine behind a DB.
type Dialect string

// The two engines BankApp runs on.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DB is BankApp's database: a pool for writes (and reads that must see them)
// and a pool for read-only queries, which is the replica when one is set.
type DB struct {
	w       *sql.DB
	r       *sql.DB
	dialect Dialect
	now     func() time.Time
	rep     *replica // nil without a read replica
	stmts   stmtCache
}

// Options configures Open.
type Options struct {
	URL     string // postgres://… or empty for SQLite in DataDir
	ReadURL string // optional read replica (PostgreSQL only)
	DataDir string // where the SQLite file lives
	// MaxConns bounds the PostgreSQL write pool (0 = 32).
	MaxConns int
	// Password, when set, gives the PostgreSQL password of every new
	// connection of both pools (a password that rotates while the server
	// runs); the URLs then carry none.
	Password PasswordSource
}

// Open connects to the database that opts describe. It does not migrate.
func Open(ctx context.Context, opts Options) (*DB, error) {
	engine, path, err := dsn.Parse(opts.URL)
	if err != nil {
		return nil, fmt.Errorf("store: DATABASE_URL %w", err)
	}
	if engine == dsn.SQLite {
		return openSQLite(ctx, path, opts)
	}
	var creds *credentials
	if opts.Password != nil {
		creds = &credentials{src: opts.Password, now: time.Now}
	}
	w, err := openPostgres(opts.URL, creds)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	n := opts.MaxConns
	if n <= 0 {
		n = 32
	}
	w.SetMaxOpenConns(n)
	w.SetMaxIdleConns(n)
	w.SetConnMaxIdleTime(5 * time.Minute)
	r := w
	if opts.ReadURL != "" {
		if r, err = openPostgres(opts.ReadURL, creds); err != nil {
			_ = w.Close()
			return nil, fmt.Errorf("store: open read replica: %w", err)
		}
		r.SetMaxOpenConns(n)
		r.SetMaxIdleConns(n)
	}
	db := &DB{w: w, r: r, dialect: Postgres, now: time.Now}
	if err := db.Ping(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	if opts.ReadURL != "" {
		db.rep = &replica{writes: map[string]time.Time{}, stop: make(chan struct{})}
		db.checkReplica()
		go db.watchReplica()
	}
	return db, nil
}

// openPostgres opens a pool on url; with creds, each new connection takes
// its password from them. Either way each statement run with a context
// whose span is recording gets a child span (telemetry.PGXTracer: the
// statement's summary, never its text or values); with tracing off or an
// unsampled request that costs one context lookup per statement.
func openPostgres(url string, creds *credentials) (*sql.DB, error) {
	if creds == nil {
		cfg, err := pgx.ParseConfig(url)
		if err != nil {
			return nil, fmt.Errorf("store: database URL: %w", err)
		}
		cfg.Tracer = telemetry.PGXTracer{}
		return stdlib.OpenDB(*cfg), nil
	}
	c, err := newRotatingConnector(url, creds)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}

func openSQLite(ctx context.Context, path string, opts Options) (*DB, error) {
	if path == "" {
		dir := opts.DataDir
		if dir == "" {
			dir = "data"
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("store: create data dir: %w", err)
		}
		path = filepath.Join(dir, "bankapp.db")
	}
	if err := privateFiles(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(FULL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	w, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	// SQLite has one writer: serialise writes in the pool rather than
	// letting connections fight over the lock.
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	q.Set("_pragma", "query_only(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Del("_txlock")
	r, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("store: open sqlite reader: %w", err)
	}
	r.SetMaxOpenConns(8)
	db := &DB{w: w, r: r, dialect: SQLite, now: time.Now}
	if err := db.Ping(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// privateFiles makes the SQLite database and its -wal and -shm files
// readable by the owner only (0600), whatever the data directory's mode:
// they hold password hashes and TOTP secrets. SQLite creates -wal and -shm
// with the database file's mode, so creating that file 0600 first covers
// them; files left 0644 by an older version are tightened.
func privateFiles(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600) // #nosec G304 -- the configured database path
	if err != nil {
		return fmt.Errorf("store: create sqlite file: %w", err)
	}
	_ = f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("store: restrict %s: %w", filepath.Base(p), err)
		}
	}
	return nil
}

// Dialect reports the engine.
func (db *DB) Dialect() Dialect { return db.dialect }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.w.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// Close closes both pools.
func (db *DB) Close() error {
	if db.rep != nil {
		close(db.rep.stop)
	}
	err := db.w.Close()
	if db.r != db.w {
		if rerr := db.r.Close(); err == nil {
			err = rerr
		}
	}
	return err
}

// Stats returns the write pool's statistics, for metrics.
func (db *DB) Stats() sql.DBStats { return db.w.Stats() }

// SetClock replaces the clock the store stamps rows with (tests).
func (db *DB) SetClock(now func() time.Time) { db.now = now }

// Now is the store's clock, in UTC.
func (db *DB) Now() time.Time { return db.now().UTC() }

// Tx is a database transaction. Every write of BankApp happens inside one.
type Tx struct {
	tx      *sql.Tx
	dialect Dialect
	db      *DB
}

// InTx runs fn in a transaction and commits it if fn returns nil; any error
// or panic rolls it back.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	ctx, end := db.txSpan(ctx)
	defer func() { end(err) }()
	stx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	tx := &Tx{tx: stx, dialect: db.dialect, db: db}
	defer func() {
		if p := recover(); p != nil {
			_ = stx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = stx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = stx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	db.noteWrite(ctx)
	return nil
}

// Dialect reports the engine of the transaction.
func (tx *Tx) Dialect() Dialect { return tx.dialect }

// Now is the store's clock.
func (tx *Tx) Now() time.Time { return tx.db.Now() }

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// forUpdate is the row-locking suffix: PostgreSQL locks rows, SQLite's single
// writer already excludes every other writer.
func (d Dialect) forUpdate() string {
	if d == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// micros converts a time to the integer microseconds stored in *_at columns.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros converts stored microseconds back to a UTC time.
func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

// SQLDB is the write pool, for pool metrics.
func (db *DB) SQLDB() *sql.DB { return db.w }
