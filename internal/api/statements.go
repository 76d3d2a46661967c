package api

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/blob"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/statement"
	"github.com/bankapp/bankapp/internal/store"
)

var contentTypes = map[string]string{"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}

// getStatement serves the monthly statement of an account as PDF or CSV. A
// past month is generated once, stored in the blob store and served from it
// afterwards; the current month is generated on every request.
func (s *Server) getStatement(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	a, err := s.db.AccountByID(r.Context(), p.UserID, r.PathValue("id"))
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "pdf"
	}
	ct, ok := contentTypes[format]
	if !ok {
		return invalidParam("format", "must be pdf or csv")
	}
	period, err := statement.ParsePeriod(r.PathValue("month"))
	if err != nil {
		return invalidParam("month", "must be a month such as 2026-10")
	}
	now := s.now().UTC()
	start := period.Start(time.UTC)
	end := start.AddDate(0, 1, 0)
	opened := time.Date(a.CreatedAt.Year(), a.CreatedAt.Month(), 1, 0, 0, 0, 0, time.UTC)
	if start.After(now) || start.Before(opened) {
		return &ledger.Error{Code: "not_found", Msg: "there is no statement for that month"}
	}
	key := "statements/" + a.ID + "/" + period.String() + "." + format
	past := !end.After(now)
	if past && s.blobs != nil {
		rc, _, err := s.blobs.Get(r.Context(), key)
		if err == nil {
			defer rc.Close()
			writeStatementHeaders(w, ct, a.Number, period.String(), format)
			_, _ = io.Copy(w, rc)
			return nil
		}
		if !errors.Is(err, blob.ErrNotFound) {
			return err
		}
	}
	var buf bytes.Buffer
	if err := s.renderStatement(r, &buf, a, period, start, end, format, now); err != nil {
		return err
	}
	if past && s.blobs != nil {
		if err := s.blobs.Put(r.Context(), key, bytes.NewReader(buf.Bytes()), ct); err != nil {
			return err
		}
	}
	writeStatementHeaders(w, ct, a.Number, period.String(), format)
	_, _ = w.Write(buf.Bytes())
	return nil
}

func writeStatementHeaders(w http.ResponseWriter, ct, number, month, format string) {
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="bankapp-statement-`+number+"-"+month+"."+format+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
}

func (s *Server) renderStatement(r *http.Request, w io.Writer, a ledger.Account, period statement.Period, start, end time.Time, format string, now time.Time) error {
	u, err := s.db.UserByID(r.Context(), a.OwnerID)
	if err != nil {
		return err
	}
	opening, _, err := s.db.BalanceBefore(r.Context(), a.ID, start)
	if err != nil {
		return err
	}
	list, err := s.db.History(r.Context(), a.ID, store.HistoryFilter{From: start, To: end, Ascending: true, Limit: 1_000_000})
	if err != nil {
		return err
	}
	st := bank.BuildStatement(a, u.FullName, period, opening, list, now)
	if format == "csv" {
		return statement.CSV(w, st)
	}
	return statement.PDF(w, st)
}
