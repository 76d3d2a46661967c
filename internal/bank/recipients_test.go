package bank_test

import (
	"testing"

	"github.com/bankapp/bankapp/internal/bank"
)

func TestMaskName(t *testing.T) {
	for in, want := range map[string]string{
		"Alice Martin":      "Alice M.",
		"Mary Ann van Dyke": "Mary D.",
		"Cher":              "Cher",
		"  ":                "BankApp customer",
		"ada lovelace":      "ada L.",
		"Élodie Ørsted":     "Élodie Ø.",
	} {
		if got := bank.MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
}
