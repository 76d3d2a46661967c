package api

import (
	"context"

	"github.com/bankapp/bankapp/internal/auth"
)

// maxConcurrentHashes bounds argon2id work per instance: each hash holds
// 19 MiB, so a burst of sign-ins would otherwise push memory far past the
// steady state (docs/reliability.md). Waiting requests queue in order.
const maxConcurrentHashes = 2

func (s *Server) acquireHash(ctx context.Context) error {
	select {
	case s.hashSem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return errCode("unavailable", "the request was cancelled while waiting")
	}
}

func (s *Server) releaseHash() { <-s.hashSem }

// hashPassword is auth.HashPassword under the instance's hashing bound.
func (s *Server) hashPassword(ctx context.Context, pw string) (string, error) {
	if err := s.acquireHash(ctx); err != nil {
		return "", err
	}
	defer s.releaseHash()
	return auth.HashPassword(pw)
}

// verifyPassword is auth.VerifyPassword under the instance's hashing bound.
func (s *Server) verifyPassword(ctx context.Context, hash, pw string) (bool, error) {
	if err := s.acquireHash(ctx); err != nil {
		return false, err
	}
	defer s.releaseHash()
	return auth.VerifyPassword(hash, pw)
}
