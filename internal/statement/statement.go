// Package statement renders a monthly account statement as PDF or CSV.
//
// It is pure: the caller (internal/bank) reads the ledger, fills a Statement
// and stores the bytes (internal/blob). Money is int64 minor units
// throughout; nothing here converts an amount to floating point.
package statement

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Statement is everything printed on one account's statement for one month.
type Statement struct {
	BankName    string
	Account     Account
	Holder      string // the customer's full name
	Period      Period
	Opening     int64 // balance before the first entry, minor units
	Closing     int64 // balance after the last entry
	TotalIn     int64 // sum of positive entry amounts (≥ 0)
	TotalOut    int64 // sum of negative entry amounts, as a positive number (≥ 0)
	Entries     []Entry
	GeneratedAt time.Time // printed, and used as the PDF creation date
}

// Account identifies the account the statement is for.
type Account struct {
	Number   string // 12-digit account number
	Name     string // the customer's name for the account, e.g. "Bills"
	Type     string // "checking", "savings", "brokerage"
	Currency string // ISO 4217 code: "USD", "EUR", "GBP"
	// MinorDigits is the number of decimals of Currency's minor unit.
	// Zero means the ISO 4217 value for the currencies the bank knows
	// (2 for USD, EUR and GBP); for those a different value is an error.
	MinorDigits int
}

// Entry is one ledger entry on the account, in ledger order (oldest first).
type Entry struct {
	Date         time.Time // printed as a date in Date's own location
	Kind         string    // API entry kind: "deposit", "transfer_out", …
	Description  string
	Counterparty string // e.g. "Jane Doe (123456789012)"; may be empty
	Amount       int64  // signed minor units: + money in, − money out
	BalanceAfter int64  // account balance right after this entry
}

// Period is a calendar month.
type Period struct {
	Year  int
	Month time.Month
}

// periodRE is the API's {yyyy-mm} path segment.
var periodRE = regexp.MustCompile(`^([0-9]{4})-(0[1-9]|1[0-2])$`)

// ParsePeriod parses "yyyy-mm" (e.g. "2026-10"), the form String returns
// and the statements endpoint takes.
func ParsePeriod(s string) (Period, error) {
	m := periodRE.FindStringSubmatch(s)
	if m == nil {
		return Period{}, fmt.Errorf("statement: period %q: want yyyy-mm", s)
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	p := Period{Year: y, Month: time.Month(mo)}
	if err := p.validate(); err != nil {
		return Period{}, err
	}
	return p, nil
}

// String returns the period as "yyyy-mm".
func (p Period) String() string { return fmt.Sprintf("%04d-%02d", p.Year, int(p.Month)) }

// Title returns the period as "October 2026".
func (p Period) Title() string { return fmt.Sprintf("%s %d", p.Month, p.Year) }

// Start returns the first instant of the month in loc; the month ends at
// p.Start(loc).AddDate(0, 1, 0), exclusive.
func (p Period) Start(loc *time.Location) time.Time {
	return time.Date(p.Year, p.Month, 1, 0, 0, 0, 0, loc)
}

func (p Period) validate() error {
	if p.Year < 1 || p.Year > 9999 || p.Month < time.January || p.Month > time.December {
		return fmt.Errorf("statement: invalid period %04d-%02d", p.Year, int(p.Month))
	}
	return nil
}

// knownDigits returns the ISO 4217 minor digits of the bank's currencies.
func knownDigits(currency string) (int, bool) {
	switch currency {
	case "USD", "EUR", "GBP":
		return 2, true
	}
	return 0, false
}

// digits returns the minor digits to format amounts with.
func (a Account) digits() int {
	if d, ok := knownDigits(a.Currency); ok && a.MinorDigits == 0 {
		return d
	}
	return a.MinorDigits
}

// Validate checks that the statement adds up before anything is rendered:
// Opening + TotalIn − TotalOut = Closing, the totals are the sums of the
// entries, and each entry's BalanceAfter follows from the one before. A
// statement that fails is a bug in the caller, never something to print.
func (s Statement) Validate() error {
	a := s.Account
	if a.Number == "" {
		return errors.New("statement: no account number")
	}
	if len(a.Currency) != 3 {
		return fmt.Errorf("statement: currency %q: want a 3-letter ISO 4217 code", a.Currency)
	}
	if d, ok := knownDigits(a.Currency); ok && a.MinorDigits != 0 && a.MinorDigits != d {
		return fmt.Errorf("statement: %s has %d minor digits, not %d", a.Currency, d, a.MinorDigits)
	}
	if a.MinorDigits < 0 || a.MinorDigits > 18 {
		return fmt.Errorf("statement: minor digits %d out of range 0–18", a.MinorDigits)
	}
	if err := s.Period.validate(); err != nil {
		return err
	}
	if s.GeneratedAt.IsZero() {
		return errors.New("statement: GeneratedAt not set (it fixes the PDF's dates)")
	}
	if s.TotalIn < 0 || s.TotalOut < 0 {
		return fmt.Errorf("statement: totals in %d and out %d must not be negative", s.TotalIn, s.TotalOut)
	}
	var in, out int64
	bal := s.Opening
	var ok bool
	for i, e := range s.Entries {
		if e.Amount == minInt64 {
			return fmt.Errorf("statement: entry %d: amount out of range", i)
		}
		if bal, ok = add(bal, e.Amount); !ok {
			return fmt.Errorf("statement: entry %d: balance overflows", i)
		}
		if e.BalanceAfter != bal {
			return fmt.Errorf("statement: entry %d: balance after is %d, but opening %d plus the amounts so far is %d", i, e.BalanceAfter, s.Opening, bal)
		}
		if e.Amount > 0 {
			in, ok = add(in, e.Amount)
		} else {
			out, ok = add(out, -e.Amount)
		}
		if !ok {
			return fmt.Errorf("statement: entry %d: totals overflow", i)
		}
	}
	if in != s.TotalIn || out != s.TotalOut {
		return fmt.Errorf("statement: totals in %d / out %d, but the entries sum to %d / %d", s.TotalIn, s.TotalOut, in, out)
	}
	if bal != s.Closing {
		return fmt.Errorf("statement: closing balance %d, but opening plus entries is %d", s.Closing, bal)
	}
	return nil
}

const minInt64 = -1 << 63

// add returns a+b and whether it did not overflow.
func add(a, b int64) (int64, bool) {
	c := a + b
	if (c > a) != (b > 0) {
		return c, false
	}
	return c, true
}

// KindLabel returns the printed name of an API entry kind.
func KindLabel(kind string) string {
	switch kind {
	case "deposit":
		return "Deposit"
	case "withdrawal":
		return "Withdrawal"
	case "transfer_in":
		return "Transfer in"
	case "transfer_out":
		return "Transfer out"
	case "trade_buy":
		return "Stock/crypto buy"
	case "trade_sell":
		return "Stock/crypto sale"
	case "fee":
		return "Fee"
	case "interest":
		return "Interest"
	case "exchange_out":
		return "Currency exchange out"
	case "exchange_in":
		return "Currency exchange in"
	}
	return kind
}
