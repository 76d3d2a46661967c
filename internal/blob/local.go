package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Local is a Store in a folder of the local file system. Object bytes live
// under root/objects/<key> and their content types under root/meta/<key>, so
// the objects tree holds exactly the stored documents. Files are 0600 and
// folders 0700: statements are private to the service account.
//
// Unlike S3, a key cannot be both an object and a "folder" of other keys:
// after Put("a/b"), Put("a") fails (and vice versa).
type Local struct {
	root string
}

// NewLocal returns a Local store rooted at dir, creating dir if needed.
func NewLocal(dir string) (*Local, error) {
	if dir == "" {
		return nil, errors.New("blob: new local store: empty directory")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: new local store %q: %w", dir, err)
	}
	for _, sub := range []string{"objects", "meta"} {
		if err := os.MkdirAll(filepath.Join(abs, sub), 0o700); err != nil {
			return nil, fmt.Errorf("blob: new local store: %w", err)
		}
	}
	return &Local{root: abs}, nil
}

// Dir returns the folder the store keeps its files in.
func (l *Local) Dir() string { return l.root }

func (l *Local) objectPath(key string) string {
	return filepath.Join(l.root, "objects", filepath.FromSlash(key))
}

func (l *Local) metaPath(key string) string {
	return filepath.Join(l.root, "meta", filepath.FromSlash(key))
}

// Put writes r to a temporary file beside the destination, syncs it and
// renames it into place, so a crash or a failing reader never leaves a
// partial object under key.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, contentType string) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	if contentType == "" {
		contentType = defaultContentType
	}
	// The content type goes first: a reader racing this Put may see the new
	// type with the old bytes only when one key is rewritten with a different
	// type, which the callers (write-once documents) never do.
	if err := writeAtomic(ctx, l.metaPath(key), strings.NewReader(contentType)); err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	if err := writeAtomic(ctx, l.objectPath(key), r); err != nil {
		return fmt.Errorf("blob: put %q: %w", key, err)
	}
	return nil
}

// Get opens the object under key.
func (l *Local) Get(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	if err := ValidateKey(key); err != nil {
		return nil, Info{}, err
	}
	if err := ctx.Err(); err != nil {
		return nil, Info{}, fmt.Errorf("blob: get %q: %w", key, err)
	}
	f, err := os.Open(l.objectPath(key))
	if err != nil {
		return nil, Info{}, fmt.Errorf("blob: get %q: %w", key, notFound(err))
	}
	st, err := f.Stat()
	if err == nil && st.IsDir() {
		err = ErrNotFound
	}
	if err != nil {
		_ = f.Close()
		return nil, Info{}, fmt.Errorf("blob: get %q: %w", key, err)
	}
	info := Info{Size: st.Size(), ContentType: defaultContentType, ModTime: st.ModTime()}
	if ct, err := os.ReadFile(l.metaPath(key)); err == nil && len(ct) > 0 {
		info.ContentType = string(ct)
	}
	return f, info, nil
}

// Exists reports whether an object is stored under key.
func (l *Local) Exists(ctx context.Context, key string) (bool, error) {
	if err := ValidateKey(key); err != nil {
		return false, err
	}
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("blob: exists %q: %w", key, err)
	}
	st, err := os.Stat(l.objectPath(key))
	if err != nil {
		if errors.Is(notFound(err), ErrNotFound) {
			return false, nil
		}
		return false, fmt.Errorf("blob: exists %q: %w", key, err)
	}
	return !st.IsDir(), nil
}

// notFound turns "no such file" and "a parent is a file" into ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return err
}

// writeAtomic copies r into a new file at dst via temp file, fsync and rename.
func writeAtomic(ctx context.Context, dst string, r io.Reader) (err error) {
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".put-*") // CreateTemp makes 0600 files
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err := io.Copy(tmp, ctxReader{ctx: ctx, r: r}); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a rename durable across a power cut.
func syncDir(dir string) error {
	d, err := os.Open(dir) // #nosec G304 -- dir is the store's own folder, joined from validated keys
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}

// ctxReader stops a copy once its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
