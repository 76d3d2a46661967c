package auth

import "time"

// Attempts is the sign-in failure count of one normalised email string,
// whether or not a user has that email.
type Attempts struct {
	Failures    int
	LockedUntil time.Time // zero when not locked
}

// Lockout is the policy: Max attempts in a row that do not succeed lock the
// email for For. An attempt counts when it starts, before its password is
// checked, so that parallel guesses cannot all pass a lock check made
// before any of them failed.
type Lockout struct {
	Max int
	For time.Duration
}

// DefaultLockout locks after 10 failures for 15 minutes.
var DefaultLockout = Lockout{Max: 10, For: 15 * time.Minute}

// Begin counts an attempt on a. It returns the new state and the attempt's
// number, or ok false (and the time the lock ends) when a lock is in force.
// A lock that has run out starts the count afresh, or a single wrong
// password every 15 minutes would keep an account locked for good.
func (l Lockout) Begin(a Attempts, now time.Time) (next Attempts, n int, lockedUntil time.Time, ok bool) {
	if a.LockedUntil.After(now) {
		return a, 0, a.LockedUntil, false
	}
	if !a.LockedUntil.IsZero() {
		a = Attempts{}
	}
	a.Failures++
	if a.Failures >= l.Max {
		a.LockedUntil = now.Add(l.For)
	}
	return a, a.Failures, time.Time{}, true
}

// MaySucceed reports whether attempt n, whose credentials were right, may
// sign in given the current state a: not when attempts that started after
// it have locked the email meanwhile (a correct guess during a lock is
// refused). When it may, the caller clears the count.
func (l Lockout) MaySucceed(a Attempts, n int, now time.Time) bool {
	return !a.LockedUntil.After(now) || a.Failures == n
}

// Locks reports whether a failed attempt n is the one that locks (or comes
// after the lock), so that its answer is account_locked.
func (l Lockout) Locks(n int) bool { return n >= l.Max }
