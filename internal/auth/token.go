package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Audience is the JWT audience of access tokens.
const Audience = "bankapp-api"

// Claims are the claims of an access token.
type Claims struct {
	SessionID string `json:"sid"`
	Role      string `json:"role"`
	jwt.RegisteredClaims
}

// Tokens signs and checks access tokens with one pinned algorithm (HS256)
// and a key of at least 256 bits.
type Tokens struct {
	key    []byte
	issuer string
	ttl    time.Duration
	now    func() time.Time
}

// NewTokens returns a token signer. The key must be at least 32 bytes.
func NewTokens(key []byte, issuer string, ttl time.Duration, now func() time.Time) (*Tokens, error) {
	if len(key) < 32 {
		return nil, errors.New("auth: signing key must be at least 256 bits")
	}
	if now == nil {
		now = time.Now
	}
	return &Tokens{key: key, issuer: issuer, ttl: ttl, now: now}, nil
}

// TTL is the lifetime of access tokens.
func (t *Tokens) TTL() time.Duration { return t.ttl }

// Issue returns a signed access token for the user's session.
func (t *Tokens) Issue(userID, sessionID, role string) (string, error) {
	now := t.now()
	c := Claims{SessionID: sessionID, Role: role, RegisteredClaims: jwt.RegisteredClaims{
		Issuer: t.issuer, Subject: userID, Audience: jwt.ClaimStrings{Audience},
		IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now.Add(-time.Second)),
		ExpiresAt: jwt.NewNumericDate(now.Add(t.ttl)), ID: RandomToken(12),
	}}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.key)
	if err != nil {
		return "", fmt.Errorf("auth: sign: %w", err)
	}
	return s, nil
}

// Parse verifies an access token: HS256 only, signature, issuer, audience,
// expiry, issued-at, and a session id present.
func (t *Tokens) Parse(s string) (*Claims, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(s, &c, func(*jwt.Token) (any, error) { return t.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(t.issuer), jwt.WithAudience(Audience),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithTimeFunc(t.now), jwt.WithLeeway(5*time.Second))
	if err != nil {
		return nil, fmt.Errorf("auth: token: %w", err)
	}
	if c.SessionID == "" || c.Subject == "" {
		return nil, errors.New("auth: token lacks sid or sub")
	}
	return &c, nil
}

// RandomToken returns n random bytes, base64url encoded.
func RandomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("auth: crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is how refresh tokens are stored: only their SHA-256.
func HashToken(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}
