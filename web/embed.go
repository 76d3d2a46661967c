// Package web embeds the built single-page app (web/dist) and serves it.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed all:dist
var dist embed.FS

// Handler serves the embedded build of the web app. Run `make web` (or
// `npm --prefix web run build`) before `go build` to include it; without a
// build the handler answers 503 with instructions.
func Handler() http.Handler {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		// fs.Sub fails only for an invalid path name, and "dist" is valid.
		panic("web: " + err.Error())
	}
	return NewHandler(sub)
}

// Cache policies: hashed assets never change under their name; index.html
// must be revalidated so a deploy is picked up at once.
const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheNoCache   = "no-cache"
)

// Content codings the build writes beside a file (scripts/compress.mjs):
// name.br (brotli) and name.gz (gzip), only where they are smaller.
var codings = []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}}

// variant is one stored representation of a file.
type variant struct {
	coding string // "" for identity
	body   []byte
	etag   string
}

// asset is a servable file with its representations (identity first).
type asset struct {
	ctype    string
	variants []variant
}

// NewHandler serves the single-page app in files (the content of a Vite
// dist folder): existing files as themselves, hashed files under /assets/
// cached for a year, and every other non-API path as index.html so that
// client-side routes survive a reload.
//
// Where the build left precompressed siblings (app.js.br, app.js.gz), the
// response is the best one the client's Accept-Encoding allows (q-values
// honoured; brotli preferred on a tie), with Content-Encoding, the original
// file's Content-Type, Vary: Accept-Encoding and a strong ETag per
// representation. The .br and .gz files are not served under their own names.
func NewHandler(files fs.FS) http.Handler {
	s := &spa{assets: map[string]*asset{}}
	_ = fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || hidden(name) || isCompressedSibling(files, name) {
			return nil
		}
		body, err := fs.ReadFile(files, name)
		if err != nil {
			return nil
		}
		a := &asset{ctype: contentType(name), variants: []variant{{body: body, etag: etag(body, "")}}}
		for _, c := range codings {
			if zb, err := fs.ReadFile(files, name+c.ext); err == nil {
				a.variants = append(a.variants, variant{coding: c.token, body: zb, etag: etag(zb, c.token)})
			}
		}
		s.assets[name] = a
		return nil
	})
	return s
}

type spa struct {
	assets map[string]*asset
}

// hidden reports dotfiles (dist/.keep is build plumbing, not part of the site).
func hidden(name string) bool {
	return strings.HasPrefix(name, ".") || strings.Contains(name, "/.")
}

// isCompressedSibling reports name.br / name.gz when name itself exists.
func isCompressedSibling(files fs.FS, name string) bool {
	for _, c := range codings {
		if base, ok := strings.CutSuffix(name, c.ext); ok {
			if st, err := fs.Stat(files, base); err == nil && !st.IsDir() {
				return true
			}
		}
	}
	return false
}

func contentType(name string) string {
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

// etag is a strong validator of one representation's bytes.
func etag(body []byte, coding string) string {
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:12])
	if coding != "" {
		tag += "-" + coding
	}
	return `"` + tag + `"`
}

func (s *spa) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	clean := path.Clean("/" + r.URL.Path)
	if clean == "/api" || strings.HasPrefix(clean, "/api/") {
		http.NotFound(w, r)
		return
	}
	name := strings.TrimPrefix(clean, "/")
	if hidden(name) {
		http.NotFound(w, r)
		return
	}
	if a, ok := s.assets[name]; ok && name != "index.html" {
		cache := cacheNoCache
		if strings.HasPrefix(name, "assets/") {
			cache = cacheImmutable
		}
		s.serve(w, r, a, cache)
		return
	}
	// A missing asset or file-like path is a 404, never index.html: serving
	// HTML in place of a script only produces confusing errors.
	if strings.HasPrefix(name, "assets/") || path.Ext(name) != "" && name != "index.html" {
		http.NotFound(w, r)
		return
	}
	s.serveIndex(w, r)
}

