package mail

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	netmail "net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// buildMsg turns a Message into a MIME message: multipart/alternative with
// the text part first and the HTML part last (the one clients prefer), a
// Message-ID derived from the message's key, and the Date.
func buildMsg(from string, m Message, now time.Time) (*gomail.Msg, error) {
	if err := m.validate(); err != nil {
		return nil, err
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent(), gomail.WithCharset(gomail.CharsetUTF8),
		gomail.WithEncoding(gomail.EncodingQP))
	if err := msg.From(from); err != nil {
		return nil, Permanent(err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, Permanent(err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(messageID(m.Key, from))
	msg.SetDateWithValue(now)
	// RFC 3834: an automatic message; vacation responders stay quiet.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// messageID is the Message-ID (without angle brackets): the same for every
// attempt to send the same key, so a duplicate delivered by a retry can be
// recognised; random when there is no key.
func messageID(key, from string) string {
	var local string
	if key != "" {
		sum := sha256.Sum256([]byte("bankapp-mail:" + key))
		local = hex.EncodeToString(sum[:16])
	} else {
		local = strings.ToLower(rand.Text())
	}
	domain := "bankapp.localhost"
	if a, err := netmail.ParseAddress(from); err == nil {
		if i := strings.LastIndexByte(a.Address, '@'); i >= 0 && i < len(a.Address)-1 {
			domain = a.Address[i+1:]
		}
	}
	return local + "@" + domain
}
