package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"github.com/trustelem/zxcvbn/frequency"
	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's password storage cheat sheet minimum
// (m=19 MiB, t=2, p=1).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// Password length bounds.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 128
)

// MinPasswordScore is the lowest zxcvbn score (0–4) a password may have.
const MinPasswordScore = 3

// commonPasswords is zxcvbn's list of the ~30,000 most common passwords,
// lower-cased, from the maintained Go port github.com/trustelem/zxcvbn.
var commonPasswords = func() map[string]struct{} {
	list := frequency.FrequencyLists["passwords"]
	m := make(map[string]struct{}, len(list))
	for _, p := range list {
		m[strings.ToLower(p)] = struct{}{}
	}
	return m
}()

// CommonPasswordCount is the size of the embedded common-password list.
func CommonPasswordCount() int { return len(commonPasswords) }

// CheckPassword returns a message for the customer when the password is
// unacceptable, or "" when it is fine.
func CheckPassword(pw, email string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return fmt.Sprintf("Use at least %d characters for your password.", MinPasswordLen)
	case n > MaxPasswordLen:
		return fmt.Sprintf("Use at most %d characters for your password.", MaxPasswordLen)
	}
	if strings.TrimSpace(pw) == "" {
		return "Your password can't be only spaces."
	}
	lower := strings.ToLower(pw)
	if _, ok := commonPasswords[lower]; ok {
		return "This password is too common: it appears on lists of leaked passwords. Choose another."
	}
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	if local != "" && strings.Contains(lower, local) && len(local) >= 4 {
		return "Your password must not contain your email address."
	}
	// zxcvbn estimates how many guesses the password would take, seeing
	// repeats, sequences, keyboard walks, dates and dictionary words; a
	// score below 3 (under ~10^8 guesses) falls to an offline attack.
	if zxcvbn.PasswordStrength(pw, []string{local, email}).Score < MinPasswordScore {
		return "This password is too easy to guess (repeats, sequences, keyboard patterns or common words). Try a few unrelated words."
	}
	return ""
}

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// dummyHash is verified against when the email is unknown, so that a wrong
// email costs the same time as a wrong password.
var dummyHash, _ = HashPassword("not-a-real-password-just-for-timing")

// VerifyPassword reports whether pw matches the PHC-format hash. An empty
// hash (unknown user) is checked against a dummy hash and never matches.
func VerifyPassword(hash, pw string) (bool, error) {
	if hash == "" {
		_, _ = verify(dummyHash, pw)
		return false, nil
	}
	return verify(hash, pw)
}

func verify(hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("auth: unknown password hash format")
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, fmt.Errorf("auth: hash parameters: %w", err)
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("auth: hash salt: %w", err)
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false, fmt.Errorf("auth: hash key: %w", err)
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want))) // #nosec G115 -- len(want) is the stored key length, 32 bytes
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// Hasher hashes and verifies passwords. Argon2id is the one BankApp uses,
// behind Bounded; tests wrap it to hold verifications at a gate.
type Hasher interface {
	Hash(ctx context.Context, pw string) (string, error)
	Verify(ctx context.Context, hash, pw string) (bool, error)
}

// Argon2id is the Hasher of HashPassword and VerifyPassword.
type Argon2id struct{}

// Hash implements Hasher.
func (Argon2id) Hash(_ context.Context, pw string) (string, error) { return HashPassword(pw) }

// Verify implements Hasher.
func (Argon2id) Verify(_ context.Context, hash, pw string) (bool, error) {
	return VerifyPassword(hash, pw)
}

// ErrHashBusy is returned when the request ends while waiting for a hashing
// slot.
var ErrHashBusy = errors.New("auth: cancelled while waiting to hash a password")

// Bounded runs at most n hashes of h at once: each argon2id hash holds
// 19 MiB, so a burst of sign-ins would otherwise push memory far past the
// steady state (docs/reliability.md). Waiting callers queue in order and
// give up with ErrHashBusy when their context ends.
func Bounded(h Hasher, n int) Hasher { return &bounded{h: h, sem: make(chan struct{}, n)} }

type bounded struct {
	h   Hasher
	sem chan struct{}
}

func (b *bounded) acquire(ctx context.Context) error {
	select {
	case b.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ErrHashBusy
	}
}

func (b *bounded) Hash(ctx context.Context, pw string) (string, error) {
	if err := b.acquire(ctx); err != nil {
		return "", err
	}
	defer func() { <-b.sem }()
	return b.h.Hash(ctx, pw)
}

func (b *bounded) Verify(ctx context.Context, hash, pw string) (bool, error) {
	if err := b.acquire(ctx); err != nil {
		return false, err
	}
	defer func() { <-b.sem }()
	return b.h.Verify(ctx, hash, pw)
}
