package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"strings"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/mail"
)

// RecoveryCodeCount is how many recovery codes a set has.
const RecoveryCodeCount = 10

// codeAlphabet is Crockford's base32 in lower case: no i, l, o or u, so a
// code copied by hand is read back the same.
const codeAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

var codeEncoding = base32.NewEncoding(codeAlphabet).WithPadding(base32.NoPadding)

// newRecoveryCode draws a code of 80 random bits: 16 characters shown in
// four groups, "7kq2-m9xd-4hfa-ztpw". 80 bits keep the stored SHA-256 out
// of reach of an offline search, so it needs no slow hash.
func newRecoveryCode() string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic("auth: crypto/rand failed: " + err.Error())
	}
	s := codeEncoding.EncodeToString(b)
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
}

// normalizeRecoveryCode reads a code as typed: case, spaces and dashes do
// not matter, and o, i and l are read as 0, 1 and 1 (Crockford). ok is
// false when it cannot be a code.
func normalizeRecoveryCode(s string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case ' ', '-':
			continue
		case 'o':
			r = '0'
		case 'i', 'l':
			r = '1'
		}
		if !strings.ContainsRune(codeAlphabet, r) {
			return "", false
		}
		b.WriteRune(r)
	}
	return b.String(), b.Len() == 16
}

// hashRecoveryCode is how a code is stored: SHA-256 of the user id and the
// normalised code.
func hashRecoveryCode(userID, code string) string {
	h := sha256.Sum256([]byte(userID + ":" + code))
	return hex.EncodeToString(h[:])
}

// RegenerateRecoveryCodes checks the caller's password (Reauthenticate: a
// wrong one is invalid_credentials and counts toward the lockout), then
// replaces the caller's recovery codes with RecoveryCodeCount new ones —
// the earlier ones stop working — and puts a notice in the outbox. The
// codes are returned once and stored only hashed. ErrTOTPNotEnabled when
// 2FA is off.
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, c audit.Caller, password string) ([]string, error) {
	if _, err := s.Reauthenticate(ctx, c, password, "recovery_codes_regenerate", "the password is incorrect"); err != nil {
		return nil, err
	}
	codes := make([]string, RecoveryCodeCount)
	hashes := make([]string, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
		norm, _ := normalizeRecoveryCode(codes[i])
		hashes[i] = hashRecoveryCode(c.UserID, norm)
	}
	now := s.now()
	err := s.store.InTx(ctx, func(tx Tx) error {
		u, err := tx.UserByIDForUpdate(ctx, c.UserID)
		if err != nil {
			return err
		}
		if !u.TOTPEnabled {
			return ErrTOTPNotEnabled
		}
		if err := tx.ReplaceRecoveryCodes(ctx, u.ID, hashes, now); err != nil {
			return err
		}
		if err := s.notify(ctx, tx, c, u, mail.KindRecoveryCodesRegenerated, ""); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.Event("recovery_codes_regenerate", "user:"+u.ID, "success"))
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// spendRecoveryCode uses one of u's recovery codes at sign-in, in tx, and
// puts the notice in the outbox; false when the code is not one of u's
// unused codes.
func (s *Service) spendRecoveryCode(ctx context.Context, tx Tx, c audit.Caller, u User, code string) (bool, error) {
	norm, ok := normalizeRecoveryCode(code)
	if !ok {
		return false, nil
	}
	used, err := tx.SpendRecoveryCode(ctx, u.ID, hashRecoveryCode(u.ID, norm), s.now())
	if err != nil || !used {
		return false, err
	}
	if err := s.notify(ctx, tx, c, u, mail.KindRecoveryCodeUsed, ""); err != nil {
		return false, err
	}
	return true, tx.InsertAudit(ctx, c.Event("recovery_code_use", "user:"+u.ID, "success").As(u.ID))
}
