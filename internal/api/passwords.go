package api

import (
	"context"
	"errors"

	"github.com/bankapp/bankapp/internal/auth"
)

// maxConcurrentHashes bounds argon2id work per instance (auth.Bounded).
const maxConcurrentHashes = 2

// hashPassword hashes under the instance's hashing bound.
func (s *Server) hashPassword(ctx context.Context, pw string) (string, error) {
	h, err := s.hasher.Hash(ctx, pw)
	return h, hashErr(err)
}

// verifyPassword verifies under the instance's hashing bound.
func (s *Server) verifyPassword(ctx context.Context, hash, pw string) (bool, error) {
	ok, err := s.hasher.Verify(ctx, hash, pw)
	return ok, hashErr(err)
}

func hashErr(err error) error {
	if errors.Is(err, auth.ErrHashBusy) {
		return errCode("unavailable", "the request was cancelled while waiting")
	}
	return err
}
