package api_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/bankapp/bankapp/internal/api"
	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/config"
	"github.com/bankapp/bankapp/internal/jobs"
	"github.com/bankapp/bankapp/internal/mail/mailtest"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// Account recovery and email (API.md v1.1), end to end: the server puts
// messages in the outbox, the job runner delivers them over a real SMTP
// conversation to mailtest, and the tests read tokens out of the delivered
// messages.

// Subjects of the messages (internal/mail/testdata has the whole copy).
const (
	subjVerify        = "Confirm your email address"
	subjReset         = "Reset your BankApp password"
	subjWasReset      = "password was reset"
	subjChanged       = "password was changed"
	subj2FAOn         = "Two-factor authentication is on"
	subj2FAOff        = "Two-factor authentication is off"
	subjCodes         = "New recovery codes"
	subjCodeUsed      = "A recovery code was used"
	subjNewDevice     = "New sign-in to your BankApp account"
	linkOrigin        = "https://bank.example"
	resetAcceptedBody = `{"message":"If an account uses this email address, we have sent it a link to choose a new password. The link works for 30 minutes."}` + "\n"
)

// mailEnv is an API server whose email goes over SMTP to an in-test
// server, with the job runner that delivers it (svc.Jobs, as serve builds
// it).
type mailEnv struct {
	*env
	smtp   *mailtest.Server
	runner *jobs.Runner
}

