package api

import (
	"net/http"
	"strconv"

	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
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
	f := store.AuditFilter{Limit: limit + 1, ActorID: r.URL.Query().Get("actor_id"), Action: r.URL.Query().Get("action")}
	if cursor != "" {
		if f.Before, err = strconv.ParseInt(cursor, 10, 64); err != nil {
			return invalidParam("cursor", "is not valid")
		}
	}
	evs, err := s.db.AuditEvents(r.Context(), f)
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
	s.auditAlone(r, principalOf(r).UserID, "admin_read", "audit", "success")
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
	list, err := s.db.AdminUsers(r.Context(), q, cursor, limit+1)
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
	s.auditAlone(r, principalOf(r).UserID, "admin_read", "users", "success")
	return encode(w, http.StatusOK, page[adminUserView]{Items: items, NextCursor: nextCursor(more, last)})
}

func (s *Server) adminFreeze(status string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id := r.PathValue("id")
		var a ledger.Account
		err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
			cur, err := tx.AnyAccountByIDForUpdate(r.Context(), id)
			if err != nil {
				return err
			}
			if cur.Status == ledger.StatusClosed {
				return &ledger.Error{Code: "account_closed", Msg: "the account is closed"}
			}
			if err := tx.SetAccountStatus(r.Context(), id, status); err != nil {
				return err
			}
			cur.Status = status
			a = cur
			action := "account_freeze"
			if status == ledger.StatusActive {
				action = "account_unfreeze"
			}
			return tx.InsertAudit(r.Context(), s.audit(r, principalOf(r).UserID, action, "account:"+id, "success"))
		})
		if err != nil {
			return err
		}
		return encode(w, http.StatusOK, map[string]any{"account": viewAccount(a)})
	}
}

func (s *Server) adminVerify(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.db.VerifyLedger(r.Context())
	if err != nil {
		return err
	}
	if rep.Problems == nil {
		rep.Problems = []ledger.Problem{}
	}
	outcome := "success"
	if !rep.OK {
		outcome = "failure:problems_found"
	}
	s.auditAlone(r, principalOf(r).UserID, "ledger_verify", "ledger", outcome)
	return encode(w, http.StatusOK, rep)
}
