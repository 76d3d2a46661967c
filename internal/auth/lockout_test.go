package auth

import (
	"testing"
	"time"
)

func TestLockoutCountsBeforeChecking(t *testing.T) {
	l := Lockout{Max: 3, For: 15 * time.Minute}
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	var a Attempts
	var n int
	var ok bool
	for want := 1; want <= 3; want++ {
		a, n, _, ok = l.Begin(a, now)
		if !ok || n != want {
			t.Fatalf("attempt %d: n=%d ok=%v", want, n, ok)
		}
	}
	if !a.LockedUntil.Equal(now.Add(15 * time.Minute)) {
		t.Fatalf("the third attempt must set the lock: %+v", a)
	}
	// A fourth attempt during the lock is refused without counting.
	if next, _, until, ok := l.Begin(a, now.Add(time.Minute)); ok || next != a || !until.Equal(a.LockedUntil) {
		t.Fatalf("during the lock: ok=%v next=%+v until=%v", ok, next, until)
	}
	// The third attempt (the one that locked) may still succeed; the first
	// may not, since later ones locked the email while it was checked.
	if !l.MaySucceed(a, 3, now) || l.MaySucceed(a, 1, now) {
		t.Fatal("MaySucceed: the locking attempt may finish, an earlier one may not")
	}
	if !l.Locks(3) || l.Locks(2) {
		t.Fatal("Locks: only from the Max-th attempt")
	}
	// After the lock the count starts again.
	a, n, _, ok = l.Begin(a, now.Add(16*time.Minute))
	if !ok || n != 1 || !a.LockedUntil.IsZero() {
		t.Fatalf("after the lock: n=%d ok=%v %+v", n, ok, a)
	}
}

func TestCheckPasswordRules(t *testing.T) {
	for _, tc := range []struct {
		pw   string
		good bool
	}{
		{"short", false},
		{"            ", false},
		{"123456789012", false},
		{"passwordpassword", false},
		{"qwertyuiopas", false},
		{"jane.doe-2026-secret", false}, // contains the email's local part
		{"a-long-enough-Passw0rd!", true},
		{"correct horse battery staple", true},
	} {
		if got := CheckPassword(tc.pw, "jane.doe@example.com") == ""; got != tc.good {
			t.Errorf("CheckPassword(%q) acceptable = %v, want %v", tc.pw, got, tc.good)
		}
	}
}
