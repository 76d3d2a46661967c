package web

import (
	"bytes"
	"compress/gzip"
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

func get(t *testing.T, h http.Handler, method, target string, headers ...string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	h.ServeHTTP(rec, req)
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

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// compressedBuild is a build whose script and index have .br and .gz
// siblings (the brotli bytes are a stand-in: the handler never decodes them).
func compressedBuild(t *testing.T) fstest.MapFS {
	fs := built()
	fs["assets/index-abc123.js.gz"] = &fstest.MapFile{Data: gz(t, "console.log(1)")}
	fs["assets/index-abc123.js.br"] = &fstest.MapFile{Data: []byte("BROTLI:console.log(1)")}
	fs["index.html.gz"] = &fstest.MapFile{Data: gz(t, "<!doctype html><title>BankApp</title>")}
	return fs
}

func TestHandlerServesPrecompressed(t *testing.T) {
	h := NewHandler(compressedBuild(t))
	tests := []struct {
		name, path, accept string
		coding             string // "" = identity
	}{
		{"no header is identity", "/assets/index-abc123.js", "", ""},
		{"browser list prefers brotli", "/assets/index-abc123.js", "gzip, deflate, br, zstd", "br"},
		{"gzip only", "/assets/index-abc123.js", "gzip", "gzip"},
		{"x-gzip alias", "/assets/index-abc123.js", "x-gzip", "gzip"},
		{"q-values win over the tie order", "/assets/index-abc123.js", "br;q=0.5, gzip;q=0.9", "gzip"},
		{"br refused", "/assets/index-abc123.js", "br;q=0, gzip", "gzip"},
		{"wildcard", "/assets/index-abc123.js", "*", "br"},
		{"wildcard with br excluded", "/assets/index-abc123.js", "br;q=0, *;q=0.5", "gzip"},
		{"identity preferred", "/assets/index-abc123.js", "identity, gzip;q=0.5", ""},
		{"case and spaces", "/assets/index-abc123.js", " GZip ; Q=0.8 ", "gzip"},
		{"malformed q is refusal", "/assets/index-abc123.js", "br;q=high, gzip", "gzip"},
		{"the smallest q still beats implicit identity", "/assets/index-abc123.js", "gzip;q=0.001", "gzip"},
		{"q with four decimals or above 1 is refusal", "/assets/index-abc123.js", "br;q=0.0005, br;q=1.5, gzip;q=0.001", "gzip"},
		{"three decimals compare exactly", "/assets/index-abc123.js", "br;q=0.499, gzip;q=0.5", "gzip"},
		{"nothing acceptable falls back to identity", "/assets/index-abc123.js", "*;q=0", ""},
		{"unknown coding only", "/assets/index-abc123.js", "zstd", ""},
		{"index has gzip only", "/", "br, gzip", "gzip"},
		{"client route gets the compressed index", "/accounts/1", "gzip", "gzip"},
		{"css has no siblings", "/assets/index-abc123.css", "br, gzip", ""},
	}
	etags := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := get(t, h, "GET", tt.path, "Accept-Encoding", tt.accept)
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status = %d", res.StatusCode)
			}
			if got := res.Header.Get("Content-Encoding"); got != tt.coding {
				t.Fatalf("Content-Encoding = %q, want %q", got, tt.coding)
			}
			want := map[string]string{
				"/assets/index-abc123.js":  "text/javascript; charset=utf-8",
				"/assets/index-abc123.css": "text/css; charset=utf-8",
			}[tt.path]
			if want == "" {
				want = "text/html; charset=utf-8"
			}
			if ct := res.Header.Get("Content-Type"); ct != want {
				t.Errorf("Content-Type = %q, want %q", ct, want)
			}
			compressible := tt.path != "/assets/index-abc123.css"
			if vary := res.Header.Get("Vary"); compressible != (vary == "Accept-Encoding") {
				t.Errorf("Vary = %q (file has compressed siblings: %v)", vary, compressible)
			}
			switch tt.coding {
			case "gzip":
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				plain, _ := io.ReadAll(zr)
				if !strings.Contains(string(plain), "console.log(1)") && !strings.Contains(string(plain), "<title>BankApp</title>") {
					t.Errorf("gunzipped body %q", plain)
				}
			case "br":
				if string(body) != "BROTLI:console.log(1)" {
					t.Errorf("br body %q", body)
				}
			}
			tag := res.Header.Get("ETag")
			if !strings.HasPrefix(tag, `"`) || !strings.HasSuffix(tag, `"`) {
				t.Fatalf("ETag %q is not a strong validator", tag)
			}
			key := tt.path + " " + tt.coding
			if prev, ok := etags[key]; ok && prev != tag {
				t.Errorf("ETag of the same representation changed: %s vs %s", prev, tag)
			}
			etags[key] = tag
		})
	}
	// Each representation of the script has its own ETag.
	js := map[string]bool{}
	for k, v := range etags {
		if strings.HasPrefix(k, "/assets/index-abc123.js ") {
			js[v] = true
		}
	}
	if len(js) != 3 {
		t.Errorf("script ETags %v: want 3 distinct (identity, gzip, br)", etags)
	}
}

func TestHandlerPrecompressedConditionalAndHidden(t *testing.T) {
	h := NewHandler(compressedBuild(t))
	first := get(t, h, "GET", "/assets/index-abc123.js", "Accept-Encoding", "br")
	tag := first.Header.Get("ETag")
	again := get(t, h, "GET", "/assets/index-abc123.js", "Accept-Encoding", "br", "If-None-Match", tag)
	if again.StatusCode != http.StatusNotModified {
		t.Fatalf("If-None-Match with the br ETag: status %d, want 304", again.StatusCode)
	}
	// The gzip representation does not match the br validator.
	other := get(t, h, "GET", "/assets/index-abc123.js", "Accept-Encoding", "gzip", "If-None-Match", tag)
	if other.StatusCode != http.StatusOK || other.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip with br's ETag: status %d encoding %q", other.StatusCode, other.Header.Get("Content-Encoding"))
	}
	head := get(t, h, "HEAD", "/assets/index-abc123.js", "Accept-Encoding", "gzip")
	body, _ := io.ReadAll(head.Body)
	if head.StatusCode != http.StatusOK || len(body) != 0 || head.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("HEAD: status %d, %d body bytes, encoding %q", head.StatusCode, len(body), head.Header.Get("Content-Encoding"))
	}
	for _, p := range []string{"/assets/index-abc123.js.br", "/assets/index-abc123.js.gz", "/index.html.gz"} {
		if res := get(t, h, "GET", p); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404 (siblings are served only through Accept-Encoding)", p, res.StatusCode)
		}
	}
}
