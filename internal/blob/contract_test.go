package blob_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/bankapp/bankapp/internal/blob"
)

// testContract runs the behaviour every Store must share against a fresh,
// empty store from newStore.
func testContract(t *testing.T, newStore func(t *testing.T) blob.Store) {
	ctx := context.Background()

	t.Run("PutGetExists", func(t *testing.T) {
		s := newStore(t)
		key := "statements/acc-1/2026-10.pdf"
		want := []byte("%PDF-1.3 fake statement")
		if err := s.Put(ctx, key, bytes.NewReader(want), "application/pdf"); err != nil {
			t.Fatalf("Put: %v", err)
		}
		got, info := mustGet(t, s, key)
		if !bytes.Equal(got, want) {
			t.Errorf("Get = %q, want %q", got, want)
		}
		if info.Size != int64(len(want)) || info.ContentType != "application/pdf" || info.ModTime.IsZero() {
			t.Errorf("Info = %+v, want size %d, application/pdf, a mod time", info, len(want))
		}
		if ok, err := s.Exists(ctx, key); err != nil || !ok {
			t.Errorf("Exists = %v, %v; want true, nil", ok, err)
		}
	})

	t.Run("Missing", func(t *testing.T) {
		s := newStore(t)
		_, _, err := s.Get(ctx, "statements/nope.pdf")
		if !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("Get missing: err = %v, want ErrNotFound", err)
		}
		if ok, err := s.Exists(ctx, "statements/nope.pdf"); err != nil || ok {
			t.Errorf("Exists missing = %v, %v; want false, nil", ok, err)
		}
		// A stored neighbour or parent prefix does not make a key exist.
		mustPut(t, s, "a/b", "x")
		for _, k := range []string{"a", "a/b/c", "a/bc"} {
			if ok, err := s.Exists(ctx, k); err != nil || ok {
				t.Errorf("Exists(%q) = %v, %v; want false, nil", k, ok, err)
			}
			if _, _, err := s.Get(ctx, k); !errors.Is(err, blob.ErrNotFound) {
				t.Errorf("Get(%q): err = %v, want ErrNotFound", k, err)
			}
		}
	})

	t.Run("Overwrite", func(t *testing.T) {
		s := newStore(t)
		mustPut(t, s, "k.csv", "old contents, longer than the new")
		mustPut(t, s, "k.csv", "new")
		if got, _ := mustGet(t, s, "k.csv"); string(got) != "new" {
			t.Errorf("after overwrite Get = %q, want %q", got, "new")
		}
	})

	t.Run("EmptyBodyDefaultType", func(t *testing.T) {
		s := newStore(t)
		if err := s.Put(ctx, "empty", strings.NewReader(""), ""); err != nil {
			t.Fatalf("Put: %v", err)
		}
		got, info := mustGet(t, s, "empty")
		if len(got) != 0 || info.Size != 0 || info.ContentType != "application/octet-stream" {
			t.Errorf("Get = %q, %+v; want empty, octet-stream", got, info)
		}
	})

	t.Run("BinaryAndLarge", func(t *testing.T) {
		s := newStore(t)
		want := make([]byte, 3<<20)
		rand.Read(want)
		for i := range 256 {
			want[i] = byte(i)
		}
		// io.MultiReader hides any Seek/Len so the store must stream it.
		if err := s.Put(ctx, "big.bin", io.MultiReader(bytes.NewReader(want)), "application/octet-stream"); err != nil {
			t.Fatalf("Put: %v", err)
		}
		if got, info := mustGet(t, s, "big.bin"); !bytes.Equal(got, want) || info.Size != int64(len(want)) {
			t.Errorf("round trip of %d bytes: got %d bytes (info %d), equal=%v", len(want), len(got), info.Size, bytes.Equal(got, want))
		}
	})

	t.Run("FailingReaderStoresNothing", func(t *testing.T) {
		s := newStore(t)
		boom := errors.New("boom")
		r := io.MultiReader(strings.NewReader("partial data"), errReader{boom})
		if err := s.Put(ctx, "partial.pdf", r, "application/pdf"); !errors.Is(err, boom) {
			t.Errorf("Put with failing reader: err = %v, want it to wrap %v", err, boom)
		}
		if ok, err := s.Exists(ctx, "partial.pdf"); err != nil || ok {
			t.Errorf("Exists after failed Put = %v, %v; want false, nil", ok, err)
		}
		// A failed rewrite keeps the previous object intact.
		mustPut(t, s, "keep", "v1")
		if err := s.Put(ctx, "keep", io.MultiReader(strings.NewReader("v2"), errReader{boom}), ""); err == nil {
			t.Fatal("Put with failing reader succeeded")
		}
		if got, _ := mustGet(t, s, "keep"); string(got) != "v1" {
			t.Errorf("after failed rewrite Get = %q, want v1", got)
		}
	})

	t.Run("CanceledContext", func(t *testing.T) {
		s := newStore(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := s.Put(cctx, "c", strings.NewReader("x"), ""); !errors.Is(err, context.Canceled) {
			t.Errorf("Put with canceled ctx: err = %v, want context.Canceled", err)
		}
		if ok, _ := s.Exists(ctx, "c"); ok {
			t.Error("Put with canceled ctx stored the object")
		}
	})

	t.Run("InvalidKeys", func(t *testing.T) {
		s := newStore(t)
		for _, k := range invalidKeys {
			if err := s.Put(ctx, k, strings.NewReader("x"), ""); !errors.Is(err, blob.ErrInvalidKey) {
				t.Errorf("Put(%q): err = %v, want ErrInvalidKey", k, err)
			}
			if _, _, err := s.Get(ctx, k); !errors.Is(err, blob.ErrInvalidKey) {
				t.Errorf("Get(%q): err = %v, want ErrInvalidKey", k, err)
			}
			if _, err := s.Exists(ctx, k); !errors.Is(err, blob.ErrInvalidKey) {
				t.Errorf("Exists(%q): err = %v, want ErrInvalidKey", k, err)
			}
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		s := newStore(t)
		var wg sync.WaitGroup
		errs := make(chan error, 32)
		for i := range 16 {
			wg.Go(func() {
				key := fmt.Sprintf("c/%d.csv", i%4) // 4 writers per key
				body := strings.Repeat(fmt.Sprintf("%d;", i%4), 10000)
				if err := s.Put(ctx, key, strings.NewReader(body), "text/csv"); err != nil {
					errs <- err
					return
				}
				rc, _, err := s.Get(ctx, key)
				if err != nil {
					errs <- err
					return
				}
				defer rc.Close()
				got, err := io.ReadAll(rc)
				if err != nil || string(got) != body {
					errs <- fmt.Errorf("key %s: read %d bytes, err %v; want the whole %d-byte body", key, len(got), err, len(body))
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}

var invalidKeys = []string{
	"", "/abs/key", "../escape", "a/../../b", "a/../b", "./a", "a/./b", "a//b",
	"a/", "a\\..\\b", "a\x00b", "line\nbreak", strings.Repeat("k", 1025), "\xff",
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func mustPut(t *testing.T, s blob.Store, key, body string) {
	t.Helper()
	if err := s.Put(context.Background(), key, strings.NewReader(body), "text/plain"); err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
}

func mustGet(t *testing.T, s blob.Store, key string) ([]byte, blob.Info) {
	t.Helper()
	rc, info, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("Get(%q): read: %v", key, err)
	}
	return b, info
}