func newMailEnv(t *testing.T, db *store.DB) *mailEnv {
	t.Helper()
	srv := mailtest.Start(t, mailtest.Options{})
	e := newEnv(t, db, func(c *config.Config) {
		c.SMTPURL, c.MailFrom, c.PublicOrigin = srv.URL(), "BankApp <no-reply@bank.example>", linkOrigin
	})
	r, err := e.svc.Jobs(e.opts, jobs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return &mailEnv{env: e, smtp: srv, runner: r}
}

func eachMailEngine(t *testing.T, fn func(t *testing.T, m *mailEnv)) {
	storetest.Run(t, func(t *testing.T, db *store.DB) { fn(t, newMailEnv(t, db)) })
}

// deliver runs the due jobs: reset requests become tokens and outbox rows,
// outbox rows become SMTP messages. When it returns, mailtest holds every
// message sent (the SMTP server stores a message before it answers 250).
func (m *mailEnv) deliver() {
	m.t.Helper()
	if _, err := m.runner.RunDue(context.Background()); err != nil {
		m.t.Fatal(err)
	}
}

// mail delivers what is due and returns the messages to addr whose subject
// contains subject, oldest first.
func (m *mailEnv) mail(addr, subject string) []mailtest.Message {
	m.t.Helper()
	m.deliver()
	var out []mailtest.Message
	for _, msg := range m.smtp.Messages() {
		for _, to := range msg.To {
			if strings.EqualFold(to, addr) && strings.Contains(msg.Subject, subject) {
				out = append(out, msg)
			}
		}
	}
	return out
}

// count is how many messages to addr have subject in it.
func (m *mailEnv) count(addr, subject string) int { return len(m.mail(addr, subject)) }

// token reads the token of the newest message to addr with subject, from
// its link to page (both parts, checked by mailtest).
func (m *mailEnv) token(addr, subject, page string) string {
	m.t.Helper()
	list := m.mail(addr, subject)
	if len(list) == 0 {
		m.t.Fatalf("no message %q to %s; all: %v", subject, addr, subjects(m.smtp.Messages()))
	}
	msg := list[len(list)-1]
	if link := msg.Link(page); !strings.HasPrefix(link, linkOrigin+page+"?token=") {
		m.t.Fatalf("link %q is not on %s", link, linkOrigin+page)
	}
	tok, err := msg.Token(page)
	if err != nil {
		m.t.Fatal(err)
	}
	return tok
}

func subjects(list []mailtest.Message) []string {
	var out []string
	for _, m := range list {
		out = append(out, fmt.Sprintf("%v: %s", m.To, m.Subject))
	}
	return out
}

func me(t *testing.T, e *env, token string) map[string]any {
	t.Helper()
	r := get(t, e, "/api/v1/me", token)
	expect(t, r, http.StatusOK, "")
	return r.JSON(t)["user"].(map[string]any)
}

// urlSafe256 is what a token must look like: 43 base64url characters (256
// bits; the contract asks for at least 128).
var urlSafe256 = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

func TestPasswordReset(t *testing.T) {
	eachMailEngine(t, func(t *testing.T, m *mailEnv) {
		e := m.env
		u := e.signUp("Rita")
		oldAccess, oldRefresh := u.Token, u.Refresh

		// Ten wrong passwords lock the email; the reset clears the lock.
		for range 10 {
			post(t, e, "/api/v1/auth/login", map[string]string{"email": u.Email, "password": "not-the-password-1"}, "")
		}
		expect(t, post(t, e, "/api/v1/auth/login", loginBody(u), ""), http.StatusTooManyRequests, "account_locked")

		r := post(t, e, "/api/v1/auth/password-reset", map[string]string{"email": "  " + strings.ToUpper(u.Email) + " "}, "")
		expect(t, r, http.StatusAccepted, "")
		if string(r.Body) != resetAcceptedBody {
			t.Fatalf("body %s", r.Body)
		}
		first := m.token(u.Email, subjReset, "/reset-password")
		if !urlSafe256.MatchString(first) {
			t.Fatalf("token %q is not 256 bits of base64url", first)
		}
		// A newer request spends the older link.
		expect(t, post(t, e, "/api/v1/auth/password-reset", map[string]string{"email": u.Email}, ""), http.StatusAccepted, "")
		second := m.token(u.Email, subjReset, "/reset-password")
		if second == first {
			t.Fatal("the second request sent the same token")
		}
		confirm := func(tok, pw string) response {
			return post(t, e, "/api/v1/auth/password-reset/confirm", map[string]string{"token": tok, "new_password": pw}, "")
		}
		const newPassword = "another-long-Passw0rd?"
		expect(t, confirm(first, newPassword), http.StatusUnprocessableEntity, "invalid_token")
		// The password rules apply; a refused password leaves the token usable.
		expect(t, confirm(second, "short"), http.StatusUnprocessableEntity, "validation_failed")
		expect(t, confirm(second, "password123456"), http.StatusUnprocessableEntity, "validation_failed")
		expect(t, confirm(second, newPassword), http.StatusNoContent, "")

		// Every session is over, at once.
		expect(t, get(t, e, "/api/v1/me", oldAccess), http.StatusUnauthorized, "unauthorized")
		expect(t, post(t, e, "/api/v1/auth/refresh", map[string]string{"refresh_token": oldRefresh}, ""), http.StatusUnauthorized, "unauthorized")
		// The old password no longer works, the new one does, the lock is gone.
		expect(t, post(t, e, "/api/v1/auth/login", loginBody(u), ""), http.StatusUnauthorized, "invalid_credentials")
		u.Password = newPassword
		r = post(t, e, "/api/v1/auth/login", loginBody(u), "")
		expect(t, r, http.StatusOK, "")
		access, _ := tokensOf(t, r)
		// The link proved the address.
		if me(t, e, access)["email_verified"] != true {
			t.Fatal("email_verified is false after a reset through the emailed link")
		}
		// A token works once.
		expect(t, confirm(second, "yet-another-long-Passw0rd"), http.StatusUnprocessableEntity, "invalid_token")
		expect(t, confirm("no-such-token", "yet-another-long-Passw0rd"), http.StatusUnprocessableEntity, "invalid_token")
		expect(t, confirm("", "yet-another-long-Passw0rd"), http.StatusUnprocessableEntity, "validation_failed")

		// The notice, with the guidance.
		notices := m.mail(u.Email, subjWasReset)
		if len(notices) != 1 || !strings.Contains(notices[0].Text, "Wasn't you?") || !strings.Contains(notices[0].Text, linkOrigin+"/forgot-password") {
			t.Fatalf("reset notices: %v", subjects(notices))
		}

		// A link expires after 30 minutes.
		expect(t, post(t, e, "/api/v1/auth/password-reset", map[string]string{"email": u.Email}, ""), http.StatusAccepted, "")
		late := m.token(u.Email, subjReset, "/reset-password")
		e.clock.Advance(30*time.Minute + time.Second)
		expect(t, confirm(late, "yet-another-long-Passw0rd"), http.StatusUnprocessableEntity, "invalid_token")

		events, err := e.db.AuditEvents(context.Background(), audit.Filter{ActorID: u.ID, Action: "password_reset", Limit: 10})
		if err != nil || len(events) != 1 || events[0].Outcome != "success" {
			t.Fatalf("audit: %+v %v", events, err)
		}
	})
}

// footprint is what a request left in the tables a reset request writes.
type footprint struct {
	resetJobs, mailJobs, buckets, tokens int
	events                               []audit.Event
}

func (m *mailEnv) footprint() footprint {
	m.t.Helper()
	ctx := context.Background()
	var f footprint
	q := m.db.SQLDB()
	for _, c := range []struct {
		dst *int
		sql string
	}{
		{&f.resetJobs, `SELECT COUNT(*) FROM jobs WHERE kind = 'password_reset_request'`},
		{&f.mailJobs, `SELECT COUNT(*) FROM jobs WHERE kind = 'mail_send'`},
		{&f.buckets, `SELECT COUNT(*) FROM rate_limits`},
		{&f.tokens, `SELECT COUNT(*) FROM auth_tokens`},
	} {
		if err := q.QueryRowContext(ctx, c.sql).Scan(c.dst); err != nil {
			m.t.Fatal(err)
		}
	}
	var err error
	if f.events, err = m.db.AuditEvents(ctx, audit.Filter{Action: "password_reset_request", Limit: 1000}); err != nil {
		m.t.Fatal(err)
	}
	return f
}

// TestPasswordResetDoesNotTellWhichEmailsExist: a known and an unknown
// address get the same status and the same bytes, and the request does
// the same work for both — one reset-request job, one limit bucket, one
// audit event naming the address's fingerprint, no token and no mail yet —
// so its time cannot tell them apart either (the shape is asserted, not
// the clock). Only the job, later and out of band, looks the address up.
func TestPasswordResetDoesNotTellWhichEmailsExist(t *testing.T) {
	eachMailEngine(t, func(t *testing.T, m *mailEnv) {
		e := m.env
		u := e.signUp("Kim")
		unknown := "nobody-" + u.ID[:8] + "@example.com"
		m.deliver() // the verification email of the sign-up
		before := m.footprint()
		rk := post(t, e, "/api/v1/auth/password-reset", map[string]string{"email": u.Email}, "")
		afterKnown := m.footprint()
		ru := post(t, e, "/api/v1/auth/password-reset", map[string]string{"email": unknown}, "")
		afterUnknown := m.footprint()

		if rk.Status != http.StatusAccepted || ru.Status != rk.Status || string(rk.Body) != string(ru.Body) {
			t.Fatalf("known: %d %s; unknown: %d %s", rk.Status, rk.Body, ru.Status, ru.Body)
		}
		for _, h := range []string{"Content-Type", "Cache-Control", "Content-Length"} {
			if rk.Header.Get(h) != ru.Header.Get(h) {
				t.Errorf("header %s: %q vs %q", h, rk.Header.Get(h), ru.Header.Get(h))
			}
		}
		delta := func(a, b footprint) [4]int {
			return [4]int{b.resetJobs - a.resetJobs, b.mailJobs - a.mailJobs, b.buckets - a.buckets, b.tokens - a.tokens}
		}
		if dk, du := delta(before, afterKnown), delta(afterKnown, afterUnknown); dk != du || dk != [4]int{1, 0, 1, 0} {
			t.Fatalf("rows written (reset jobs, mail jobs, limit buckets, tokens): known %v, unknown %v", dk, du)
		}
		if n := len(afterUnknown.events); n != len(before.events)+2 {
			t.Fatalf("%d audit events", n)
		}
		ek, eu := afterUnknown.events[1], afterUnknown.events[0] // newest first
		if ek.Outcome != "success" || eu.Outcome != ek.Outcome || ek.ActorID != "" || eu.ActorID != "" ||
			!strings.HasPrefix(ek.Target, "email:") || !strings.HasPrefix(eu.Target, "email:") || ek.Target == eu.Target {
			t.Fatalf("audit events differ in shape: %+v / %+v", ek, eu)
		}
		if strings.Contains(ek.Target, u.Email) || strings.Contains(eu.Target, "nobody") {
			t.Fatal("the audit log stores a typed address")
		}

		// Out of band, only the account's address gets mail.
		if n := m.count(u.Email, subjReset); n != 1 {
			t.Fatalf("%d reset emails to the account", n)
		}
		if n := m.count(unknown, ""); n != 0 {
			t.Fatalf("%d emails to an address without an account", n)
		}
		// The jobs are done and keep no address.
		var payloads []string
		rows, err := e.db.SQLDB().QueryContext(context.Background(), `SELECT payload FROM jobs WHERE kind = 'password_reset_request'`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var p string
			if err := rows.Scan(&p); err != nil {
				t.Fatal(err)
			}
			payloads = append(payloads, p)
		}
		rows.Close()
		if len(payloads) != 2 || strings.Contains(strings.Join(payloads, " "), "@") {
			t.Fatalf("reset-request payloads after the jobs: %v", payloads)
		}

		// Past the per-address limit (5 an hour): the same 202, nothing queued.
		for range 4 {
			expect(t, post(t, e, "/api/v1/auth/password-reset", map[string]string{"email": u.Email}, ""), http.StatusAccepted, "")
		}
		full := m.footprint()
		r := post(t, e, "/api/v1/auth/password-reset", map[string]string{"email": u.Email}, "")
		if r.Status != http.StatusAccepted || string(r.Body) != resetAcceptedBody {
			t.Fatalf("over the limit: %d %s", r.Status, r.Body)
		}
		if after := m.footprint(); after.resetJobs != full.resetJobs {
			t.Fatal("a request over the per-address limit was queued")
		}
		if n := m.count(u.Email, subjReset); n != 5 {
			t.Fatalf("%d reset emails, want 5 (the limit)", n)
		}
		e.clock.Advance(time.Hour)
		expect(t, post(t, e, "/api/v1/auth/password-reset", map[string]string{"email": u.Email}, ""), http.StatusAccepted, "")
		if n := m.count(u.Email, subjReset); n != 6 {
			t.Fatalf("%d reset emails an hour later, want 6", n)
		}

		// Bad syntax is the only other answer (it says nothing about accounts).
		expect(t, post(t, e, "/api/v1/auth/password-reset", map[string]string{"email": "not-an-address"}, ""), http.StatusUnprocessableEntity, "validation_failed")
	})
}

func TestPasswordResetIsRateLimitedPerIP(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		srv := mailtest.Start(t, mailtest.Options{})
		e := newEnv(t, db, func(c *config.Config) {
			c.SMTPURL, c.MailFrom, c.AuthRateLimitPerMinute = srv.URL(), "bank@example.com", 3
		})
		for i := range 3 {
			r := post(t, e, "/api/v1/auth/password-reset", map[string]string{"email": fmt.Sprintf("p%d@example.com", i)}, "")
			expect(t, r, http.StatusAccepted, "")
		}
		r := post(t, e, "/api/v1/auth/password-reset", map[string]string{"email": "p9@example.com"}, "")
		expect(t, r, http.StatusTooManyRequests, "rate_limited")
		if r.Header.Get("Retry-After") == "" {
			t.Fatal("no Retry-After")
		}
		// The same budget as sign-in: confirm and verify share it.
		expect(t, post(t, e, "/api/v1/auth/verify-email", map[string]string{"token": "x"}, ""), http.StatusTooManyRequests, "rate_limited")
	})
}

