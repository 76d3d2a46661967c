package api

import (
	"net/http"
	"strconv"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/ledger"
)

type auditView struct {
	ID        string  `json:"id"`
	At        string  `json:"at"`
	ActorID   *string `json:"actor_id"`
	Action    string  `json:"action"`
	Target    string  `json:"target"`
	IP        string  `json:"ip"`
	RequestID string  `json:"request_id"`
	Outcome   string  `json:"outcome"`
}

func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r)
	if err != nil {
		return err
	}
	f := audit.Filter{Limit: limit + 1, ActorID: r.URL.Query().Get("actor_id"), Action: r.URL.Query().Get("action")}
	if cursor != "" {
		if f.Before, err = strconv.ParseInt(cursor, 10, 64); err != nil {
			return invalidParam("cursor", "is not valid")
		}
	}
	evs, err := s.bank.AuditLog(r.Context(), s.caller(r), f)
	if err != nil {
		return err
	}
	more := len(evs) > limit
	if more {
		evs = evs[:limit]
	}
	items := make([]auditView, 0, len(evs))
	var last string
	for _, e := range evs {
		v := auditView{ID: e.ID, At: ts(e.At), Action: e.Action, Target: e.Target, IP: e.IP, RequestID: e.RequestID, Outcome: e.Outcome}
		if e.ActorID != "" {
			a := e.ActorID
			v.ActorID = &a
		}
		items = append(items, v)
		last = strconv.FormatInt(e.Seq, 10)
	}
	return encode(w, http.StatusOK, page[auditView]{Items: items, NextCursor: nextCursor(more, last)})
}

type adminUserView struct {
	userView
	AccountCount int `json:"account_count"`
}

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r)
	if err != nil {
		return err
	}
	q := r.URL.Query().Get("q")
	if len(q) > 100 {
		return invalidParam("q", "must be at most 100 characters")
	}
	list, err := s.bank.AdminUsers(r.Context(), s.caller(r), q, cursor, limit+1)
	if err != nil {
		return err
	}
	more := len(list) > limit
	if more {
		list = list[:limit]
	}
	items := make([]adminUserView, 0, len(list))
	var last string
	for _, u := range list {
		items = append(items, adminUserView{userView: viewUser(u.User), AccountCount: u.AccountCount})
		last = u.User.ID
	}
	return encode(w, http.StatusOK, page[adminUserView]{Items: items, NextCursor: nextCursor(more, last)})
}

func (s *Server) adminFreeze(status string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := s.bank.SetAccountStatus(r.Context(), s.caller(r), r.PathValue("id"), status)
		if err != nil {
			return err
		}
		return encode(w, http.StatusOK, map[string]any{"account": viewAccount(a)})
	}
}

func (s *Server) adminVerify(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.bank.VerifyLedger(r.Context(), s.caller(r))
	if err != nil {
		return err
	}
	if rep.Problems == nil {
		rep.Problems = []ledger.Problem{}
	}
	return encode(w, http.StatusOK, rep)
}
