package jobs_test

import (
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/jobs"
)

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := bank.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// runDays lists the run days of a schedule from start (up to n of them).
func runDays(t *testing.T, freq, start, end string, n int) []string {
	t.Helper()
	var e time.Time
	if end != "" {
		e = day(t, end)
	}
	s := day(t, start)
	out := []string{bank.FormatDate(s)}
	cur := s
	for len(out) < n {
		next, ok := bank.Next(freq, s, e, cur)
		if !ok {
			break
		}
		out = append(out, bank.FormatDate(next))
		cur = next
	}
	return out
}

func TestScheduleCalendar(t *testing.T) {
	cases := []struct {
		name, freq, start, end string
		want                   []string
	}{
		{"once runs once", bank.Once, "2026-12-01", "", []string{"2026-12-01"}},
		{"once ignores the end date", bank.Once, "2026-12-01", "2027-06-01", []string{"2026-12-01"}},
		{"weekly crosses the year", bank.Weekly, "2026-12-24", "", []string{"2026-12-24", "2026-12-31", "2027-01-07", "2027-01-14"}},
		{"weekly end date inclusive", bank.Weekly, "2027-01-01", "2027-01-15", []string{"2027-01-01", "2027-01-08", "2027-01-15"}},
		{"weekly end date between runs", bank.Weekly, "2027-01-01", "2027-01-14", []string{"2027-01-01", "2027-01-08"}},
		{"monthly on the 31st becomes the last day", bank.Monthly, "2027-01-31", "",
			[]string{"2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30"}},
		{"monthly leap February", bank.Monthly, "2028-01-31", "", []string{"2028-01-31", "2028-02-29", "2028-03-31"}},
		{"monthly 30th in February", bank.Monthly, "2027-01-30", "", []string{"2027-01-30", "2027-02-28", "2027-03-30"}},
		{"monthly 29th non-leap and leap", bank.Monthly, "2027-12-29", "", []string{"2027-12-29", "2028-01-29", "2028-02-29", "2028-03-29"}},
		{"monthly 29 Feb start", bank.Monthly, "2028-02-29", "", []string{"2028-02-29", "2028-03-29", "2028-04-29"}},
		{"monthly across years", bank.Monthly, "2026-11-15", "2027-02-15", []string{"2026-11-15", "2026-12-15", "2027-01-15", "2027-02-15"}},
		{"monthly end before the clamped day", bank.Monthly, "2027-01-31", "2027-02-27", []string{"2027-01-31"}},
		{"monthly end on the clamped day", bank.Monthly, "2027-01-31", "2027-02-28", []string{"2027-01-31", "2027-02-28"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := runDays(t, c.freq, c.start, c.end, len(c.want)+2)
			if len(c.end) == 0 && c.freq != bank.Once {
				got = got[:len(c.want)]
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("got %v, want %v", got, c.want)
				}
			}
		})
	}
}

func TestOccurrenceMatchesNext(t *testing.T) {
	// Walking with Next and indexing with Occurrence agree over eight years
	// of month ends, so the 31st always returns after a short month.
	start := day(t, "2027-01-31")
	cur := start
	for n := 1; n < 96; n++ {
		next, _ := bank.Next(bank.Monthly, start, time.Time{}, cur)
		occ, _ := bank.Occurrence(bank.Monthly, start, n)
		if !next.Equal(occ) {
			t.Fatalf("occurrence %d: Next %s, Occurrence %s", n, bank.FormatDate(next), bank.FormatDate(occ))
		}
		if last := bank.DaysIn(next.Year(), next.Month()); next.Day() != min(31, last) {
			t.Fatalf("occurrence %d on %s, want the month's last day", n, bank.FormatDate(next))
		}
		cur = next
	}
}

func TestDatesAreUTC(t *testing.T) {
	// 23:30 on 31 Jan in New York is already 1 Feb in UTC.
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tzdata")
	}
	local := time.Date(2027, 1, 31, 23, 30, 0, 0, ny)
	if got := bank.FormatDate(local); got != "2027-02-01" {
		t.Fatalf("FormatDate = %s, want 2027-02-01 (UTC)", got)
	}
	if got := bank.Day(local); !got.Equal(time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("Day = %s", got)
	}
	for _, bad := range []string{"2027-02-30", "2027-13-01", "27-01-01", "2027-1-1", ""} {
		if _, err := bank.ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
}

func TestMonthlyInterest(t *testing.T) {
	nov := day(t, "2026-11-01")
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		name    string
		opening int64
		points  []bank.BalancePoint
		month   time.Time
		bps     int64
		want    int64
	}{
		// 1,000,000.00 at 2 % for 30 of 365 days = 1643.835616… → 1643.83
		{"whole month", 100_000_000, nil, nov, 200, 164_383},
		{"nothing", 0, nil, nov, 200, 0},
		{"zero rate", 100_000_000, nil, nov, 0, 0},
		// Deposit during the 15th: days 15–30 (16 days) earn on 10,000.00 at 3.65 %:
		// 1,000,000 cents·365 bps·16/(10,000·365) = 1600 cents.
		{"closing balance counts from the day of the deposit", 0,
			[]bank.BalancePoint{{At: at("2026-11-15T23:59:59Z"), Balance: 1_000_000}}, nov, 365, 1600},
		// A deposit on 1 Dec 00:00 is not November's.
		{"deposit intraday then withdrawn the same day earns nothing", 0,
			[]bank.BalancePoint{{At: at("2026-11-10T08:00:00Z"), Balance: 5_000_000}, {At: at("2026-11-10T09:00:00Z"), Balance: 0}}, nov, 500, 0},
		// Leap year: 29 Feb 2028, 366-day year. 3,660.00 at 1 bp for 29 days:
		// 366,000·1·29/(10,000·366) = 2.9 → 2 cents.
		{"leap February uses 366 days", 366_000, nil, day(t, "2028-02-01"), 1, 2},
		// 365 cents at 100 % for 31 of 365 days = 31 cents exactly.
		{"exact", 365, nil, day(t, "2027-01-01"), 10_000, 31},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := jobs.MonthlyInterest(c.opening, c.points, c.month, c.bps); got != c.want {
				t.Fatalf("interest = %d, want %d", got, c.want)
			}
		})
	}
}

// Interest is rounded down to the cent: in the bank's favour, never a
// fraction of a cent paid that was not earned.
func TestMonthlyInterestRoundsDown(t *testing.T) {
	// November has 30 days and 2026 has 365: a constant balance at 1 bp
	// earns bal·30/3,650,000 cents.
	nov := day(t, "2026-11-01")
	for _, c := range []struct{ bal, want int64 }{
		{182_500, 1},    // 1.5 → 1
		{547_500, 4},    // 4.5 → 4
		{912_500, 7},    // 7.5 → 7
		{3_649_999, 29}, // 29.99999… → 29
		{121_667, 1},    // 1.000002… → 1
		{121_666, 0},    // 0.99999… → 0
		{3_650_000, 30}, // 30 exactly
	} {
		if got := jobs.MonthlyInterest(c.bal, nil, nov, 1); got != c.want {
			t.Errorf("balance %d: interest = %d, want %d", c.bal, got, c.want)
		}
	}
}
