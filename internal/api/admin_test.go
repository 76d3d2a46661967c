package api_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/store"
)

// setRole changes a user's role in the database, as `bankapp admin create`
// does, and lets the session cache (1 s) notice.
func setRole(t *testing.T, e *env, userID, role string) {
	t.Helper()
	ctx := context.Background()
	err := e.db.InTx(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByIDForUpdate(ctx, userID)
		if err != nil {
			return err
		}
		u.Role = role
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(1100 * time.Millisecond)
}

func firstAccountID(t *testing.T, e *env, u *user) string {
	t.Helper()
	r := validated(t, e, req{Method: "GET", Path: "/api/v1/accounts", Token: u.Token})
	expect(t, r, http.StatusOK, "")
	return r.JSON(t)["items"].([]any)[0].(map[string]any)["id"].(string)
}

var adminEndpoints = []req{
	{Method: "GET", Path: "/api/v1/admin/users"},
	{Method: "GET", Path: "/api/v1/admin/audit"},
	{Method: "GET", Path: "/api/v1/admin/ledger/verify"},
	{Method: "POST", Path: "/api/v1/admin/accounts/0192d3e4-0000-7000-8000-000000000000/freeze"},
	{Method: "POST", Path: "/api/v1/admin/accounts/0192d3e4-0000-7000-8000-000000000000/unfreeze"},
}

func TestAdminRoles(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		c, a := e.signUp("Cust"), e.signUp("Adm")
		for _, q := range adminEndpoints {
			expect(t, validated(t, e, q), http.StatusUnauthorized, "unauthorized")
			q.Token = c.Token
			expect(t, validated(t, e, q), http.StatusForbidden, "forbidden")
		}
		setRole(t, e, a.ID, auth.RoleAdmin)
		for _, q := range adminEndpoints[:3] {
			q.Token = a.Token
			expect(t, validated(t, e, q), http.StatusOK, "")
		}
		for _, q := range adminEndpoints[3:] {
			q.Token = a.Token
			expect(t, validated(t, e, q), http.StatusNotFound, "not_found")
		}
		if get(t, e, "/api/v1/me", a.Token).JSON(t)["user"].(map[string]any)["role"] != "admin" {
			t.Fatal("me should show role admin")
		}
		// A demotion takes effect within the session cache's second.
		setRole(t, e, a.ID, auth.RoleCustomer)
		expect(t, get(t, e, "/api/v1/admin/users", a.Token), http.StatusForbidden, "forbidden")
	})
}

func TestAdminUsersAndFreeze(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		c, a := e.signUp("Frida"), e.signUp("Root")
		setRole(t, e, a.ID, auth.RoleAdmin)

		r := get(t, e, "/api/v1/admin/users?q="+url.QueryEscape(c.Email), a.Token)
		expect(t, r, http.StatusOK, "")
		items := r.JSON(t)["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["id"] != c.ID || items[0].(map[string]any)["account_count"] != float64(1) {
			t.Fatalf("users?q = %s", r.Body)
		}
		r = get(t, e, "/api/v1/admin/users?limit=1", a.Token)
		next, _ := r.JSON(t)["next_cursor"].(string)
		if len(r.JSON(t)["items"].([]any)) != 1 || next == "" {
			t.Fatalf("limit=1: %s", r.Body)
		}
		r2 := get(t, e, "/api/v1/admin/users?limit=1&cursor="+url.QueryEscape(next), a.Token)
		if r2.JSON(t)["items"].([]any)[0].(map[string]any)["id"] == r.JSON(t)["items"].([]any)[0].(map[string]any)["id"] {
			t.Fatal("the next page repeats the first")
		}
		for _, qs := range []string{"limit=0", "limit=201", "limit=ten", "cursor=%25%25%25"} {
			expect(t, get(t, e, "/api/v1/admin/users?"+qs, a.Token), http.StatusUnprocessableEntity, "invalid_parameter")
			expect(t, get(t, e, "/api/v1/admin/audit?"+qs, a.Token), http.StatusUnprocessableEntity, "invalid_parameter")
		}

		acct := firstAccountID(t, e, c)
		expect(t, validated(t, e, req{Method: "POST", Path: "/api/v1/admin/accounts/" + acct + "/freeze", Token: c.Token}), http.StatusForbidden, "forbidden")
		r = validated(t, e, req{Method: "POST", Path: "/api/v1/admin/accounts/" + acct + "/freeze", Token: a.Token})
		expect(t, r, http.StatusOK, "")
		if ac := r.JSON(t)["account"].(map[string]any); ac["status"] != "frozen" || ac["available_balance"] != "0.00" {
			t.Fatalf("freeze = %s", r.Body)
		}
		expect(t, validated(t, e, req{Method: "POST", Path: "/api/v1/admin/accounts/" + acct + "/freeze", Token: a.Token}), http.StatusOK, "")
		if st := get(t, e, "/api/v1/accounts/"+acct, c.Token).JSON(t)["account"].(map[string]any)["status"]; st != "frozen" {
			t.Fatalf("owner sees status %v", st)
		}
		r = validated(t, e, req{Method: "POST", Path: "/api/v1/admin/accounts/" + acct + "/unfreeze", Token: a.Token})
		expect(t, r, http.StatusOK, "")
		if r.JSON(t)["account"].(map[string]any)["status"] != "active" {
			t.Fatalf("unfreeze = %s", r.Body)
		}

		// A closed account can be neither frozen nor unfrozen.
		r = validated(t, e, req{Method: "POST", Path: "/api/v1/accounts", Token: c.Token, Body: map[string]string{"type": "savings"}})
		expect(t, r, http.StatusCreated, "")
		sav := r.JSON(t)["account"].(map[string]any)["id"].(string)
		expect(t, validated(t, e, req{Method: "DELETE", Path: "/api/v1/accounts/" + sav, Token: c.Token}), http.StatusOK, "")
		expect(t, validated(t, e, req{Method: "POST", Path: "/api/v1/admin/accounts/" + sav + "/freeze", Token: a.Token}), http.StatusUnprocessableEntity, "account_closed")

		r = get(t, e, "/api/v1/admin/ledger/verify", a.Token)
		expect(t, r, http.StatusOK, "")
		if m := r.JSON(t); m["ok"] != true || len(m["problems"].([]any)) != 0 {
			t.Fatalf("verify = %s", r.Body)
		}
	})
}

