package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/mail"
)

// DeviceCookieMaxAge is how long a browser keeps its device cookie (the
// most browsers allow), renewed at every sign-in.
const DeviceCookieMaxAge = 400 * 24 * time.Hour

// DeviceSeen is what a sign-in's device was to its user.
type DeviceSeen int

// Outcomes of Tx.SeeDevice.
const (
	DeviceKnown DeviceSeen = iota // signed in from before
	DeviceNew                     // not seen before: the user gets a notice
	DeviceFirst                   // the user's first device on record: no notice (nothing to compare with)
)

// Device kinds (known_devices.kind).
const (
	DeviceCookie = "cookie" // a browser, named by its signed device cookie
	DeviceAgent  = "agent"  // a bearer client, named by user agent and IP
)

// DeriveKey derives a key for one purpose from a master key (HMAC-SHA256
// of the purpose), so that one secret setting serves several uses without
// one use's output ever being valid for another.
func DeriveKey(master []byte, purpose string) []byte {
	m := hmac.New(sha256.New, master)
	m.Write([]byte("bankapp key derivation v1\x00" + purpose))
	return m.Sum(nil)
}

// device names the device of a sign-in. A browser is its device cookie:
// a valid one names it (and is renewed), a browser session without one
// gets a new one (cookie is what the caller sets). A bearer client without
// a cookie is its user agent and IP address. hash is what known_devices
// stores.
func (s *Service) device(c audit.Caller, cr Credentials) (hash, kind, cookie string) {
	if id, ok := s.openDeviceCookie(cr.Device); ok {
		if cr.Cookie {
			cookie = cr.Device
		}
		return HashToken(DeviceCookie + ":" + id), DeviceCookie, cookie
	}
	if cr.Cookie {
		id := RandomToken(16)
		return HashToken(DeviceCookie + ":" + id), DeviceCookie, s.sealDeviceCookie(id)
	}
	return HashToken(DeviceAgent + ":" + c.UserAgent + "\n" + c.IP), DeviceAgent, ""
}

// sealDeviceCookie is the cookie value of a device id: "<id>.<MAC>".
func (s *Service) sealDeviceCookie(id string) string {
	return id + "." + s.deviceMAC(id)
}

// openDeviceCookie checks a device cookie's MAC and returns its id.
func (s *Service) openDeviceCookie(v string) (string, bool) {
	id, mac, ok := strings.Cut(v, ".")
	if !ok || id == "" || len(v) > 128 {
		return "", false
	}
	return id, hmac.Equal([]byte(mac), []byte(s.deviceMAC(id)))
}

func (s *Service) deviceMAC(id string) string {
	m := hmac.New(sha256.New, s.devKey)
	m.Write([]byte(id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// seeDevice records the sign-in's device in tx and, when the user has
// signed in before but never from it, puts the new-device notice in the
// outbox. It returns the device cookie to set ("" for none).
func (s *Service) seeDevice(ctx context.Context, tx Tx, c audit.Caller, u User, cr Credentials) (string, error) {
	hash, kind, cookie := s.device(c, cr)
	seen, err := tx.SeeDevice(ctx, u.ID, hash, kind, s.now())
	if err != nil {
		return "", err
	}
	if seen == DeviceNew {
		if err := s.notify(ctx, tx, c, u, mail.KindNewDevice, describeAgent(c.UserAgent)); err != nil {
			return "", err
		}
	}
	return cookie, nil
}