func TestVerifyEmail(t *testing.T) {
	eachMailEngine(t, func(t *testing.T, m *mailEnv) {
		e := m.env
		u := e.signUp("Vera")
		if me(t, e, u.Token)["email_verified"] != false {
			t.Fatal("a new user is verified")
		}
		tok := m.token(u.Email, subjVerify, "/verify-email")
		if !urlSafe256.MatchString(tok) {
			t.Fatalf("token %q", tok)
		}
		verify := func(tok string) response {
			return post(t, e, "/api/v1/auth/verify-email", map[string]string{"token": tok}, "")
		}
		expect(t, verify("forged-"+tok[7:]), http.StatusUnprocessableEntity, "invalid_token")
		expect(t, verify(tok), http.StatusNoContent, "")
		if me(t, e, u.Token)["email_verified"] != true {
			t.Fatal("email_verified did not flip")
		}
		expect(t, verify(tok), http.StatusUnprocessableEntity, "invalid_token")
		expect(t, post(t, e, "/api/v1/me/email/verification", nil, u.Token), http.StatusConflict, "already_verified")
		expect(t, post(t, e, "/api/v1/auth/verify-email", map[string]string{}, ""), http.StatusUnprocessableEntity, "validation_failed")
		// A reset token is not a verification token, and the other way round.
		w := e.signUp("Walt")
		expect(t, post(t, e, "/api/v1/auth/password-reset", map[string]string{"email": w.Email}, ""), http.StatusAccepted, "")
		expect(t, verify(m.token(w.Email, subjReset, "/reset-password")), http.StatusUnprocessableEntity, "invalid_token")
		expect(t, post(t, e, "/api/v1/auth/password-reset/confirm", map[string]string{"token": m.token(w.Email, subjVerify, "/verify-email"),
			"new_password": "another-long-Passw0rd?"}, ""), http.StatusUnprocessableEntity, "invalid_token")
		// Verification links expire after 24 hours.
		e.clock.Advance(24*time.Hour + time.Second)
		expect(t, verify(m.token(w.Email, subjVerify, "/verify-email")), http.StatusUnprocessableEntity, "invalid_token")
	})
}