func (s *spa) serveIndex(w http.ResponseWriter, r *http.Request) {
	a, ok := s.assets["index.html"]
	if !ok {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("The web app is not built into this binary.\n" +
			"Run `make web` (or `npm --prefix web run build`), then rebuild the server.\n"))
		return
	}
	s.serve(w, r, a, cacheNoCache)
}

// serve writes the representation of a that the request accepts best;
// http.ServeContent answers conditional (If-None-Match → 304), HEAD and
// range requests from the ETag and the bytes.
func (s *spa) serve(w http.ResponseWriter, r *http.Request, a *asset, cache string) {
	h := w.Header()
	v := a.variants[0]
	if len(a.variants) > 1 {
		h.Add("Vary", "Accept-Encoding")
		v = pick(a.variants, r.Header.Get("Accept-Encoding"))
	}
	h.Set("Content-Type", a.ctype)
	h.Set("Cache-Control", cache)
	h.Set("ETag", v.etag)
	if v.coding != "" {
		h.Set("Content-Encoding", v.coding)
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(v.body))
}

// pick chooses the representation with the highest q-value in an
// Accept-Encoding header (RFC 9110 §12.5.3): listed codings take their q,
// "*" covers codings not listed, identity is acceptable unless refused
// (identity;q=0, or *;q=0 without identity). Ties prefer brotli, then gzip,
// then identity. When nothing is acceptable, identity is sent anyway (the
// RFC allows it, and it is always correct).
func pick(vs []variant, header string) variant {
	q := parseAcceptEncoding(header)
	qOf := func(coding string) int {
		name := coding
		if name == "" {
			name = "identity"
		}
		if v, ok := q[name]; ok {
			return v
		}
		if v, ok := q["*"]; ok {
			return v
		}
		if name == "identity" {
			return 1 // acceptable, but below any coding the client asked for (q ≥ 0.001 is 10)
		}
		return 0
	}
	best, bestQ := vs[0], qOf(vs[0].coding)
	for _, v := range vs[1:] {
		if vq := qOf(v.coding); vq > 0 && (vq > bestQ || vq == bestQ && rank(v.coding) < rank(best.coding)) {
			best, bestQ = v, vq
		}
	}
	if bestQ <= 0 {
		return vs[0]
	}
	return best
}

func rank(coding string) int {
	switch coding {
	case "br":
		return 0
	case "gzip":
		return 1
	}
	return 2
}

// parseAcceptEncoding maps each listed coding (lower case) to its q-value
// in ten-thousandths (q=1 is 10000, q=0.001 is 10: RFC 9110 qvalues have at
// most three decimals, so integers hold them exactly). "x-gzip" counts as
// gzip; a malformed q counts as 0.
func parseAcceptEncoding(header string) map[string]int {
	out := map[string]int{}
	for _, part := range strings.Split(header, ",") {
		fields := strings.Split(part, ";")
		name := strings.ToLower(strings.TrimSpace(fields[0]))
		if name == "" {
			continue
		}
		if name == "x-gzip" {
			name = "gzip"
		}
		qv := 10000
		for _, p := range fields[1:] {
			k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				qv = parseQValue(strings.TrimSpace(val))
			}
		}
		if prev, seen := out[name]; !seen || qv > prev {
			out[name] = qv
		}
	}
	return out
}

// parseQValue reads an RFC 9110 qvalue ("0", "0.5", "1", "1.000", at most
// three decimals) in ten-thousandths; anything else is 0.
func parseQValue(v string) int {
	whole, frac, _ := strings.Cut(v, ".")
	if (whole != "0" && whole != "1") || len(frac) > 3 {
		return 0
	}
	n := 0
	for i := 0; i < 3; i++ {
		d := 0
		if i < len(frac) {
			if frac[i] < '0' || frac[i] > '9' {
				return 0
			}
			d = int(frac[i] - '0')
		}
		n = n*10 + d
	}
	if whole == "1" {
		if n != 0 {
			return 0
		}
		return 10000
	}
	return n * 10
}
