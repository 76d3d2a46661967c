// Package blob stores generated documents (statements, exports) by key, in a
// local folder or in Amazon S3. Callers depend on the Store interface; Open
// picks the implementation from the BLOB_STORE setting.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"
)

// Store keeps immutable-by-convention objects under slash-separated keys such
// as "statements/0f3c…/2026-10.pdf". A Put to an existing key replaces the
// object whole; readers see either the old or the new object, never a mix.
type Store interface {
	// Put stores everything read from r under key. If reading r fails or ctx
	// ends, nothing is stored and an error is returned.
	Put(ctx context.Context, key string, r io.Reader, contentType string) error
	// Get opens the object under key. The caller must close the reader.
	// A missing object yields an error that errors.Is(err, ErrNotFound).
	Get(ctx context.Context, key string) (io.ReadCloser, Info, error)
	// Exists reports whether an object is stored under key.
	Exists(ctx context.Context, key string) (bool, error)
}

// Info describes a stored object.
type Info struct {
	Size        int64     // bytes
	ContentType string    // as given to Put; "application/octet-stream" if unknown
	ModTime     time.Time // when the object was last written
}

// ErrNotFound is returned (wrapped) by Get when no object has the key.
var ErrNotFound = errors.New("blob: not found")

// ErrInvalidKey is returned (wrapped) for keys rejected by ValidateKey.
var ErrInvalidKey = errors.New("blob: invalid key")

// maxKeyLen is S3's object key limit, applied to every store so that a key
// that works locally also works on S3.
const maxKeyLen = 1024

// defaultContentType is reported when a store does not know the type.
const defaultContentType = "application/octet-stream"

// ValidateKey checks that key is a clean relative slash-separated path:
// not empty, at most 1024 bytes of valid UTF-8, no leading or trailing "/",
// no empty, "." or ".." segments, no backslashes and no control characters.
// Both stores apply it, so a key cannot escape the local folder or the S3
// prefix, and a key accepted by one store is accepted by the other.
func ValidateKey(key string) error {
	switch {
	case key == "":
		return fmt.Errorf("%w: empty", ErrInvalidKey)
	case len(key) > maxKeyLen:
		return fmt.Errorf("%w: longer than %d bytes", ErrInvalidKey, maxKeyLen)
	case !utf8.ValidString(key):
		return fmt.Errorf("%w: not UTF-8", ErrInvalidKey)
	case strings.ContainsRune(key, '\\'):
		return fmt.Errorf("%w: %q contains a backslash", ErrInvalidKey, key)
	case filepath.IsAbs(key) || filepath.VolumeName(key) != "":
		return fmt.Errorf("%w: %q is absolute", ErrInvalidKey, key)
	}
	for _, r := range key {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%w: %q contains a control character", ErrInvalidKey, key)
		}
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return fmt.Errorf("%w: %q has an empty, \".\" or \"..\" segment", ErrInvalidKey, key)
		}
	}
	return nil
}

// Open returns the Store named by url, the BLOB_STORE setting:
//
//   - "" or "file": a local folder, dataDir/blobs;
//   - "file:///abs/path": a local folder at that path;
//   - "s3://bucket/prefix": S3, credentials and region from the AWS default
//     chain (environment, shared config, ECS task role). Query parameters
//     region=, endpoint= (e.g. http://127.0.0.1:9000) and use_path_style=true
//     point it at an S3-compatible server instead of AWS.
func Open(ctx context.Context, url, dataDir string) (Store, error) {
	switch {
	case url == "" || url == "file":
		if dataDir == "" {
			return nil, errors.New("blob: open local store: no data directory")
		}
		return NewLocal(filepath.Join(dataDir, "blobs"))
	case strings.HasPrefix(url, "file://"):
		dir := strings.TrimPrefix(url, "file://")
		if !filepath.IsAbs(dir) {
			return nil, fmt.Errorf("blob: open %q: file:// needs an absolute path", url)
		}
		return NewLocal(dir)
	case strings.HasPrefix(url, "s3://"):
		return openS3(ctx, url)
	default:
		return nil, fmt.Errorf("blob: open %q: want \"file\" or s3://bucket/prefix", url)
	}
}
