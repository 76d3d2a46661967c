package bank

import (
	"bytes"
	"context"
	"errors"
	"io"
	"time"

	"github.com/bankapp/bankapp/internal/blob"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/statement"
)

// History pages the entries of one of the owner's accounts.
func (s *Service) History(ctx context.Context, owner, accountID string, f HistoryFilter) (ledger.Account, []HistoryEntry, error) {
	a, err := s.store.AccountByID(ctx, owner, accountID)
	if err != nil {
		return a, nil, err
	}
	list, err := s.store.History(ctx, a.ID, f)
	return a, list, err
}

// Statement formats.
var statementTypes = map[string]string{"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}

// StatementFile is a rendered monthly statement.
type StatementFile struct {
	ContentType string
	Account     ledger.Account
	Period      statement.Period
	Body        io.ReadCloser
}

func invalidParameter(field, msg string) error {
	return &ledger.Error{Code: "invalid_parameter", Msg: field + " " + msg, Field: field}
}

var errNoStatement = &ledger.Error{Code: "not_found", Msg: "there is no statement for that month"}

// Statement is the monthly statement of one of the owner's accounts as
// "pdf" or "csv". A past month is rendered once, kept in the blob store and
// served from it afterwards; the current month is rendered on every call.
func (s *Service) Statement(ctx context.Context, owner, accountID, month, format string) (StatementFile, error) {
	a, err := s.store.AccountByID(ctx, owner, accountID)
	if err != nil {
		return StatementFile{}, err
	}
	ct, ok := statementTypes[format]
	if !ok {
		return StatementFile{}, invalidParameter("format", "must be pdf or csv")
	}
	period, err := statement.ParsePeriod(month)
	if err != nil {
		return StatementFile{}, invalidParameter("month", "must be a month such as 2026-10")
	}
	now := s.now()
	start := period.Start(time.UTC)
	end := start.AddDate(0, 1, 0)
	opened := time.Date(a.CreatedAt.Year(), a.CreatedAt.Month(), 1, 0, 0, 0, 0, time.UTC)
	if start.After(now) || start.Before(opened) {
		return StatementFile{}, errNoStatement
	}
	f := StatementFile{ContentType: ct, Account: a, Period: period}
	key := "statements/" + a.ID + "/" + period.String() + "." + format
	past := !end.After(now)
	if past && s.blobs != nil {
		rc, _, err := s.blobs.Get(ctx, key)
		if err == nil {
			f.Body = rc
			return f, nil
		}
		if !errors.Is(err, blob.ErrNotFound) {
			return StatementFile{}, err
		}
	}
	var buf bytes.Buffer
	if err := s.renderStatement(ctx, &buf, a, period, start, end, format, now); err != nil {
		return StatementFile{}, err
	}
	if past && s.blobs != nil {
		if err := s.blobs.Put(ctx, key, bytes.NewReader(buf.Bytes()), ct); err != nil {
			return StatementFile{}, err
		}
	}
	f.Body = io.NopCloser(&buf)
	return f, nil
}

func (s *Service) renderStatement(ctx context.Context, w io.Writer, a ledger.Account, period statement.Period, start, end time.Time, format string, now time.Time) error {
	u, err := s.store.UserByID(ctx, a.OwnerID)
	if err != nil {
		return err
	}
	opening, _, err := s.store.BalanceBefore(ctx, a.ID, start)
	if err != nil {
		return err
	}
	list, err := s.store.History(ctx, a.ID, HistoryFilter{From: start, To: end, Ascending: true, Limit: 1_000_000})
	if err != nil {
		return err
	}
	st := BuildStatement(a, u.FullName, period, opening, list, now)
	if format == "csv" {
		return statement.CSV(w, st)
	}
	return statement.PDF(w, st)
}