func TestResendVerification(t *testing.T) {
	eachMailEngine(t, func(t *testing.T, m *mailEnv) {
		e := m.env
		u := e.signUp("Rex")
		resend := func() response { return post(t, e, "/api/v1/me/email/verification", nil, u.Token) }
		for range 5 {
			expect(t, resend(), http.StatusAccepted, "")
			e.clock.Advance(time.Minute)
		}
		r := resend()
		expect(t, r, http.StatusTooManyRequests, "rate_limited")
		// The first of the five leaves the hour in 55 minutes.
		if ra := r.Header.Get("Retry-After"); ra != "3300" {
			t.Fatalf("Retry-After %q, want 3300", ra)
		}
		if n := m.count(u.Email, subjVerify); n != 6 {
			t.Fatalf("%d verification emails, want the sign-up's and 5 resent", n)
		}
		// Every link works until it expires: the first one still verifies.
		first := m.mail(u.Email, subjVerify)[0]
		tok, err := first.Token("/verify-email")
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(55 * time.Minute)
		e.login(u) // the access token lives 15 minutes
		expect(t, resend(), http.StatusAccepted, "")
		expect(t, resend(), http.StatusTooManyRequests, "rate_limited")
		expect(t, post(t, e, "/api/v1/auth/verify-email", map[string]string{"token": tok}, ""), http.StatusNoContent, "")
		expect(t, resend(), http.StatusConflict, "already_verified")
		expect(t, post(t, e, "/api/v1/me/email/verification", nil, ""), http.StatusUnauthorized, "unauthorized")
	})
}

