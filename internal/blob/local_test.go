package blob_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bankapp/bankapp/internal/blob"
)

func TestLocalContract(t *testing.T) {
	testContract(t, func(t *testing.T) blob.Store {
		s, err := blob.NewLocal(filepath.Join(t.TempDir(), "blobs"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestLocalPermissionsAndNoLeftovers(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "blobs")
	s, err := blob.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	mustPut(t, s, "statements/acc/2026-10.pdf", "pdf")
	_ = s.Put(ctx, "statements/acc/2026-11.pdf", errReader{errors.New("boom")}, "")

	var files []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		st, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		} else {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v, want %v", p, got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The failed Put may leave its content-type record but no object and
	// no temporary file.
	for _, f := range files {
		if strings.Contains(f, ".put-") || f == "objects/statements/acc/2026-11.pdf" {
			t.Errorf("leftover file %s", f)
		}
	}
	if !contains(files, "objects/statements/acc/2026-10.pdf") {
		t.Errorf("files = %v, want objects/statements/acc/2026-10.pdf", files)
	}
}

func TestLocalKeysCannotEscape(t *testing.T) {
	base := t.TempDir()
	s, err := blob.NewLocal(filepath.Join(base, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"../../outside", "/tmp/outside", "a/../../../outside"} {
		if err := s.Put(context.Background(), k, strings.NewReader("x"), ""); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Put(%q): err = %v, want ErrInvalidKey", k, err)
		}
	}
	if _, err := os.Stat(filepath.Join(base, "outside")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a key escaped the store: stat err = %v", err)
	}
}

func TestOpenLocal(t *testing.T) {
	ctx := context.Background()
	dataDir := t.TempDir()
	for _, url := range []string{"", "file"} {
		s, err := blob.Open(ctx, url, dataDir)
		if err != nil {
			t.Fatalf("Open(%q): %v", url, err)
		}
		mustPut(t, s, "k"+url, "v")
		if _, err := os.Stat(filepath.Join(dataDir, "blobs", "objects", "k"+url)); err != nil {
			t.Errorf("Open(%q) did not store under dataDir/blobs: %v", url, err)
		}
	}
	abs := t.TempDir()
	s, err := blob.Open(ctx, "file://"+abs, "")
	if err != nil {
		t.Fatalf("Open(file://%s): %v", abs, err)
	}
	mustPut(t, s, "k", "v")
	if _, err := os.Stat(filepath.Join(abs, "objects", "k")); err != nil {
		t.Errorf("file:// store did not write under %s: %v", abs, err)
	}
	for _, bad := range []string{"gs://bucket", "file://relative/dir", "ftp://x"} {
		if _, err := blob.Open(ctx, bad, dataDir); err == nil {
			t.Errorf("Open(%q) succeeded, want an error", bad)
		}
	}
	if _, err := blob.Open(ctx, "file", ""); err == nil {
		t.Error(`Open("file", "") succeeded without a data dir`)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
