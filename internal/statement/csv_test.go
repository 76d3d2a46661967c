package statement_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/bankapp/bankapp/internal/statement"
)

func TestSafeCSVCell(t *testing.T) {
	tests := map[string]string{
		"":                         "",
		"Salary":                   "Salary",
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")",
		"+SUM(A1:A9)":              "'+SUM(A1:A9)",
		"-2+3":                     "'-2+3",
		"@cmd":                     "'@cmd",
		"\tTAB":                    "'\tTAB",
		"\rCR":                     "'\rCR",
		"-12.50":                   "-12.50",
		"-5":                       "-5",
		"1234.56":                  "1234.56",
		"+12":                      "'+12",
		"-12.50e3":                 "'-12.50e3",
		"- 5":                      "'- 5",
		"-":                        "'-",
		"a=b":                      "a=b",
		" =1+1":                    " =1+1",
	}
	for in, want := range tests {
		if got := statement.SafeCSVCell(in); got != want {
			t.Errorf("SafeCSVCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func renderCSV(t *testing.T, s statement.Statement) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := statement.CSV(&buf, s); err != nil {
		t.Fatalf("CSV: %v", err)
	}
	return buf.Bytes()
}

func TestCSVRoundTrip(t *testing.T) {
	s := sample(5, "GBP")
	s.Holder = `Zoë "Zed" O'Brien, Jr.`
	s.Entries[0].Description = "Rent, flat 2\nsecond line"
	s.Entries[1].Description = "=HYPERLINK(\"http://evil\",\"click\")"
	s.Entries[1].Counterparty = "@SUM(1+1)*cmd|' /C calc'!A0"
	s.Entries[2].Description = "+44 20 7946 0000"
	s.Entries[3].Description = "-2+3"
	s.Entries[4].Description = "\t=1+1"
	out := renderCSV(t, s)

	if !bytes.HasSuffix(out, []byte("\r\n")) || bytes.Count(out, []byte("\r\n")) < 13+len(s.Entries) {
		t.Errorf("CSV lines do not end in CRLF")
	}
	r := csv.NewReader(bytes.NewReader(out)) // FieldsPerRecord 0: all rows must match the first
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v\n%s", err, out)
	}
	if len(rows[0]) != 6 {
		t.Errorf("rows have %d fields, want 6", len(rows[0]))
	}
	head := map[string]string{}
	for _, row := range rows[:12] {
		head[row[0]] = row[1]
	}
	wantHead := map[string]string{
		"Bank": "BankApp", "Account holder": s.Holder, "Account name": "Everyday",
		"Account number": "123456789012", "Account type": "checking", "Currency": "GBP",
		"Period": "2026-10", "Opening balance": "1234.56",
		"Total in": plain(s.TotalIn), "Total out": plain(s.TotalOut), "Closing balance": plain(s.Closing),
		"Generated at": "2026-11-01T02:03:04Z",
	}
	for k, v := range wantHead {
		if head[k] != v {
			t.Errorf("header %q = %q, want %q", k, head[k], v)
		}
	}
	if got := strings.Join(rows[12], "|"); got != "Date|Type|Description|Counterparty|Amount|Balance after" {
		t.Errorf("column header = %q", got)
	}
	entries := rows[13:]
	if len(entries) != len(s.Entries) {
		t.Fatalf("%d entry rows, want %d", len(entries), len(s.Entries))
	}
	for i, e := range s.Entries {
		want := []string{
			e.Date.Format("2006-01-02"), e.Kind, statement.SafeCSVCell(e.Description),
			statement.SafeCSVCell(e.Counterparty), plain(e.Amount), plain(e.BalanceAfter),
		}
		if got := entries[i]; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("entry %d = %q, want %q", i, got, want)
		}
	}
	// Every cell a spreadsheet would evaluate is neutralised; debits stay numbers.
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) && !isPlainNumber(cell) {
				t.Errorf("cell %q starts a formula", cell)
			}
		}
	}
	if got := entries[1][4]; got != "-12.51" {
		t.Errorf("debit amount cell = %q, want the number -12.51", got)
	}
	if got := entries[1][2]; !strings.HasPrefix(got, "'=HYPERLINK") {
		t.Errorf("formula description = %q, want it prefixed with '", got)
	}
	if got := entries[0][2]; got != "Rent, flat 2\nsecond line" {
		t.Errorf("multi-line description = %q", got)
	}
}

func TestCSVDeterministic(t *testing.T) {
	s := sample(50, "USD")
	if !bytes.Equal(renderCSV(t, s), renderCSV(t, s)) {
		t.Error("two renderings of the same statement differ")
	}
}

// plain formats like the CSV: no thousands separators.
func plain(v int64) string {
	return strings.ReplaceAll(statement.FormatAmount(v, 2), ",", "")
}

func isPlainNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && c != '.' {
			return false
		}
	}
	return true
}
