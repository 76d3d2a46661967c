package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/bankapp/bankapp/internal/store"
)

// The SQLite files hold password hashes and TOTP secrets: owner-only, even
// in a data directory that already exists with a looser mode, and even when
// an older version left the database 0644 (review finding 9).
func TestSQLiteFilesArePrivate(t *testing.T) {
	for _, preexisting := range []bool{false, true} {
		dir := t.TempDir()
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "bankapp.db")
		if preexisting {
			if err := os.WriteFile(path, nil, 0o644); err != nil { // #nosec G306 -- the loose mode is the point of the test
				t.Fatal(err)
			}
		}
		ctx := context.Background()
		db, err := store.Open(ctx, store.Options{DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.MigrateUp(ctx); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"bankapp.db", "bankapp.db-wal", "bankapp.db-shm"} {
			st, err := os.Stat(filepath.Join(dir, name))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if st.Mode().Perm()&0o077 != 0 {
				t.Errorf("preexisting=%v: %s has mode %v, want 0600", preexisting, name, st.Mode().Perm())
			}
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
