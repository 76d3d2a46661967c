package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Message is one accepted message: the envelope and the parsed content.
type Message struct {
	From    string   // envelope sender (MAIL FROM)
	To      []string // envelope recipients (RCPT TO)
	TLS     bool     // it came over a TLS connection (STARTTLS)
	User    string   // the AUTH user name, if the client authenticated
	Raw     []byte   // the message as received after DATA
	Header  mail.Header
	Subject string // decoded
	Text    string // the text/plain part, transfer encoding undone
	HTML    string // the text/html part, transfer encoding undone
	// ParseErr is why the content could not be parsed (Raw still holds it).
	ParseErr error
}

// parse reads the headers and the text and HTML parts of a MIME message.
func parse(raw []byte) Message {
	m := Message{Raw: raw}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		m.ParseErr = err
		return m
	}
	m.Header = msg.Header
	dec := new(mime.WordDecoder)
	if m.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		m.Subject = msg.Header.Get("Subject")
	}
	m.ParseErr = m.walk(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	return m
}

// Parse parses a raw MIME message (an .eml file of the development outbox,
// for example) the way the server parses what it receives.
func Parse(raw []byte) Message { return parse(raw) }

// walk descends multipart bodies and keeps the first text/plain and
// text/html parts.
func (m *Message) walk(contentType, encoding string, body io.Reader) error {
	if contentType == "" {
		contentType = "text/plain"
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("content type %q: %w", contentType, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := m.walk(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); err != nil {
				return err
			}
		}
	}
	var r io.Reader = body
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, newlineStripper{body})
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("%s part: %w", mt, err)
	}
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	switch {
	case mt == "text/plain" && m.Text == "":
		m.Text = s
	case mt == "text/html" && m.HTML == "":
		m.HTML = s
	}
	return nil
}

// newlineStripper drops CR and LF so base64 lines decode as one stream.
type newlineStripper struct{ r io.Reader }

func (n newlineStripper) Read(p []byte) (int, error) {
	for {
		k, err := n.r.Read(p)
		j := 0
		for _, c := range p[:k] {
			if c != '\r' && c != '\n' {
				p[j] = c
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}

var linkRE = regexp.MustCompile(`https?://[^\s<>"]+`)

// Links returns the http(s) links of a text in order.
func Links(text string) []string {
	var out []string
	for _, l := range linkRE.FindAllString(text, -1) {
		out = append(out, strings.TrimRight(l, ".,;:!?)]'"))
	}
	return out
}

// Link returns the first link of the text part whose path is path
// ("/reset-password"); "" when there is none.
func (m Message) Link(path string) string {
	for _, l := range Links(m.Text) {
		if u, err := url.Parse(l); err == nil && u.Path == path {
			return l
		}
	}
	return ""
}

// Token returns the token query parameter of the first link to path in the
// text part, and checks that the HTML part (if any) links to the same URL.
func (m Message) Token(path string) (string, error) {
	link := m.Link(path)
	if link == "" {
		return "", fmt.Errorf("mailtest: no link to %s in the text part of %q", path, m.Subject)
	}
	if m.HTML != "" && !strings.Contains(m.HTML, `href="`+strings.ReplaceAll(link, "&", "&amp;")+`"`) {
		return "", fmt.Errorf("mailtest: the HTML part of %q does not link to %s", m.Subject, link)
	}
	return Token(link)
}

// Token returns the token query parameter of a link.
func Token(link string) (string, error) {
	u, err := url.Parse(link)
	if err != nil {
		return "", fmt.Errorf("mailtest: link %q: %w", link, err)
	}
	tok := u.Query().Get("token")
	if tok == "" {
		return "", fmt.Errorf("mailtest: link %q has no token", link)
	}
	return tok, nil
}

// selfSigned makes a certificate for 127.0.0.1, ::1 and localhost, and the
// pool that trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "mailtest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}
