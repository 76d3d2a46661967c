package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/auth"
)

// TestAdminUserDetail: GET /admin/users/{id} (contract v1.1) answers the
// user with every account (for freezing from the user's page), 404 for an
// unknown id, 403 for a customer, and audits the read.
func TestAdminUserDetail(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		c, a := e.signUp("Greta"), e.signUp("Oper")
		setRole(t, e, a.ID, auth.RoleAdmin)
		open := validated(t, e, req{Method: "POST", Path: "/api/v1/accounts", Token: c.Token, Body: map[string]string{"type": "savings", "currency": "EUR", "name": "Euro pot"}})
		expect(t, open, http.StatusCreated, "")

		path := "/api/v1/admin/users/" + c.ID
		expect(t, validated(t, e, req{Method: "GET", Path: path}), http.StatusUnauthorized, "unauthorized")
		expect(t, validated(t, e, req{Method: "GET", Path: path, Token: c.Token}), http.StatusForbidden, "forbidden")
		expect(t, validated(t, e, req{Method: "GET", Path: "/api/v1/admin/users/0192d3e4-0000-7000-8000-000000000000", Token: a.Token}), http.StatusNotFound, "not_found")

		r := validated(t, e, req{Method: "GET", Path: path, Token: a.Token})
		expect(t, r, http.StatusOK, "")
		body := r.JSON(t)
		if u := body["user"].(map[string]any); u["id"] != c.ID || u["email"] != c.Email {
			t.Fatalf("user = %v", u)
		}
		accts := body["accounts"].([]any)
		if len(accts) != 2 {
			t.Fatalf("accounts = %s, want the checking account and the EUR savings", r.Body)
		}
		var eur bool
		for _, x := range accts {
			if m := x.(map[string]any); m["currency"] == "EUR" && m["name"] == "Euro pot" && m["number"] != "" {
				eur = true
			}
		}
		if !eur {
			t.Fatalf("the EUR account is missing: %s", r.Body)
		}
		evs, err := e.db.AuditEvents(context.Background(), audit.Filter{Limit: 20, ActorID: a.ID, Action: "admin_read"})
		if err != nil {
			t.Fatal(err)
		}
		var audited bool
		for _, ev := range evs {
			audited = audited || ev.Target == "user:"+c.ID
		}
		if !audited {
			t.Fatalf("no admin_read audit event for user:%s in %+v", c.ID, evs)
		}
	})
}
