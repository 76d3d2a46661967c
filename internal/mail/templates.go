package mail

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode"
)

// Message kinds: the Kind of every message the templates render.
const (
	KindVerifyEmail              = "verify_email"
	KindPasswordReset            = "password_reset"
	KindPasswordChanged          = "notice_password_changed"
	KindPasswordWasReset         = "notice_password_reset"
	KindTOTPEnabled              = "notice_2fa_enabled"
	KindTOTPDisabled             = "notice_2fa_disabled"
	KindRecoveryCodesRegenerated = "notice_recovery_codes_regenerated"
	KindRecoveryCodeUsed         = "notice_recovery_code_used"
	KindNewDevice                = "notice_new_device"
)

var knownKinds = map[string]bool{
	KindVerifyEmail: true, KindPasswordReset: true, KindPasswordChanged: true, KindPasswordWasReset: true,
	KindTOTPEnabled: true, KindTOTPDisabled: true, KindRecoveryCodesRegenerated: true, KindRecoveryCodeUsed: true,
	KindNewDevice: true,
}

// Site is what the templates say about the bank.
type Site struct {
	// Origin is the public origin of the web app, the base of every link
	// (BANKAPP_PUBLIC_ORIGIN): "https://bank.example.com".
	Origin string
	// Name is the bank's name in subjects and text [BankApp].
	Name string
	// SupportEmail is where the "this wasn't me" guidance sends customers;
	// empty: "contact BankApp support" without an address.
	SupportEmail string
}

//go:embed templates/*.tmpl
var templateFiles embed.FS

// Templates render BankApp's messages: a plain-text part and an HTML part
// (html/template: every value is escaped) from one content description per
// kind, so both parts always say the same thing.
type Templates struct {
	site Site
	html *htmltemplate.Template
	text *texttemplate.Template
}

// NewTemplates parses the embedded templates for site.
func NewTemplates(site Site) (*Templates, error) {
	o, err := url.Parse(site.Origin)
	if err != nil || (o.Scheme != "https" && o.Scheme != "http") || o.Host == "" || o.RawQuery != "" || o.Fragment != "" ||
		(o.Path != "" && o.Path != "/") || o.User != nil {
		return nil, fmt.Errorf("mail: the public origin %q must look like https://bank.example.com", site.Origin)
	}
	site.Origin = o.Scheme + "://" + o.Host
	if site.Name == "" {
		site.Name = "BankApp"
	}
	funcs := map[string]any{"wrap": wrap, "item": item}
	h, err := htmltemplate.New("").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("mail: html templates: %w", err)
	}
	t, err := texttemplate.New("").Funcs(funcs).ParseFS(templateFiles, "templates/layout.txt.tmpl")
	if err != nil {
		return nil, fmt.Errorf("mail: text templates: %w", err)
	}
	return &Templates{site: site, html: h, text: t}, nil
}

// content is one message, independent of its format.
type content struct {
	Site       Site
	Subject    string
	Preheader  string // the summary line mail clients show after the subject
	Heading    string
	Name       string // the greeting's name; empty: "Hello,"
	Paragraphs []string
	Action     *action
	After      []string // below the button: validity, "didn't ask for this"
	Details    []detail // what happened, when, from where
	WasntMe    bool     // the "this wasn't me" guidance
	ForgotURL  string
}

type action struct{ Label, URL string }

type detail struct{ Label, Value string }

// VerifyEmail asks the owner of to to confirm it: a link to
// <origin>/verify-email?token=… valid for validFor (0: not mentioned).
func (t *Templates) VerifyEmail(to, name, token string, validFor time.Duration) (Message, error) {
	if token == "" {
		return Message{}, errors.New("mail: verify-email needs a token")
	}
	c := t.base(name)
	c.Subject = "Confirm your email address for " + t.site.Name
	c.Preheader = "One click confirms this address for your " + t.site.Name + " account."
	c.Heading = "Confirm your email address"
	c.Paragraphs = []string{
		"Please confirm that " + clean(to) + " is your email address. We use it to reach you about your account and to help you back in if you ever forget your password.",
	}
	c.Action = &action{Label: "Confirm email address", URL: t.link("/verify-email", token)}
	if validFor > 0 {
		c.After = append(c.After, "The link works for "+duration(validFor)+".")
	}
	c.After = append(c.After, "If you didn't create a "+t.site.Name+" account, ignore this email: nothing happens unless the link is opened.")
	return t.render(KindVerifyEmail, to, c)
}