// enable2FA turns 2FA on for u and returns a function that makes a fresh
// TOTP code (advancing the clock past the last one).
func enable2FA(t *testing.T, e *env, u *user) func() string {
	t.Helper()
	r := post(t, e, "/api/v1/me/2fa/setup", nil, u.Token)
	expect(t, r, http.StatusOK, "")
	secret := r.JSON(t)["secret"].(string)
	code := func() string {
		e.clock.Advance(30 * time.Second)
		c, err := totp.GenerateCode(secret, e.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	expect(t, post(t, e, "/api/v1/me/2fa/enable", map[string]string{"code": code()}, u.Token), http.StatusNoContent, "")
	return code
}

func TestRecoveryCodes(t *testing.T) {
	eachMailEngine(t, func(t *testing.T, m *mailEnv) {
		e := m.env
		u := e.signUp("Rob")
		codesPath := "/api/v1/me/2fa/recovery-codes"
		expect(t, post(t, e, codesPath, map[string]string{"password": u.Password}, u.Token), http.StatusConflict, "totp_not_enabled")
		code := enable2FA(t, e, u)
		expect(t, post(t, e, codesPath, map[string]string{"password": "not-the-password-1"}, u.Token), http.StatusUnauthorized, "invalid_credentials")
		expect(t, post(t, e, codesPath, map[string]string{}, u.Token), http.StatusUnprocessableEntity, "validation_failed")
		r := post(t, e, codesPath, map[string]string{"password": u.Password}, u.Token)
		expect(t, r, http.StatusOK, "")
		codes := stringsOf(t, r.JSON(t)["codes"])
		if len(codes) != 10 || r.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("%d codes, Cache-Control %q", len(codes), r.Header.Get("Cache-Control"))
		}
		seen := map[string]bool{}
		for _, c := range codes {
			if seen[c] {
				t.Fatalf("code %s twice", c)
			}
			seen[c] = true
		}
		if m.count(u.Email, subjCodes) != 1 || m.count(u.Email, subj2FAOn) != 1 {
			t.Fatalf("notices: %v", subjects(m.smtp.Messages()))
		}
		withRecovery := func(c string) map[string]string {
			return map[string]string{"email": u.Email, "password": u.Password, "recovery_code": c}
		}
		login := func(body map[string]string) response { return post(t, e, "/api/v1/auth/login", body, "") }

		// A code signs in once, however it is typed.
		expect(t, login(withRecovery(strings.ToUpper(strings.ReplaceAll(codes[0], "-", " ")))), http.StatusOK, "")
		used := m.mail(u.Email, subjCodeUsed)
		if len(used) != 1 || !strings.Contains(used[0].Text, "Wasn't you?") {
			t.Fatalf("recovery-code notices: %v", subjects(used))
		}
		expect(t, login(withRecovery(codes[0])), http.StatusUnauthorized, "invalid_totp")
		expect(t, login(withRecovery("0000-0000-0000-0000")), http.StatusUnauthorized, "invalid_totp")
		expect(t, login(withRecovery("not a code")), http.StatusUnauthorized, "invalid_totp")
		expect(t, login(map[string]string{"email": u.Email, "password": u.Password, "recovery_code": codes[1], "totp_code": "123456"}),
			http.StatusUnprocessableEntity, "validation_failed")
		if n := m.count(u.Email, subjCodeUsed); n != 1 {
			t.Fatalf("%d recovery-code notices after refused codes", n)
		}
		expect(t, login(withRecovery(codes[1])), http.StatusOK, "")

		// New codes: the earlier ones stop working.
		r = post(t, e, codesPath, map[string]string{"password": u.Password}, u.Token)
		expect(t, r, http.StatusOK, "")
		fresh := stringsOf(t, r.JSON(t)["codes"])
		expect(t, login(withRecovery(codes[2])), http.StatusUnauthorized, "invalid_totp")
		expect(t, login(withRecovery(fresh[0])), http.StatusOK, "")
		// The TOTP code still works alongside.
		expect(t, login(map[string]string{"email": u.Email, "password": u.Password, "totp_code": code()}), http.StatusOK, "")

		// Wrong recovery codes count toward the lockout like wrong TOTP codes.
		for range 10 {
			login(withRecovery("0000-0000-0000-0000"))
		}
		expect(t, login(withRecovery(fresh[1])), http.StatusTooManyRequests, "account_locked")
		e.clock.Advance(16 * time.Minute)

		// Turning 2FA off deletes the codes; turning it on again starts with none.
		r = login(map[string]string{"email": u.Email, "password": u.Password, "totp_code": code()})
		expect(t, r, http.StatusOK, "")
		u.Token, _ = tokensOf(t, r)
		expect(t, post(t, e, "/api/v1/me/2fa/disable", map[string]string{"password": u.Password}, u.Token), http.StatusNoContent, "")
		if n := m.count(u.Email, subj2FAOff); n != 1 {
			t.Fatalf("%d 2FA-off notices", n)
		}
		enable2FA(t, e, u)
		expect(t, login(withRecovery(fresh[1])), http.StatusUnauthorized, "invalid_totp")
	})
}

func stringsOf(t *testing.T, v any) []string {
	t.Helper()
	list, ok := v.([]any)
	if !ok {
		t.Fatalf("not a list: %v", v)
	}
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = x.(string)
	}
	return out
}

