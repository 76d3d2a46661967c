package ledger

import (
	"crypto/rand"
	"math/big"
)

// NewAccountNumber returns a random 12-digit account number whose last digit
// is the Luhn check digit of the first eleven. The first digit is never 0.
func NewAccountNumber() string {
	b := make([]byte, 12)
	for i := 0; i < 11; i++ {
		lo := int64(0)
		if i == 0 {
			lo = 1
		}
		n, err := rand.Int(rand.Reader, big.NewInt(10-lo))
		if err != nil {
			panic("ledger: crypto/rand failed: " + err.Error())
		}
		b[i] = byte('0' + lo + n.Int64()) // #nosec G115 -- lo+n is in 0..9
	}
	b[11] = luhnDigit(b[:11])
	return string(b)
}

// ValidAccountNumber reports whether s is 12 digits with a correct Luhn check
// digit.
func ValidAccountNumber(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return luhnDigit([]byte(s[:11])) == s[11]
}

// luhnDigit computes the check digit to append to payload.
func luhnDigit(payload []byte) byte {
	sum := 0
	double := true // the rightmost payload digit is doubled
	for i := len(payload) - 1; i >= 0; i-- {
		d := int(payload[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}
