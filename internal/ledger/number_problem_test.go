package ledger

import "testing"

func TestAccountNumberProblem(t *testing.T) {
	valid := NewAccountNumber()
	bad := valid[:11] + string('0'+(valid[11]-'0'+1)%10)
	tests := []struct{ in, want string }{
		{valid, ""},
		{"", "Enter the recipient's 12-digit account number."},
		{"12345", "An account number has 12 digits; this one has 5."},
		{"1234567890123", "An account number has 12 digits; this one has 13."},
		{"12345678901a", "An account number has only digits: enter all 12 of them."},
		{bad, "This account number has a typo: its last digit doesn't match the others. Check the number and try again."},
	}
	for _, tt := range tests {
		if got := AccountNumberProblem(tt.in); got != tt.want {
			t.Errorf("AccountNumberProblem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
