package ledger

import "strconv"

// AccountNumberProblem says, in a customer's words, what is wrong with a
// typed account number, or "" when it is a valid 12-digit number. A number
// of the right length whose Luhn check digit does not match is almost always
// a typo, and the message says so.
func AccountNumberProblem(s string) string {
	if s == "" {
		return "Enter the recipient's 12-digit account number."
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "An account number has only digits: enter all 12 of them."
		}
	}
	if len(s) != 12 {
		return "An account number has 12 digits; this one has " + strconv.Itoa(len(s)) + "."
	}
	if !ValidAccountNumber(s) {
		return "This account number has a typo: its last digit doesn't match the others. Check the number and try again."
	}
	return ""
}
