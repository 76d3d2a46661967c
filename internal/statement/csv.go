package statement

import (
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"time"
)

// csvColumns is the width of every CSV row: RFC 4180 wants the same number
// of fields on each line, so the header block is padded to the entry table.
const csvColumns = 6

// numberRE matches the plain decimals this package writes for amounts.
var numberRE = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// SafeCSVCell neutralises spreadsheet formula injection in one CSV cell.
// A cell starting with '=', '+', '-', '@', TAB or CR would be evaluated as
// a formula by Excel, LibreOffice or Google Sheets, so it gets a leading
// apostrophe, which makes the spreadsheet show it as text.
//
// Decision: a cell that is a plain decimal number (optional '-', digits,
// optional fraction, e.g. "-12.50") is returned unchanged. A spreadsheet
// reads it as a number, not a formula, so it cannot inject anything, and
// prefixing it would turn every debit into text that cannot be summed.
// "-1+2", "+12", "-12.50e3" or "- 5" are not plain numbers and are prefixed.
//
// Apply it to every cell written from data (descriptions, names, amounts);
// encoding/csv then handles quoting.
func SafeCSVCell(s string) string {
	if s == "" || numberRE.MatchString(s) {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// CSV writes the statement as RFC 4180 CSV (CRLF line ends, UTF-8): a
// header block of label/value rows, then a column header row and one row
// per entry. Every row has six fields. Amounts are plain decimals with a
// '.' and no thousands separators ("-1234.50"), dates are yyyy-mm-dd, kinds
// are the API's entry kinds. Every cell goes through SafeCSVCell.
func CSV(w io.Writer, s Statement) error {
	if err := s.Validate(); err != nil {
		return err
	}
	d := s.Account.digits()
	amt := func(v int64) string { return plainAmount(v, d) }
	rows := [][]string{
		{"Bank", s.BankName},
		{"Account holder", s.Holder},
		{"Account name", s.Account.Name},
		{"Account number", s.Account.Number},
		{"Account type", s.Account.Type},
		{"Currency", s.Account.Currency},
		{"Period", s.Period.String()},
		{"Opening balance", amt(s.Opening)},
		{"Total in", amt(s.TotalIn)},
		{"Total out", amt(s.TotalOut)},
		{"Closing balance", amt(s.Closing)},
		{"Generated at", s.GeneratedAt.UTC().Format(time.RFC3339)},
		{"Date", "Type", "Description", "Counterparty", "Amount", "Balance after"},
	}
	for _, e := range s.Entries {
		rows = append(rows, []string{
			e.Date.Format(time.DateOnly), e.Kind, e.Description, e.Counterparty,
			amt(e.Amount), amt(e.BalanceAfter),
		})
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	rec := make([]string, csvColumns)
	for _, row := range rows {
		clear(rec)
		for i, v := range row {
			rec[i] = SafeCSVCell(v)
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("statement: write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("statement: write csv: %w", err)
	}
	return nil
}
