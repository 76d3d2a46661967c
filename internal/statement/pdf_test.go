package statement_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/statement"
)

// pdfText extracts the text of a PDF with poppler's pdftotext; pages are
// separated by form feeds. Failing to parse is a test failure: the PDF
// does not open.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not found: install poppler-utils (apt-get install -y poppler-utils) to check statement PDFs")
	}
	in := filepath.Join(t.TempDir(), "statement.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "-layout", "-enc", "UTF-8", in, "-")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("pdftotext: %v; stderr: %s", err, stderr.String())
	}
	return string(out)
}

func render(t *testing.T, s statement.Statement) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := statement.PDF(&buf, s); err != nil {
		t.Fatalf("PDF: %v", err)
	}
	return buf.Bytes()
}

func TestPDFContainsTotalsAndEntries(t *testing.T) {
	s := sample(8, "USD")
	pdf := render(t, s)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("output does not start with %%PDF-: %q", pdf[:min(len(pdf), 16)])
	}
	text := pdfText(t, pdf)
	want := []string{
		"BankApp", "Statement October 2026", "Ada Lovelace", "Everyday", "123456789012", "checking",
		"1 October 2026 to 31 October 2026",
		"Opening balance", "$1,234.56",
		"Money in", statement.FormatMoney(s.TotalIn, 2, "USD"),
		"Money out", statement.FormatMoney(-s.TotalOut, 2, "USD"),
		"Closing balance", statement.FormatMoney(s.Closing, 2, "USD"),
		"Transactions (8)", "Page 1 of 1", "Generated 2026-11-01 02:03 UTC",
		"Transfer out", "Grace Hopper (100000000001)", "-12.51",
	}
	for _, e := range s.Entries {
		want = append(want, e.Description, statement.FormatAmount(e.BalanceAfter, 2))
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("PDF text lacks %q", w)
		}
	}
	if t.Failed() {
		t.Logf("PDF text:\n%s", text)
	}
}

func TestPDFCurrencySymbols(t *testing.T) {
	for cur, sym := range map[string]string{"EUR": "€", "GBP": "£"} {
		s := sample(3, cur)
		s.Holder = "Zoë Ørsted 日本"
		text := pdfText(t, render(t, s))
		for _, w := range []string{sym + "1,234.56", statement.FormatMoney(s.Closing, 2, cur), "Zoë Ørsted"} {
			if !strings.Contains(text, w) {
				t.Errorf("%s PDF text lacks %q:\n%s", cur, w, text)
			}
		}
	}
}

func TestPDFManyPages(t *testing.T) {
	s := sample(200, "USD")
	text := pdfText(t, render(t, s))
	pages := strings.Split(strings.TrimRight(text, "\f"), "\f")
	if len(pages) < 4 {
		t.Fatalf("200 entries on %d pages, want at least 4", len(pages))
	}
	for i, pg := range pages {
		for _, w := range []string{fmt.Sprintf("Page %d of %d", i+1, len(pages)), "Description", "Statement October 2026"} {
			if !strings.Contains(pg, w) {
				t.Errorf("page %d lacks %q", i+1, w)
			}
		}
	}
	for _, e := range s.Entries {
		if n := strings.Count(text, e.Description); n != 1 {
			t.Errorf("%q appears %d times, want once", e.Description, n)
		}
	}
	last := pages[len(pages)-1]
	if !strings.Contains(last, "Closing balance on 31 October 2026") || !strings.Contains(last, statement.FormatMoney(s.Closing, 2, "USD")) {
		t.Errorf("last page lacks the closing balance line:\n%s", last)
	}
}

func TestPDFEmptyAndLongText(t *testing.T) {
	s := sample(0, "USD")
	if text := pdfText(t, render(t, s)); !strings.Contains(text, "No transactions in this period.") {
		t.Errorf("empty statement text lacks the no-transactions line:\n%s", text)
	}
	s = sample(2, "USD")
	s.Entries[0].Description = strings.Repeat("Very long description ", 20) + "END"
	s.Entries[1].Description = "Tab\tand\nnewline (x) \\ y"
	text := pdfText(t, render(t, s))
	if strings.Contains(text, "END") || !regexp.MustCompile(`Very long description Very long \S*\.\.\.`).MatchString(text) {
		t.Errorf("long description not shortened with '...':\n%s", text)
	}
	if !strings.Contains(text, "Tab and newline (x) \\ y") {
		t.Errorf("control characters or PDF string escapes mishandled:\n%s", text)
	}
}

