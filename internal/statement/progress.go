package statement

import "time"

// InProgress reports whether the statement was generated before its month
// ended (a month-to-date statement): its last balance is not a closing one.
func (s Statement) InProgress() bool {
	return s.GeneratedAt.UTC().Before(s.Period.Start(time.UTC).AddDate(0, 1, 0))
}

// through is the last day the statement covers: the month's last day, or the
// day it was generated on for a month in progress.
func (s Statement) through() time.Time {
	last := s.Period.Start(time.UTC).AddDate(0, 1, -1)
	if s.InProgress() {
		g := s.GeneratedAt.UTC()
		if d := time.Date(g.Year(), g.Month(), g.Day(), 0, 0, 0, 0, time.UTC); d.Before(last) {
			return d
		}
	}
	return last
}
