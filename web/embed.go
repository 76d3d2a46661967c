// Package web embeds the built single-page app (web/dist) and serves it.
package web

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
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

// NewHandler serves the single-page app in files (the content of a Vite
// dist folder): existing files as themselves, hashed files under /assets/
// cached for a year, and every other non-API path as index.html so that
// client-side routes survive a reload.
func NewHandler(files fs.FS) http.Handler {
	return &spa{files: files}
}

type spa struct {
	files fs.FS
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
	// Dotfiles (dist/.keep) are build plumbing, not part of the site.
	if strings.HasPrefix(name, ".") || strings.Contains(name, "/.") {
		http.NotFound(w, r)
		return
	}
	if name != "" && name != "index.html" && s.isFile(name) {
		if strings.HasPrefix(name, "assets/") {
			w.Header().Set("Cache-Control", cacheImmutable)
		} else {
			w.Header().Set("Cache-Control", cacheNoCache)
		}
		http.ServeFileFS(w, r, s.files, name) // #nosec G703 -- s.files is the embedded build (an fs.FS, no OS paths); name is path.Clean-ed and checked to exist
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

func (s *spa) isFile(name string) bool {
	st, err := fs.Stat(s.files, name)
	return err == nil && !st.IsDir()
}

func (s *spa) serveIndex(w http.ResponseWriter, r *http.Request) {
	body, err := fs.ReadFile(s.files, "index.html")
	if err != nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("The web app is not built into this binary.\n" +
			"Run `make web` (or `npm --prefix web run build`), then rebuild the server.\n"))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", cacheNoCache)
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}
