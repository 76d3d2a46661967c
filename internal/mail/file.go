package mail

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// fileSender is the development driver: each message becomes an .eml file
// (the exact MIME message SMTP would carry; any mail client opens it) in
// the outbox dir, and one log line names its kind, recipient and first link
// so that someone running `make run` can click it. Production refuses it
// (Config.CheckProduction).
type fileSender struct {
	dir string
	cfg Config
	log *slog.Logger
}

func newFile(cfg Config, log *slog.Logger) *fileSender {
	return &fileSender{dir: cfg.OutboxDir, cfg: cfg, log: log}
}

func (s *fileSender) Send(ctx context.Context, m Message) error {
	msg, err := buildMsg(s.cfg.from(), m, s.cfg.now())
	if err != nil {
		return err
	}
	fail := func(op string, err error) error {
		return &SendError{Driver: DriverFile, Op: op, Detail: err.Error(), err: err}
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fail("mkdir", err)
	}
	// The outbox holds live reset links: only the server's user reads it.
	if err := os.Chmod(s.dir, 0o700); err != nil { // #nosec G302 -- a directory needs x; 0700 is owner-only
		return fail("chmod", err)
	}
	tmp, err := os.CreateTemp(s.dir, ".tmp-*.eml") // 0600
	if err != nil {
		return fail("create", err)
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	if _, err := msg.WriteTo(tmp); err != nil {
		_ = tmp.Close()
		return fail("write", err)
	}
	if err := tmp.Close(); err != nil {
		return fail("write", err)
	}
	// Named after the key, a retried message replaces its earlier copy.
	name := filepath.Join(s.dir, s.fileName(m))
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fail("rename", err)
	}
	s.log.Info("mail written to the development outbox", "kind", m.Kind, "to", m.To, "link", FirstLink(m.Text), "file", name)
	return nil
}

func (s *fileSender) fileName(m Message) string {
	kind := tagValue(m.Kind)
	if m.Key == "" {
		return fmt.Sprintf("%s-%s-%s.eml", s.cfg.now().UTC().Format("20060102T150405.000000000Z"), kind, strings.ToLower(randomLabel()))
	}
	sum := sha256.Sum256([]byte(m.Key))
	return fmt.Sprintf("%s-%s.eml", kind, hex.EncodeToString(sum[:8]))
}

var linkPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// FirstLink returns the first http(s) link in a text, without trailing
// punctuation; "" when there is none.
func FirstLink(text string) string {
	return strings.TrimRight(linkPattern.FindString(text), ".,;:!?)]'")
}