// auditEvent is one entry of GET /admin/audit.
type auditEvent struct {
	action, outcome, target string
	actor                   any
}

// auditByRequestID reads the whole audit log (as admin) keyed by request id.
func auditByRequestID(t *testing.T, e *env, admin *user) map[string][]auditEvent {
	t.Helper()
	out := map[string][]auditEvent{}
	path := "/api/v1/admin/audit?limit=2"
	for pages := 0; path != ""; pages++ {
		if pages > 200 {
			t.Fatal("audit pagination does not end")
		}
		m := get(t, e, path, admin.Token).JSON(t)
		for _, it := range m["items"].([]any) {
			ev := it.(map[string]any)
			rid := ev["request_id"].(string)
			out[rid] = append(out[rid], auditEvent{action: ev["action"].(string), outcome: ev["outcome"].(string), target: ev["target"].(string), actor: ev["actor_id"]})
		}
		path = ""
		if c, ok := m["next_cursor"].(string); ok {
			path = "/api/v1/admin/audit?limit=50&cursor=" + url.QueryEscape(c)
		}
	}
	return out
}

func TestAuditLog(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		rid := func(id string) map[string]string { return map[string]string{"X-Request-Id": id} }
		u := &user{Email: "audited@example.com", Password: testPassword}
		r := validated(t, e, req{Method: "POST", Path: "/api/v1/auth/register", Body: map[string]string{"email": u.Email, "password": u.Password, "full_name": "Aud"}, Headers: rid("t-register")})
		expect(t, r, http.StatusCreated, "")
		u.ID = r.JSON(t)["user"].(map[string]any)["id"].(string)
		r = validated(t, e, req{Method: "POST", Path: "/api/v1/auth/login", Body: loginBody(u), Headers: rid("t-login-ok")})
		expect(t, r, http.StatusOK, "")
		u.Token, u.Refresh = tokensOf(t, r)
		expect(t, validated(t, e, req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": u.Email, "password": "wrong-password-1"}, Headers: rid("t-login-bad")}), http.StatusUnauthorized, "invalid_credentials")
		expect(t, validated(t, e, req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": "ghost@example.com", "password": "wrong-password-1"}, Headers: rid("t-login-unknown")}), http.StatusUnauthorized, "invalid_credentials")
		expect(t, validated(t, e, req{Method: "POST", Path: "/api/v1/me/password", Token: u.Token, Body: map[string]string{"current_password": "nope-nope-nope", "new_password": "x"}, Headers: rid("t-password-bad")}), http.StatusUnauthorized, "invalid_credentials")
		newPW := "Another-long-passw0rd"
		expect(t, validated(t, e, req{Method: "POST", Path: "/api/v1/me/password", Token: u.Token, Body: map[string]string{"current_password": u.Password, "new_password": newPW}, Headers: rid("t-password")}), http.StatusNoContent, "")
		r = validated(t, e, req{Method: "POST", Path: "/api/v1/me/2fa/setup", Token: u.Token, Headers: rid("t-2fa-setup")})
		code, err := totp.GenerateCode(r.JSON(t)["secret"].(string), e.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		expect(t, validated(t, e, req{Method: "POST", Path: "/api/v1/me/2fa/enable", Token: u.Token, Body: map[string]string{"code": code}, Headers: rid("t-2fa-enable")}), http.StatusNoContent, "")
		expect(t, validated(t, e, req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": u.Email, "password": newPW}, Headers: rid("t-login-totp")}), http.StatusUnauthorized, "totp_required")
		expect(t, validated(t, e, req{Method: "POST", Path: "/api/v1/me/2fa/disable", Token: u.Token, Body: map[string]string{"password": newPW}, Headers: rid("t-2fa-disable")}), http.StatusNoContent, "")
		second := &user{Email: u.Email, Password: newPW}
		e.login(second)
		sid := claimsFor(t, e, second).SessionID
		expect(t, validated(t, e, req{Method: "DELETE", Path: "/api/v1/me/sessions/" + sid, Token: u.Token, Headers: rid("t-revoke")}), http.StatusNoContent, "")
		expect(t, validated(t, e, req{Method: "POST", Path: "/api/v1/auth/refresh", Body: map[string]string{"refresh_token": u.Refresh}, Headers: rid("t-refresh")}), http.StatusOK, "")
		expect(t, validated(t, e, req{Method: "POST", Path: "/api/v1/auth/refresh", Body: map[string]string{"refresh_token": u.Refresh}, Headers: rid("t-reuse")}), http.StatusUnauthorized, "unauthorized")
		third := &user{Email: u.Email, Password: newPW}
		e.login(third)
		expect(t, validated(t, e, req{Method: "POST", Path: "/api/v1/auth/logout", Token: third.Token, Headers: rid("t-logout")}), http.StatusNoContent, "")

		admin := e.signUp("Boss")
		setRole(t, e, admin.ID, auth.RoleAdmin)
		acct := firstAccountID(t, e, admin)
		expect(t, validated(t, e, req{Method: "POST", Path: "/api/v1/admin/accounts/" + acct + "/freeze", Token: admin.Token, Headers: rid("t-freeze")}), http.StatusOK, "")
		expect(t, validated(t, e, req{Method: "GET", Path: "/api/v1/admin/ledger/verify", Token: admin.Token, Headers: rid("t-verify")}), http.StatusOK, "")

		log := auditByRequestID(t, e, admin)
		want := map[string]auditEvent{
			"t-register":      {"register", "success", "user:" + u.ID, u.ID},
			"t-login-ok":      {"login", "success", "", u.ID},
			"t-login-bad":     {"login", "failure:invalid_credentials", "user:" + u.ID, u.ID},
			"t-login-unknown": {"login", "failure:invalid_credentials", "", nil},
			"t-password-bad":  {"password_change", "failure:invalid_credentials", "user:" + u.ID, u.ID},
			"t-password":      {"password_change", "success", "user:" + u.ID, u.ID},
			"t-2fa-setup":     {"2fa_setup", "success", "user:" + u.ID, u.ID},
			"t-2fa-enable":    {"2fa_enable", "success", "user:" + u.ID, u.ID},
			"t-login-totp":    {"login", "failure:totp_required", "user:" + u.ID, u.ID},
			"t-2fa-disable":   {"2fa_disable", "success", "user:" + u.ID, u.ID},
			"t-revoke":        {"session_revoke", "success", "session:" + sid, u.ID},
			"t-reuse":         {"refresh_reuse", "failure:session_revoked", "", u.ID},
			"t-logout":        {"logout", "success", "session:" + claimsFor(t, e, third).SessionID, u.ID},
			"t-freeze":        {"account_freeze", "success", "account:" + acct, admin.ID},
			"t-verify":        {"ledger_verify", "success", "ledger", admin.ID},
		}
		for id, w := range want {
			evs := log[id]
			if len(evs) != 1 {
				t.Errorf("request %s: %d audit events %+v, want 1", id, len(evs), evs)
				continue
			}
			got := evs[0]
			if got.action != w.action || got.outcome != w.outcome || got.actor != w.actor || (w.target != "" && got.target != w.target) {
				t.Errorf("request %s: audit %+v, want %+v", id, got, w)
			}
		}
		// The unknown email is not stored as typed.
		for _, ev := range log["t-login-unknown"] {
			if ev.target == "email:ghost@example.com" {
				t.Error("the audit log stores the unknown email in clear")
			}
		}
		// Reading the log is itself audited (after the page is read, so the
		// walk above cannot see its own reads; a new read can).
		m := get(t, e, "/api/v1/admin/audit?action=admin_read&actor_id="+admin.ID+"&limit=5", admin.Token).JSON(t)
		items := m["items"].([]any)
		if len(items) == 0 {
			t.Fatal("reading the audit log was not audited")
		}
		for _, it := range items {
			if ev := it.(map[string]any); ev["action"] != "admin_read" || ev["actor_id"] != admin.ID || ev["target"] != "audit" {
				t.Errorf("filtered audit returned %v", ev)
			}
		}
	})
}
