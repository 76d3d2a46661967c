package auth

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/audit"
)

func TestWindowAdmitsAtMostMaxInAnyPeriod(t *testing.T) {
	w := Window{Max: 5, Per: time.Hour}
	t0 := time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)
	var hits []time.Time
	for i := range 5 {
		var ok bool
		hits, ok, _ = w.Admit(hits, t0.Add(time.Duration(i)*time.Minute))
		if !ok {
			t.Fatalf("hit %d refused", i+1)
		}
	}
	kept, ok, retry := w.Admit(hits, t0.Add(10*time.Minute))
	if ok || len(kept) != 5 || retry != 50*time.Minute {
		t.Fatalf("sixth hit: ok %v, %d kept, retry %s", ok, len(kept), retry)
	}
	// An hour after the first, one slot is free again, and only one.
	kept, ok, _ = w.Admit(kept, t0.Add(time.Hour))
	if !ok || len(kept) != 5 {
		t.Fatalf("an hour later: ok %v, %d kept", ok, len(kept))
	}
	if _, ok, _ = w.Admit(kept, t0.Add(time.Hour)); ok {
		t.Fatal("two slots freed by one expired hit")
	}
	// Hits older than the window are dropped from what is stored.
	if kept, _, _ = w.Admit(kept, t0.Add(5*time.Hour)); len(kept) != 1 {
		t.Fatalf("%d hits kept after a quiet spell", len(kept))
	}
}

func TestRecoveryCodesAreHighEntropyAndForgivingToType(t *testing.T) {
	shape := regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$`)
	seen := map[string]bool{}
	for range 1000 {
		c := newRecoveryCode()
		if !shape.MatchString(c) || seen[c] {
			t.Fatalf("code %q (seen before: %v)", c, seen[c])
		}
		seen[c] = true
	}
	c := newRecoveryCode()
	want, ok := normalizeRecoveryCode(c)
	if !ok || len(want) != 16 {
		t.Fatalf("%q normalises to %q %v", c, want, ok)
	}
	for _, typed := range []string{strings.ToUpper(c), strings.ReplaceAll(c, "-", ""), " " + strings.ReplaceAll(c, "-", " ") + " "} {
		if got, ok := normalizeRecoveryCode(typed); !ok || got != want {
			t.Errorf("%q normalises to %q, want %q", typed, got, want)
		}
	}
	if got, ok := normalizeRecoveryCode("OIL0-0000-0000-0000"); !ok || got != "0110000000000000" {
		t.Errorf("Crockford reading of o, i, l: %q %v", got, ok)
	}
	for _, bad := range []string{"", "0000-0000-0000", "0000-0000-0000-0000-0", "uuuu-0000-0000-0000", "0000_0000_0000_0000"} {
		if _, ok := normalizeRecoveryCode(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
	// The stored hash depends on the user: one user's code is not another's.
	if hashRecoveryCode("u1", want) == hashRecoveryCode("u2", want) {
		t.Fatal("the hash ignores the user")
	}
}

func TestDeviceCookie(t *testing.T) {
	s := &Service{devKey: DeriveKey([]byte("a-signing-key-of-at-least-32-bytes!!"), "device-cookie")}
	other := &Service{devKey: DeriveKey([]byte("a-signing-key-of-at-least-32-bytes!!"), "something-else")}
	c := audit.Caller{IP: "192.0.2.1", UserAgent: "Firefox/128.0"}

	hash, kind, cookie := s.device(c, Credentials{Cookie: true})
	if kind != DeviceCookie || cookie == "" || hash == "" {
		t.Fatalf("a browser without a cookie: %q %q %q", hash, kind, cookie)
	}
	again, _, renewed := s.device(audit.Caller{IP: "198.51.100.7", UserAgent: "other"}, Credentials{Cookie: true, Device: cookie})
	if again != hash || renewed != cookie {
		t.Fatal("the same cookie names another device")
	}
	if h, _, fresh := other.device(c, Credentials{Cookie: true, Device: cookie}); h == hash || fresh == cookie {
		t.Fatal("a cookie signed with another key was accepted")
	}
	id, _, _ := strings.Cut(cookie, ".")
	for _, forged := range []string{id, id + ".", id + ".x", "." + strings.SplitN(cookie, ".", 2)[1], strings.Repeat("a", 200)} {
		if _, ok := s.openDeviceCookie(forged); ok {
			t.Errorf("forged cookie %q accepted", forged)
		}
	}
	// A bearer client is its user agent and address.
	h1, k1, c1 := s.device(c, Credentials{})
	h2, _, _ := s.device(audit.Caller{IP: "192.0.2.2", UserAgent: c.UserAgent}, Credentials{})
	if k1 != DeviceAgent || c1 != "" || h1 == h2 {
		t.Fatalf("bearer devices: %q %q %q / %q", h1, k1, c1, h2)
	}
}

func TestDescribeAgent(t *testing.T) {
	for ua, want := range map[string]string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36":                  "Chrome on Windows",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15":               "Safari on macOS",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile Safari/604.1": "Safari on iOS",
		"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0":                                                           "Firefox on Linux",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0":    "Edge on Windows",
		"bankctl/2.0": "bankctl/2.0",
		"":            "an unnamed client",
	} {
		if got := describeAgent(ua); got != want {
			t.Errorf("%q: %q, want %q", ua, got, want)
		}
	}
}