// PasswordReset sends the link to <origin>/reset-password?token=… that sets
// a new password; it works once, for validFor (30 minutes by the contract).
func (t *Templates) PasswordReset(to, name, token string, validFor time.Duration) (Message, error) {
	if token == "" {
		return Message{}, errors.New("mail: password reset needs a token")
	}
	c := t.base(name)
	c.Subject = "Reset your " + t.site.Name + " password"
	c.Preheader = "Choose a new password with the link inside. It works once, for " + duration(validFor) + "."
	c.Heading = "Reset your password"
	c.Paragraphs = []string{"We received a request to reset the password of the " + t.site.Name + " account that uses this email address."}
	c.Action = &action{Label: "Choose a new password", URL: t.link("/reset-password", token)}
	c.After = []string{
		"The link works once, for " + duration(validFor) + ". Asking for another link makes this one stop working. Resetting your password signs you out on every device.",
		"If you didn't ask for this, ignore this email: your password stays as it is. If these emails keep coming, " + t.supportSentence() + ".",
		t.site.Name + " never asks for your password, codes or the links in our emails by phone, email or chat.",
	}
	return t.render(KindPasswordReset, to, c)
}

// Notice describes a security event for a security notice email.
type Notice struct {
	Kind   string    // KindPasswordChanged, KindNewDevice, … (the notice kinds)
	At     time.Time // when it happened (shown in UTC, to the minute)
	IP     string    // the client's IP address; empty: not shown
	Device string    // KindNewDevice: a description such as "Firefox on Linux"; empty: not shown
}

var notices = map[string]struct{ subject, heading, preheader string }{
	KindPasswordChanged:          {"Your %s password was changed", "Your password was changed", "The password of your account was changed."},
	KindPasswordWasReset:         {"Your %s password was reset", "Your password was reset", "Your password was reset with a link sent to this address."},
	KindTOTPEnabled:              {"Two-factor authentication is on for your %s account", "Two-factor authentication is on", "Signing in now needs a code from your authenticator app."},
	KindTOTPDisabled:             {"Two-factor authentication is off for your %s account", "Two-factor authentication is off", "Signing in now needs only your password."},
	KindRecoveryCodesRegenerated: {"New recovery codes for your %s account", "New recovery codes were created", "Your earlier recovery codes no longer work."},
	KindRecoveryCodeUsed:         {"A recovery code was used to sign in to %s", "A recovery code was used", "Someone signed in with one of your recovery codes."},
	KindNewDevice:                {"New sign-in to your %s account", "New sign-in to your account", "Someone signed in to your account from a new device."},
}

// Notice renders a security notice with "this wasn't me" guidance.
func (t *Templates) Notice(to, name string, n Notice) (Message, error) {
	meta, ok := notices[n.Kind]
	if !ok {
		return Message{}, fmt.Errorf("mail: %q is not a notice kind", n.Kind)
	}
	if n.At.IsZero() {
		return Message{}, errors.New("mail: a notice needs the time of the event")
	}
	c := t.base(name)
	c.Subject = fmt.Sprintf(meta.subject, t.site.Name)
	c.Heading = meta.heading
	c.Preheader = meta.preheader
	c.WasntMe = true
	switch n.Kind {
	case KindPasswordChanged:
		c.Paragraphs = []string{"The password of your " + t.site.Name + " account was just changed. If it was you, there is nothing else to do."}
	case KindPasswordWasReset:
		c.Paragraphs = []string{"The password of your " + t.site.Name + " account was reset with a link we sent to this address, and every device that was signed in has been signed out. If it was you, there is nothing else to do."}
	case KindTOTPEnabled:
		c.Paragraphs = []string{
			"Two-factor authentication was turned on for your account. From now on, signing in needs a code from your authenticator app as well as your password.",
			"Keep your recovery codes somewhere safe: each one lets you sign in once if you lose your phone.",
		}
	case KindTOTPDisabled:
		c.Paragraphs = []string{
			"Two-factor authentication was turned off for your account. Signing in now needs only your password.",
			"We recommend turning it back on in Settings: it keeps your money safe even if someone learns your password.",
		}
	case KindRecoveryCodesRegenerated:
		c.Paragraphs = []string{"A new set of recovery codes was created for your account. The earlier codes no longer work. Keep the new ones somewhere safe, away from your phone."}
	case KindRecoveryCodeUsed:
		c.Paragraphs = []string{
			"Someone signed in to your account with one of your recovery codes instead of a code from your authenticator app. That code can't be used again.",
			"If you have lost your phone, set up two-factor authentication again and create new recovery codes in Settings.",
		}
	case KindNewDevice:
		c.Paragraphs = []string{"Someone signed in to your account from a device we haven't seen before. If it was you, there is nothing else to do."}
		if d := clean(n.Device); d != "" {
			c.Details = append(c.Details, detail{"Device", d})
		}
	}
	when := n.At.UTC().Format("Monday 2 January 2006, 15:04 UTC")
	if n.Kind == KindNewDevice {
		when = "around " + when
	}
	c.Details = append(c.Details, detail{"When", when})
	if ip := clean(n.IP); ip != "" {
		c.Details = append(c.Details, detail{"IP address", ip})
	}
	return t.render(n.Kind, to, c)
}

