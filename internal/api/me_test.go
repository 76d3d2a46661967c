package api_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestMe(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Mia")
		me := get(t, e, "/api/v1/me", u.Token).JSON(t)["user"].(map[string]any)
		if me["id"] != u.ID || me["email"] != u.Email || me["full_name"] != "Mia" || me["role"] != "customer" {
			t.Fatalf("me = %v", me)
		}
		patch := func(body any) response {
			return validated(t, e, req{Method: "PATCH", Path: "/api/v1/me", Body: body, Token: u.Token})
		}
		r := patch(map[string]string{"full_name": "  Mia Wong "})
		expect(t, r, http.StatusOK, "")
		if r.JSON(t)["user"].(map[string]any)["full_name"] != "Mia Wong" {
			t.Fatalf("patch = %s", r.Body)
		}
		for _, body := range []any{map[string]string{}, map[string]string{"full_name": ""}, map[string]string{"full_name": strings.Repeat("x", 101)},
			map[string]string{"full_name": "two\nlines"}} {
			expect(t, patch(body), http.StatusUnprocessableEntity, "validation_failed")
		}
		// Mass assignment: no field but full_name can be written.
		for _, body := range []string{`{"full_name":"Eve","role":"admin"}`, `{"full_name":"Eve","email":"eve@example.com"}`,
			`{"full_name":"Eve","totp_enabled":true}`, `{"full_name":"Eve","id":"x"}`} {
			expect(t, patch(body), http.StatusBadRequest, "invalid_json")
		}
		me = get(t, e, "/api/v1/me", u.Token).JSON(t)["user"].(map[string]any)
		if me["role"] != "customer" || me["full_name"] != "Mia Wong" || me["email"] != u.Email {
			t.Fatalf("after refused patches: %v", me)
		}
		expect(t, validated(t, e, req{Method: "PATCH", Path: "/api/v1/me", Body: map[string]string{"full_name": "X"}}), http.StatusUnauthorized, "unauthorized")
	})
}

func TestPasswordChange(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Pat")
		other := &user{Email: u.Email, Password: u.Password}
		e.login(other)
		expect(t, get(t, e, "/api/v1/me", other.Token), http.StatusOK, "")
		const newPassword = "an-entirely-New-passw0rd"
		change := func(cur, next string) response {
			return post(t, e, "/api/v1/me/password", map[string]string{"current_password": cur, "new_password": next}, u.Token)
		}
		expect(t, change("wrong-password-123", newPassword), http.StatusUnauthorized, "invalid_credentials")
		expect(t, get(t, e, "/api/v1/me", u.Token), http.StatusOK, "") // a wrong current password does not end the session
		expect(t, change(u.Password, "short"), http.StatusUnprocessableEntity, "validation_failed")
		expect(t, change(u.Password, "1qaz2wsx3edc"), http.StatusUnprocessableEntity, "validation_failed")
		expect(t, change(u.Password, u.Password), http.StatusUnprocessableEntity, "validation_failed")
		expect(t, change("", newPassword), http.StatusUnprocessableEntity, "validation_failed")
		expect(t, change(u.Password, newPassword), http.StatusNoContent, "")

		// This session goes on; every other session ended at once.
		expect(t, get(t, e, "/api/v1/me", u.Token), http.StatusOK, "")
		expect(t, get(t, e, "/api/v1/me", other.Token), http.StatusUnauthorized, "unauthorized")
		expect(t, post(t, e, "/api/v1/auth/refresh", map[string]string{"refresh_token": other.Refresh}, ""), http.StatusUnauthorized, "unauthorized")
		expect(t, post(t, e, "/api/v1/auth/refresh", map[string]string{"refresh_token": u.Refresh}, ""), http.StatusOK, "")

		expect(t, post(t, e, "/api/v1/auth/login", loginBody(u), ""), http.StatusUnauthorized, "invalid_credentials")
		u.Password = newPassword
		expect(t, post(t, e, "/api/v1/auth/login", loginBody(u), ""), http.StatusOK, "")
	})
}

func TestSessions(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		a, b := e.signUp("Abe"), e.signUp("Bea")
		a2 := &user{Email: a.Email, Password: a.Password}
		e.login(a2)
		r := validated(t, e, req{Method: "GET", Path: "/api/v1/me/sessions", Token: a.Token, Headers: map[string]string{"User-Agent": "probe/1.0"}})
		expect(t, r, http.StatusOK, "")
		items := r.JSON(t)["items"].([]any)
		if len(items) != 2 {
			t.Fatalf("sessions = %s", r.Body)
		}
		var mine, theOther string
		for _, it := range items {
			s := it.(map[string]any)
			if s["ip"] != "127.0.0.1" {
				t.Errorf("ip = %v", s["ip"])
			}
			if s["current"] == true {
				mine = s["id"].(string)
			} else {
				theOther = s["id"].(string)
			}
		}
		if mine == "" || theOther == "" || mine != claimsFor(t, e, a).SessionID {
			t.Fatalf("current flag wrong: %s", r.Body)
		}

		// BOLA: B cannot see or revoke A's sessions; the answer is a plain 404.
		bSessions := get(t, e, "/api/v1/me/sessions", b.Token).JSON(t)["items"].([]any)
		if len(bSessions) != 1 || bSessions[0].(map[string]any)["id"] == mine {
			t.Fatalf("B sees %v", bSessions)
		}
		del := func(id, token string) response {
			return validated(t, e, req{Method: "DELETE", Path: "/api/v1/me/sessions/" + id, Token: token})
		}
		foreign := del(mine, b.Token)
		expect(t, foreign, http.StatusNotFound, "not_found")
		missing := del("0192d3e4-0000-7000-8000-000000000000", b.Token)
		expect(t, missing, http.StatusNotFound, "not_found")
		if foreign.JSON(t)["detail"] != missing.JSON(t)["detail"] {
			t.Fatalf("another user's session must look like a missing one:\n%s\n%s", foreign.Body, missing.Body)
		}
		expect(t, del("'%20OR%201=1--", b.Token), http.StatusNotFound, "not_found")
		expect(t, get(t, e, "/api/v1/me", a.Token), http.StatusOK, "")

		// A revokes its other session: that token fails at once.
		expect(t, get(t, e, "/api/v1/me", a2.Token), http.StatusOK, "")
		expect(t, del(theOther, a.Token), http.StatusNoContent, "")
		expect(t, get(t, e, "/api/v1/me", a2.Token), http.StatusUnauthorized, "unauthorized")
		expect(t, post(t, e, "/api/v1/auth/refresh", map[string]string{"refresh_token": a2.Refresh}, ""), http.StatusUnauthorized, "unauthorized")
		expect(t, del(theOther, a.Token), http.StatusNotFound, "not_found")
		if n := len(get(t, e, "/api/v1/me/sessions", a.Token).JSON(t)["items"].([]any)); n != 1 {
			t.Fatalf("%d sessions after revoking one of 2", n)
		}
		// Revoking the current session signs out.
		expect(t, del(mine, a.Token), http.StatusNoContent, "")
		expect(t, get(t, e, "/api/v1/me", a.Token), http.StatusUnauthorized, "unauthorized")
		expect(t, get(t, e, "/api/v1/me", b.Token), http.StatusOK, "")
	})
}
