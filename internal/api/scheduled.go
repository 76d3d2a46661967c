package api

import (
	"net/http"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
)

// scheduledRoutes are the standing orders of API.md "Scheduled transfers";
// the job runner (internal/jobs) executes their occurrences.
func (s *Server) scheduledRoutes(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/scheduled-transfers", s.authed(s.listScheduled))
	mux.Handle("POST /api/v1/scheduled-transfers", s.authed(s.createScheduled))
	mux.Handle("DELETE /api/v1/scheduled-transfers/{id}", s.authed(s.cancelScheduled))
}

type scheduledView struct {
	ID              string  `json:"id"`
	FromAccountID   string  `json:"from_account_id"`
	ToAccountNumber string  `json:"to_account_number"`
	Amount          string  `json:"amount"`
	Currency        string  `json:"currency"`
	Description     string  `json:"description"`
	Frequency       string  `json:"frequency"`
	StartDate       string  `json:"start_date"`
	EndDate         *string `json:"end_date"`
	NextRunAt       *string `json:"next_run_at"`
	LastRunAt       *string `json:"last_run_at"`
	LastStatus      *string `json:"last_status"`
	Status          string  `json:"status"`
	CreatedAt       string  `json:"created_at"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func viewScheduled(st bank.ScheduledTransfer) scheduledView {
	v := scheduledView{ID: st.ID, FromAccountID: st.FromAccountID, ToAccountNumber: st.ToAccountNumber,
		Amount: ledger.FormatMinor(st.Amount, st.Currency.Digits()), Currency: string(st.Currency), Description: st.Description,
		Frequency: st.Frequency, StartDate: st.StartDate, EndDate: optional(st.EndDate), LastStatus: optional(st.LastStatus),
		Status: st.Status, CreatedAt: ts(st.CreatedAt)}
	if st.NextRunDate != "" {
		// Occurrences run at 00:00 UTC of their day.
		v.NextRunAt = optional(st.NextRunDate + "T00:00:00Z")
	}
	if !st.LastRunAt.IsZero() {
		v.LastRunAt = optional(ts(st.LastRunAt))
	}
	return v
}

type scheduledRequest struct {
	FromAccountID   string      `json:"from_account_id"`
	ToAccountNumber string      `json:"to_account_number"`
	Amount          moneyString `json:"amount"`
	Description     string      `json:"description"`
	Frequency       string      `json:"frequency"`
	StartDate       string      `json:"start_date"`
	EndDate         *string     `json:"end_date"`
}

func (q *scheduledRequest) Validate() error {
	var fe []FieldError
	for _, f := range []struct{ name, v, msg string }{
		{"from_account_id", q.FromAccountID, "Choose the account to send from."},
		{"to_account_number", q.ToAccountNumber, ledger.AccountNumberProblem("")},
		{"frequency", q.Frequency, "Choose how often: once, every week or every month."},
		{"start_date", q.StartDate, "Enter the first payment date."}} {
		if f.v == "" {
			fe = append(fe, FieldError{f.name, f.msg})
		}
	}
	if len(fe) > 0 {
		return validation(fe...)
	}
	return q.Amount.check()
}

func (s *Server) createScheduled(w http.ResponseWriter, r *http.Request) error {
	req, _, err := decode[*scheduledRequest](w, r)
	if err != nil {
		return err
	}
	q := bank.ScheduleRequest{FromAccountID: req.FromAccountID, ToAccountNumber: req.ToAccountNumber, Amount: req.Amount.s,
		Description: req.Description, Frequency: req.Frequency, StartDate: req.StartDate}
	if req.EndDate != nil {
		q.EndDate = *req.EndDate
	}
	st, err := s.bank.Schedule(r.Context(), s.caller(r), q)
	if err != nil {
		return err
	}
	return encode(w, http.StatusCreated, map[string]any{"scheduled_transfer": viewScheduled(st)})
}

func (s *Server) listScheduled(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r)
	if err != nil {
		return err
	}
	list, err := s.bank.Schedules(r.Context(), principalOf(r).UserID, cursor, limit+1)
	if err != nil {
		return err
	}
	more := len(list) > limit
	if more {
		list = list[:limit]
	}
	items := make([]scheduledView, 0, len(list))
	var last string
	for _, st := range list {
		items = append(items, viewScheduled(st))
		last = st.ID
	}
	return encode(w, http.StatusOK, page[scheduledView]{Items: items, NextCursor: nextCursor(more, last)})
}

func (s *Server) cancelScheduled(w http.ResponseWriter, r *http.Request) error {
	if err := s.bank.CancelScheduled(r.Context(), s.caller(r), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