func TestPDFDeterministic(t *testing.T) {
	s := sample(120, "EUR")
	a, b := render(t, s), render(t, s)
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings of the same statement differ")
	}
	if !bytes.Contains(a, []byte("D:20261101020304")) {
		t.Error("PDF creation date is not GeneratedAt")
	}
	s.GeneratedAt = s.GeneratedAt.Add(time.Hour)
	if bytes.Equal(a, render(t, s)) {
		t.Error("a different GeneratedAt gave identical bytes")
	}
}

func TestRenderRejectsInconsistentStatements(t *testing.T) {
	tests := map[string]func(s *statement.Statement){
		"closing":         func(s *statement.Statement) { s.Closing++ },
		"total in":        func(s *statement.Statement) { s.TotalIn++; s.Closing++ },
		"total out":       func(s *statement.Statement) { s.TotalOut--; s.Closing++ },
		"balance after":   func(s *statement.Statement) { s.Entries[1].BalanceAfter++ },
		"entry order":     func(s *statement.Statement) { s.Entries[0], s.Entries[1] = s.Entries[1], s.Entries[0] },
		"negative totals": func(s *statement.Statement) { s.TotalIn, s.TotalOut = -s.TotalIn, -s.TotalOut },
		"USD digits":      func(s *statement.Statement) { s.Account.MinorDigits = 3 },
		"currency":        func(s *statement.Statement) { s.Account.Currency = "" },
		"account number":  func(s *statement.Statement) { s.Account.Number = "" },
		"period":          func(s *statement.Statement) { s.Period.Month = 13 },
		"generated at":    func(s *statement.Statement) { s.GeneratedAt = time.Time{} },
	}
	for name, breakIt := range tests {
		s := sample(4, "USD")
		breakIt(&s)
		var pdf, csv bytes.Buffer
		if err := statement.PDF(&pdf, s); err == nil || pdf.Len() > 0 {
			t.Errorf("%s: PDF err = %v, wrote %d bytes; want an error and nothing written", name, err, pdf.Len())
		}
		if err := statement.CSV(&csv, s); err == nil || csv.Len() > 0 {
			t.Errorf("%s: CSV err = %v, wrote %d bytes; want an error and nothing written", name, err, csv.Len())
		}
	}
	if err := sample(4, "USD").Validate(); err != nil {
		t.Fatalf("the unbroken sample is invalid: %v", err)
	}
}

func TestParsePeriod(t *testing.T) {
	p, err := statement.ParsePeriod("2026-10")
	if err != nil || p != (statement.Period{Year: 2026, Month: time.October}) || p.String() != "2026-10" || p.Title() != "October 2026" {
		t.Errorf("ParsePeriod(2026-10) = %+v, %v", p, err)
	}
	for _, bad := range []string{"", "2026-13", "2026-00", "2026-1", "26-10", "2026-10-01", "0000-01", "２026-10"} {
		if _, err := statement.ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) succeeded", bad)
		}
	}
}

// TestPDFConcurrent renders from many goroutines: no shared state, same bytes.
func TestPDFConcurrent(t *testing.T) {
	s := sample(60, "GBP")
	want := render(t, s)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			var buf bytes.Buffer
			if err := statement.PDF(&buf, s); err != nil || !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("concurrent render: err %v, equal %v", err, bytes.Equal(buf.Bytes(), want))
			}
		})
	}
	wg.Wait()
}

func BenchmarkPDF200(b *testing.B) {
	s := sample(200, "USD")
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := statement.PDF(&buf, s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/pdf")
}

func BenchmarkCSV200(b *testing.B) {
	s := sample(200, "USD")
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := statement.CSV(&buf, s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/csv")
}
