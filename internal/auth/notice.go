package auth

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/mail"
)

// notify puts a security notice of kind (mail.KindPasswordChanged, …) to u
// in the outbox, in tx: the notice exists if and only if the change it
// describes commits. device describes a new device (KindNewDevice).
func (s *Service) notify(ctx context.Context, tx Tx, c audit.Caller, u User, kind, device string) error {
	m, err := s.mail.Notice(u.Email, u.FullName, mail.Notice{Kind: kind, At: s.now(), IP: c.IP, Device: device})
	if err != nil {
		return err
	}
	return tx.EnqueueMail(ctx, m, "notice:"+kind+":"+uuid.Must(uuid.NewV7()).String())
}

// Window is a sliding-window limit: at most Max hits in any Per.
type Window struct {
	Max int
	Per time.Duration
}

// Admit takes the hits recorded so far (oldest first) and reports whether a
// hit at now is allowed. kept is what to store: the hits still inside the
// window, plus now when it is allowed. When it is not, retry is how long
// until the oldest hit leaves the window.
func (w Window) Admit(hits []time.Time, now time.Time) (kept []time.Time, ok bool, retry time.Duration) {
	for _, h := range hits {
		if h.After(now.Add(-w.Per)) {
			kept = append(kept, h)
		}
	}
	if len(kept) >= w.Max {
		return kept, false, max(kept[len(kept)-w.Max].Add(w.Per).Sub(now), time.Second)
	}
	return append(kept, now), true, 0
}

// describeAgent turns a user agent into "Firefox on Linux" for the
// new-device notice, or the agent itself (the template cleans and cuts it)
// when it is none of the common browsers.
func describeAgent(ua string) string {
	browser := ""
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	system := ""
	for _, o := range []struct{ token, name string }{
		{"Android", "Android"}, {"iPhone", "iOS"}, {"iPad", "iPadOS"}, {"Windows", "Windows"}, {"Mac OS X", "macOS"},
		{"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, o.token) {
			system = o.name
			break
		}
	}
	switch {
	case browser != "" && system != "":
		return browser + " on " + system
	case browser != "":
		return browser
	case ua == "":
		return "an unnamed client"
	}
	return ua
}