func TestSecurityNotices(t *testing.T) {
	eachMailEngine(t, func(t *testing.T, m *mailEnv) {
		e := m.env
		u := e.signUp("Nina") // registers and signs in: the first device on record gets no notice
		if n := m.count(u.Email, subjNewDevice); n != 0 {
			t.Fatalf("%d new-device notices for the first sign-in", n)
		}
		loginAs := func(ua string, cookies ...*http.Cookie) response {
			t.Helper()
			h := map[string]string{"User-Agent": ua}
			if len(cookies) > 0 {
				var parts []string
				for _, c := range cookies {
					parts = append(parts, c.Name+"="+c.Value)
				}
				h["Cookie"] = strings.Join(parts, "; ")
			}
			body := map[string]string{"email": u.Email, "password": u.Password}
			if len(cookies) > 0 || strings.Contains(ua, "Firefox") {
				body["session"] = "cookie"
			}
			r := validated(t, e, req{Method: "POST", Path: "/api/v1/auth/login", Body: body, Headers: h})
			expect(t, r, http.StatusOK, "")
			return r
		}
		// A bearer client: the same user agent and IP is the same device.
		loginAs("Go-http-client/1.1")
		if n := m.count(u.Email, subjNewDevice); n != 0 {
			t.Fatalf("%d new-device notices for a known client", n)
		}
		loginAs("bankctl/2.0")
		notices := m.mail(u.Email, subjNewDevice)
		if len(notices) != 1 || !strings.Contains(notices[0].Text, "bankctl/2.0") || !strings.Contains(notices[0].Text, "127.0.0.1") ||
			!strings.Contains(notices[0].Text, "Wasn't you?") {
			t.Fatalf("new-device notices: %v", subjects(notices))
		}
		loginAs("bankctl/2.0")
		if n := m.count(u.Email, subjNewDevice); n != 1 {
			t.Fatalf("%d new-device notices after a second sign-in from the same client", n)
		}

		// A browser: named by its device cookie.
		const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
		r := loginAs(firefox)
		dc := cookieNamed(r, api.DeviceCookie)
		if dc == nil || !dc.HttpOnly || !dc.Secure || dc.SameSite != http.SameSiteStrictMode || dc.MaxAge < 399*24*3600 {
			t.Fatalf("device cookie %+v", dc)
		}
		notices = m.mail(u.Email, subjNewDevice)
		if len(notices) != 2 || !strings.Contains(notices[1].Text, "Firefox on Linux") {
			t.Fatalf("new-device notices: %v", subjects(notices))
		}
		// With its cookie the browser is known, whatever its address or agent.
		r = loginAs(firefox+" updated", dc)
		if again := cookieNamed(r, api.DeviceCookie); again == nil || again.Value != dc.Value {
			t.Fatalf("the device cookie was not renewed: %+v", again)
		}
		if n := m.count(u.Email, subjNewDevice); n != 2 {
			t.Fatalf("%d new-device notices after a sign-in with the device cookie", n)
		}
		// A forged cookie is no cookie: a new device, a new cookie.
		forged := &http.Cookie{Name: api.DeviceCookie, Value: strings.Split(dc.Value, ".")[0] + ".AAAA"}
		r = loginAs(firefox, forged)
		if nc := cookieNamed(r, api.DeviceCookie); nc == nil || nc.Value == dc.Value {
			t.Fatalf("a forged device cookie was kept: %+v", nc)
		}
		if n := m.count(u.Email, subjNewDevice); n != 3 {
			t.Fatalf("%d new-device notices after a forged cookie", n)
		}

		// Password changed, 2FA on and off.
		r = post(t, e, "/api/v1/me/password", map[string]string{"current_password": u.Password, "new_password": "another-long-Passw0rd?"}, u.Token)
		expect(t, r, http.StatusNoContent, "")
		u.Password = "another-long-Passw0rd?"
		enable2FA(t, e, u)
		expect(t, post(t, e, "/api/v1/me/2fa/disable", map[string]string{"password": u.Password}, u.Token), http.StatusNoContent, "")
		// Disabling again changes nothing and sends nothing.
		expect(t, post(t, e, "/api/v1/me/2fa/disable", map[string]string{"password": u.Password}, u.Token), http.StatusNoContent, "")
		for subj, want := range map[string]int{subjChanged: 1, subj2FAOn: 1, subj2FAOff: 1} {
			list := m.mail(u.Email, subj)
			if len(list) != want {
				t.Fatalf("%q: %d notices, want %d", subj, len(list), want)
			}
			if !strings.Contains(list[0].Text, "Wasn't you?") || !strings.Contains(list[0].HTML, linkOrigin+"/forgot-password") {
				t.Fatalf("%q lacks the guidance", subj)
			}
		}
		// A refused change sends nothing.
		expect(t, post(t, e, "/api/v1/me/password", map[string]string{"current_password": "wrong-password-12", "new_password": "yet-another-Passw0rd?"}, u.Token),
			http.StatusUnauthorized, "invalid_credentials")
		if n := m.count(u.Email, subjChanged); n != 1 {
			t.Fatalf("%d password-changed notices after a refused change", n)
		}
		// Every message so far went once: outbox keys are unique.
		ids := map[string]bool{}
		for _, msg := range m.smtp.Messages() {
			id := msg.Header.Get("Message-Id")
			if ids[id] {
				t.Fatalf("Message-ID %s twice", id)
			}
			ids[id] = true
		}
	})
}

func cookieNamed(r response, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// TestOutboxKeepsNoLinks: once a message is delivered its job keeps only
// what it was (kind, subject, recipient hash), not the address or the
// body, whose reset link is live for 30 minutes.
func TestOutboxKeepsNoLinks(t *testing.T) {
	eachMailEngine(t, func(t *testing.T, m *mailEnv) {
		e := m.env
		u := e.signUp("Olga")
		expect(t, post(t, e, "/api/v1/auth/password-reset", map[string]string{"email": u.Email}, ""), http.StatusAccepted, "")
		tok := m.token(u.Email, subjReset, "/reset-password")
		rows, err := e.db.SQLDB().QueryContext(context.Background(), `SELECT status, payload FROM jobs WHERE kind = 'mail_send'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var st, p string
			if err := rows.Scan(&st, &p); err != nil {
				t.Fatal(err)
			}
			n++
			if st != store.JobDone || strings.Contains(p, tok) || strings.Contains(p, u.Email) || strings.Contains(p, "token=") ||
				!strings.Contains(p, `"redacted":true`) {
				t.Fatalf("a delivered mail job keeps %s: %s", st, p)
			}
		}
		if n != 2 { // verification and reset
			t.Fatalf("%d mail jobs", n)
		}
	})
}