func (t *Templates) base(name string) content {
	return content{Site: t.site, Name: clean(name), ForgotURL: t.site.Origin + "/forgot-password"}
}

func (t *Templates) link(page, token string) string {
	return t.site.Origin + page + "?token=" + url.QueryEscape(token)
}

func (t *Templates) supportSentence() string {
	if t.site.SupportEmail != "" {
		return "contact " + t.site.Name + " support at " + t.site.SupportEmail
	}
	return "contact " + t.site.Name + " support"
}

func (t *Templates) render(kind, to string, c content) (Message, error) {
	if strings.TrimSpace(to) == "" {
		return Message{}, errors.New("mail: no recipient")
	}
	// Support starts the second step of the "wasn't you" list.
	support := t.supportSentence()
	data := struct {
		content
		Support string
	}{c, strings.ToUpper(support[:1]) + support[1:]}
	var h, x bytes.Buffer
	if err := t.html.ExecuteTemplate(&h, "layout.html.tmpl", data); err != nil {
		return Message{}, fmt.Errorf("mail: render %s html: %w", kind, err)
	}
	if err := t.text.ExecuteTemplate(&x, "layout.txt.tmpl", data); err != nil {
		return Message{}, fmt.Errorf("mail: render %s text: %w", kind, err)
	}
	return Message{To: to, Subject: c.Subject, Text: x.String(), HTML: h.String(), Kind: kind}, nil
}

// clean makes a value from the outside (a name, a user agent) safe for one
// line: control characters become spaces, runs of spaces one, and it is cut
// to 120 characters.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 120 {
		s = string(r[:119]) + "…"
	}
	return s
}

// duration says 30 minutes, 1 hour, 24 hours.
func duration(d time.Duration) string {
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		if d == time.Hour {
			return "1 hour"
		}
		return fmt.Sprintf("%d hours", d/time.Hour)
	case d >= time.Minute:
		m := (d + time.Minute - 1) / time.Minute
		if m == 1 {
			return "1 minute"
		}
		return fmt.Sprintf("%d minutes", m)
	default:
		return "a short while"
	}
}

// item wraps a numbered list item, its continuation lines indented under
// its text.
func item(width int, number, s string) string {
	pad := strings.Repeat(" ", len(number)+1)
	lines := strings.Split(wrap(width-len(pad), s), "\n")
	return number + " " + strings.Join(lines, "\n"+pad)
}

// wrap breaks text into lines of at most width columns at spaces (a longer
// word, such as a link, keeps its own line).
func wrap(width int, s string) string {
	var b strings.Builder
	col := 0
	for i, w := range strings.Fields(s) {
		n := len([]rune(w))
		if i > 0 {
			if col+1+n > width {
				b.WriteByte('\n')
				col = 0
			} else {
				b.WriteByte(' ')
				col++
			}
		}
		b.WriteString(w)
		col += n
	}
	return b.String()
}
