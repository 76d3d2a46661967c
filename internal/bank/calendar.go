package bank

import (
	"fmt"
	"time"
)

// Frequencies of a scheduled transfer.
const (
	Once    = "once"
	Weekly  = "weekly"
	Monthly = "monthly"
)

// ParseDate reads a UTC calendar day "YYYY-MM-DD" and returns its midnight
// UTC.
func ParseDate(s string) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("bank: %q is not a date YYYY-MM-DD", s)
	}
	return t, nil
}

// FormatDate writes the UTC calendar day of t as "YYYY-MM-DD".
func FormatDate(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// Day returns midnight UTC of t's UTC calendar day.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DaysIn is the number of days in a month of a year.
func DaysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// MonthStart is midnight UTC of the first day of t's month.
func MonthStart(t time.Time) time.Time {
	y, m, _ := t.UTC().Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
}

// Occurrence is the n-th (from 0) run day of a schedule that starts on
// start. Weekly runs every 7 days. Monthly runs on start's day of the month,
// or on the month's last day when the month is shorter (the 31st becomes
// 30 April, 28 or 29 February), and returns to the 31st in longer months.
// A once schedule has only occurrence 0.
func Occurrence(freq string, start time.Time, n int) (time.Time, bool) {
	start = Day(start)
	switch {
	case n == 0:
		return start, true
	case freq == Weekly:
		return start.AddDate(0, 0, 7*n), true
	case freq == Monthly:
		y, m := start.Year(), start.Month()+time.Month(n)
		first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
		d := min(start.Day(), DaysIn(first.Year(), first.Month()))
		return first.AddDate(0, 0, d-1), true
	}
	return time.Time{}, false
}

// Next is the run day after the occurrence on day of a schedule that
// starts on start and ends on end (inclusive; zero for no end). ok is false
// when the schedule has no further occurrence.
func Next(freq string, start, end, day time.Time) (time.Time, bool) {
	start, day = Day(start), Day(day)
	var next time.Time
	switch freq {
	case Weekly:
		next = day.AddDate(0, 0, 7)
	case Monthly:
		months := (day.Year()-start.Year())*12 + int(day.Month()-start.Month())
		next, _ = Occurrence(Monthly, start, months+1)
	default:
		return time.Time{}, false
	}
	if !end.IsZero() && next.After(Day(end)) {
		return time.Time{}, false
	}
	return next, true
}

// Period is a calendar month, "YYYY-MM".
func Period(t time.Time) string { return t.UTC().Format("2006-01") }

// ParsePeriod reads "YYYY-MM" and returns the first day of the month.
func ParsePeriod(s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01", s, time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("bank: %q is not a month YYYY-MM", s)
	}
	return t, nil
}
