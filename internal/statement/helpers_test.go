package statement_test

import (
	"fmt"
	"time"

	"github.com/bankapp/bankapp/internal/statement"
)

// sample builds a consistent statement with n entries in currency.
func sample(n int, currency string) statement.Statement {
	s := statement.Statement{
		BankName: "BankApp",
		Account: statement.Account{
			Number: "123456789012", Name: "Everyday", Type: "checking", Currency: currency,
		},
		Holder:      "Ada Lovelace",
		Period:      statement.Period{Year: 2026, Month: time.October},
		Opening:     123456, // 1,234.56
		GeneratedAt: time.Date(2026, 11, 1, 2, 3, 4, 0, time.UTC),
	}
	bal := s.Opening
	for i := range n {
		var amt int64
		var kind, cp string
		switch i % 4 {
		case 0:
			amt, kind, cp = 250000+int64(i), "deposit", ""
		case 1:
			amt, kind, cp = -(1250 + int64(i)), "transfer_out", fmt.Sprintf("Grace Hopper (%012d)", 100000000000+i)
		case 2:
			amt, kind, cp = 3333, "transfer_in", "Alan Turing (999988887777)"
		default:
			amt, kind, cp = -99, "fee", ""
		}
		bal += amt
		if amt > 0 {
			s.TotalIn += amt
		} else {
			s.TotalOut -= amt
		}
		s.Entries = append(s.Entries, statement.Entry{
			Date:         time.Date(2026, 10, 1+i*30/max(n, 1), 9, 0, 0, 0, time.UTC),
			Kind:         kind,
			Description:  fmt.Sprintf("Payment #%03d", i),
			Counterparty: cp,
			Amount:       amt,
			BalanceAfter: bal,
		})
	}
	s.Closing = bal
	return s
}
