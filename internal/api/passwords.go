package api

import (
	"errors"

	"github.com/bankapp/bankapp/internal/auth"
)

// hashErr answers a request that ended while waiting for a password-hashing
// slot (auth.Bounded) as 503 unavailable.
func hashErr(err error) error {
	if errors.Is(err, auth.ErrHashBusy) {
		return errCode("unavailable", "the request was cancelled while waiting")
	}
	return err
}
