package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func built() fstest.MapFS {
	return fstest.MapFS{
		".keep":                   {Data: nil},
		"index.html":              {Data: []byte("<!doctype html><title>BankApp</title>")},
		"favicon.svg":             {Data: []byte("<svg/>")},
		"assets/index-abc123.js":  {Data: []byte("console.log(1)")},
		"assets/index-abc123.css": {Data: []byte("body{}")},
	}
}

func get(t *testing.T, h http.Handler, method, target string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec.Result()
}

func TestHandlerServesBuild(t *testing.T) {
	h := NewHandler(built())
	tests := []struct {
		name, method, path string
		status             int
		ctype, cache, body string
	}{
		{"root is index", "GET", "/", 200, "text/html; charset=utf-8", "no-cache", "<title>BankApp</title>"},
		{"index by name", "GET", "/index.html", 200, "text/html; charset=utf-8", "no-cache", "<title>BankApp</title>"},
		{"client route", "GET", "/accounts/123", 200, "text/html; charset=utf-8", "no-cache", "<title>BankApp</title>"},
		{"deep client route", "GET", "/move/transfer?x=1", 200, "text/html; charset=utf-8", "no-cache", "<title>BankApp</title>"},
		{"hashed js", "GET", "/assets/index-abc123.js", 200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "console.log(1)"},
		{"hashed css", "GET", "/assets/index-abc123.css", 200, "text/css; charset=utf-8", "public, max-age=31536000, immutable", "body{}"},
		{"public file", "GET", "/favicon.svg", 200, "image/svg+xml", "no-cache", "<svg/>"},
		{"missing asset", "GET", "/assets/gone-000.js", 404, "", "", ""},
		{"missing file", "GET", "/robots.txt", 404, "", "", ""},
		{"dotfile hidden", "GET", "/.keep", 404, "", "", ""},
		{"api is not the spa", "GET", "/api/v1/nope", 404, "", "", ""},
		{"dot-dot stays inside", "GET", "/../../etc/passwd", 200, "text/html; charset=utf-8", "no-cache", "<title>BankApp</title>"},
		{"post refused", "POST", "/", 405, "", "", ""},
		{"head index", "HEAD", "/settings", 200, "text/html; charset=utf-8", "no-cache", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := get(t, h, tt.method, tt.path)
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d (body %q)", res.StatusCode, tt.status, body)
			}
			if tt.ctype != "" && res.Header.Get("Content-Type") != tt.ctype {
				t.Errorf("Content-Type = %q, want %q", res.Header.Get("Content-Type"), tt.ctype)
			}
			if tt.cache != "" && res.Header.Get("Cache-Control") != tt.cache {
				t.Errorf("Cache-Control = %q, want %q", res.Header.Get("Cache-Control"), tt.cache)
			}
			if !strings.Contains(string(body), tt.body) {
				t.Errorf("body = %q, want it to contain %q", body, tt.body)
			}
			if res.Header.Get("X-Content-Type-Options") != "nosniff" && tt.status != 405 {
				t.Errorf("missing nosniff")
			}
		})
	}
}

func TestHandlerWithoutBuildAnswers503(t *testing.T) {
	h := NewHandler(fstest.MapFS{".keep": {Data: nil}})
	for _, p := range []string{"/", "/accounts"} {
		res := get(t, h, "GET", p)
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("%s: status = %d, want 503", p, res.StatusCode)
		}
		if !strings.Contains(string(body), "npm --prefix web run build") || !strings.Contains(string(body), "make web") {
			t.Errorf("%s: body %q does not say how to build", p, body)
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
			t.Errorf("Content-Type = %q", ct)
		}
	}
}

func TestHandlerEmbedsDist(t *testing.T) {
	// The real embedded FS always has .keep; Handler must work with or without a build.
	res := get(t, Handler(), "GET", "/")
	if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status = %d, want 200 (built) or 503 (not built)", res.StatusCode)
	}
}
