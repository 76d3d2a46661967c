package api

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/statement"
)

type counterpartyView struct {
	Name          string `json:"name"`
	AccountNumber string `json:"account_number"`
}

type entryView struct {
	ID           string            `json:"id"`
	TransferID   string            `json:"transfer_id"`
	Kind         string            `json:"kind"`
	Amount       string            `json:"amount"`
	Currency     string            `json:"currency"`
	BalanceAfter string            `json:"balance_after"`
	Description  string            `json:"description"`
	Counterparty *counterpartyView `json:"counterparty"`
	CreatedAt    string            `json:"created_at"`
}

func viewEntry(e bank.HistoryEntry) entryView {
	c := ledger.Currency(e.Currency)
	v := entryView{ID: strconv.FormatInt(e.Seq, 10), TransferID: e.TransferID, Kind: bank.EntryKind(e.TransferKind, e.Amount),
		Amount: ledger.FormatMinor(e.Amount, c.Digits()), Currency: e.Currency, BalanceAfter: ledger.FormatMinor(e.BalanceAfter, c.Digits()),
		Description: e.Description, CreatedAt: ts(e.CreatedAt)}
	if e.CounterpartyNumber != "" {
		v.Counterparty = &counterpartyView{Name: e.CounterpartyName, AccountNumber: e.CounterpartyNumber}
	}
	return v
}

// parseDay reads a from/to bound: a date (2026-11-01) or an RFC 3339 time.
// A date as `to` includes that whole day.
func parseDay(name, v string, end bool) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, invalidParam(name, "must be a date (2026-11-01) or an RFC 3339 time")
}

func historyFilter(r *http.Request) (bank.HistoryFilter, error) {
	q := r.URL.Query()
	var f bank.HistoryFilter
	var err error
	if f.From, err = parseDay("from", q.Get("from"), false); err != nil {
		return f, err
	}
	if f.To, err = parseDay("to", q.Get("to"), true); err != nil {
		return f, err
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return f, invalidParam("from", "must be before to")
	}
	if k := q.Get("type"); k != "" {
		if !bank.ValidEntryKind(k) {
			return f, invalidParam("type", "must be one of deposit, withdrawal, transfer_in, transfer_out, trade_buy, trade_sell, fee, interest, exchange_out, exchange_in")
		}
		f.Kind = k
	}
	if f.Query = q.Get("q"); len(f.Query) > 100 {
		return f, invalidParam("q", "must be at most 100 characters")
	}
	return f, nil
}

func (s *Server) listEntries(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r)
	if err != nil {
		return err
	}
	f, err := historyFilter(r)
	if err != nil {
		return err
	}
	if cursor != "" {
		if f.BeforeSeq, err = strconv.ParseInt(cursor, 10, 64); err != nil || f.BeforeSeq <= 0 {
			return invalidParam("cursor", "is not valid")
		}
	}
	f.Limit = limit + 1
	_, list, err := s.bank.History(r.Context(), principalOf(r).UserID, r.PathValue("id"), f)
	if err != nil {
		return err
	}
	more := len(list) > limit
	if more {
		list = list[:limit]
	}
	items := make([]entryView, 0, len(list))
	var last string
	for _, e := range list {
		items = append(items, viewEntry(e))
		last = strconv.FormatInt(e.Seq, 10)
	}
	return encode(w, http.StatusOK, page[entryView]{Items: items, NextCursor: nextCursor(more, last)})
}

// maxCSVRows bounds one export; narrow from/to for more.
const maxCSVRows = 50_000

func (s *Server) exportEntries(w http.ResponseWriter, r *http.Request) error {
	f, err := historyFilter(r)
	if err != nil {
		return err
	}
	f.Limit = maxCSVRows
	a, list, err := s.bank.History(r.Context(), principalOf(r).UserID, r.PathValue("id"), f)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="bankapp-`+a.Number+`-transactions.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	_ = cw.Write([]string{"date", "kind", "description", "counterparty", "counterparty_account", "amount", "currency", "balance_after", "transfer_id"})
	for _, e := range list {
		v := viewEntry(e)
		var cpName, cpNum string
		if v.Counterparty != nil {
			cpName, cpNum = v.Counterparty.Name, v.Counterparty.AccountNumber
		}
		row := []string{v.CreatedAt, v.Kind, v.Description, cpName, cpNum, v.Amount, v.Currency, v.BalanceAfter, v.TransferID}
		for i := range row {
			row[i] = statement.SafeCSVCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return nil // the client went away; nothing more to say
		}
	}
	cw.Flush()
	return nil
}
