package statement_test

import (
	"strings"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/statement"
)

// A statement of the month in progress says so: its last balance is the
// balance on the day it was made, month to date, not a closing balance on a
// day that has not come yet.
func TestPDFMonthInProgress(t *testing.T) {
	s := sample(3, "USD")
	s.Period = statement.Period{Year: 2026, Month: time.December}
	for i := range s.Entries {
		s.Entries[i].Date = time.Date(2026, 12, 1, 9+i, 0, 0, 0, time.UTC)
	}
	s.GeneratedAt = time.Date(2026, 12, 2, 14, 30, 0, 0, time.UTC)
	if !s.InProgress() {
		t.Fatal("a December statement made on 2 December is in progress")
	}
	text := pdfText(t, render(t, s))
	for _, w := range []string{"Statement December 2026 (month to date)", "1 December 2026 to 2 December 2026",
		"Balance so far", "Balance on 2 December 2026, month to date", statement.FormatMoney(s.Closing, 2, "USD")} {
		if !strings.Contains(text, w) {
			t.Errorf("PDF text lacks %q", w)
		}
	}
	for _, bad := range []string{"31 December", "Closing balance"} {
		if strings.Contains(text, bad) {
			t.Errorf("PDF of a month in progress says %q", bad)
		}
	}
	if t.Failed() {
		t.Logf("PDF text:\n%s", text)
	}

	// A finished month keeps its closing balance on the last day.
	done := sample(3, "USD")
	if done.InProgress() {
		t.Fatal("October made on 1 November is complete")
	}
	text = pdfText(t, render(t, done))
	if !strings.Contains(text, "Closing balance on 31 October 2026") || strings.Contains(text, "month to date") {
		t.Errorf("finished month:\n%s", text)
	}
}
