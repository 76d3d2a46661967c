package store

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"strings"
	"testing/fstest"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// dialectTokens are the few spellings that differ between the engines; the
// migrations write {{token}} and get the engine's spelling.
var dialectTokens = map[Dialect]map[string]string{
	Postgres: {"identity": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"},
	SQLite:   {"identity": "INTEGER PRIMARY KEY AUTOINCREMENT"},
}

// migrations returns the embedded migrations rendered for the dialect.
func migrations(d Dialect) (fs.FS, error) {
	out := fstest.MapFS{}
	err := fs.WalkDir(migrationFiles, "migrations", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := migrationFiles.ReadFile(path)
		if err != nil {
			return err
		}
		s := string(b)
		for k, v := range dialectTokens[d] {
			s = strings.ReplaceAll(s, "{{"+k+"}}", v)
		}
		if strings.Contains(s, "{{") {
			return fmt.Errorf("store: migration %s has an unknown {{token}}", path)
		}
		out[strings.TrimPrefix(path, "migrations/")] = &fstest.MapFile{Data: []byte(s)}
		return nil
	})
	return out, err
}

func (db *DB) provider() (*goose.Provider, error) {
	fsys, err := migrations(db.dialect)
	if err != nil {
		return nil, err
	}
	gd := goose.DialectSQLite3
	var opts []goose.ProviderOption
	if db.dialect == Postgres {
		gd = goose.DialectPostgres
		// Ten tasks starting at once: one migrates, the others wait.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("store: migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	opts = append(opts, goose.WithDisableGlobalRegistry(true))
	p, err := goose.NewProvider(gd, db.w, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}

// MigrateUp applies every pending migration and returns the versions applied.
func (db *DB) MigrateUp(ctx context.Context) ([]int64, error) {
	p, err := db.provider()
	if err != nil {
		return nil, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate up: %w", err)
	}
	var applied []int64
	for _, r := range res {
		applied = append(applied, r.Source.Version)
	}
	return applied, nil
}

// MigrateUpTo applies pending migrations up to and including version
// (tests of a migration over existing data).
func (db *DB) MigrateUpTo(ctx context.Context, version int64) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		return fmt.Errorf("store: migrate up to %d: %w", version, err)
	}
	return nil
}

// MigrationStatus is one migration and whether it has been applied.
type MigrationStatus struct {
	Version int64
	Name    string
	Applied bool
}

// MigrationStatus lists every known migration.
func (db *DB) MigrationStatus(ctx context.Context) ([]MigrationStatus, error) {
	p, err := db.provider()
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migration status: %w", err)
	}
	out := make([]MigrationStatus, 0, len(st))
	for _, s := range st {
		out = append(out, MigrationStatus{Version: s.Source.Version, Name: s.Source.Path, Applied: s.State == goose.StateApplied})
	}
	return out, nil
}

// MigrationsCurrent reports whether the database has every migration this
// binary knows (for /readyz).
func (db *DB) MigrationsCurrent(ctx context.Context) (bool, error) {
	p, err := db.provider()
	if err != nil {
		return false, err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return false, fmt.Errorf("store: migrations pending: %w", err)
	}
	return !pending, nil
}

// SchemaFingerprint is a short hash of the embedded migrations, so that test
// harnesses can cache a migrated template database per schema.
func SchemaFingerprint() string {
	h := sha256.New()
	_ = fs.WalkDir(migrationFiles, "migrations", func(path string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			b, _ := migrationFiles.ReadFile(path)
			h.Write([]byte(path))
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}
