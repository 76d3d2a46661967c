package config

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/bankapp/bankapp/internal/fx"
	"github.com/bankapp/bankapp/internal/ledger"
)

// parser reads typed values from the environment, collecting the ones it
// cannot read; each falls back to its default.
type parser struct {
	getenv func(string) string
	errs   []error
}

func (p *parser) bad(v, format string, a ...any) {
	p.errs = append(p.errs, &Error{Var: v, Msg: fmt.Sprintf(format, a...)})
}

func (p *parser) str(name, def string) string {
	if v := strings.TrimSpace(p.getenv(name)); v != "" {
		return v
	}
	return def
}

func (p *parser) integer(name string, def, min, max int) int {
	v := p.getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min || n > max {
		p.bad(name, "must be a whole number from %d to %d", min, max)
		return def
	}
	return n
}

func (p *parser) boolean(name string, def bool) bool {
	v := p.getenv(name)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.bad(name, "must be true or false")
		return def
	}
	return b
}

func (p *parser) duration(name string, def, max time.Duration) time.Duration {
	v := p.getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 || d > max {
		p.bad(name, "must be a duration such as 15m, at most %s", max)
		return def
	}
	return d
}

// durationOrZero is duration that also accepts 0.
func (p *parser) durationOrZero(name string, def, max time.Duration) time.Duration {
	if p.getenv(name) == "0" {
		return 0
	}
	return p.duration(name, def, max)
}

// money reads an amount such as "1.00" (0 to 1,000,000) in minor units.
func (p *parser) money(name string, def int64) int64 {
	v := strings.TrimSpace(p.getenv(name))
	if v == "" {
		return def
	}
	n, err := ledger.ParseMinor(v, 2)
	if err != nil || n < 0 || n > 100_000_000 {
		p.bad(name, "must be an amount such as 1.00 (0 to 1000000)")
		return def
	}
	return n
}

// spread reads an FX spread in basis points (fx.ParseSpreadBPS: empty is
// the default 50 = 0.5 %).
func (p *parser) spread(name string) fx.Spread {
	s, err := fx.ParseSpreadBPS(p.getenv(name))
	if err != nil {
		p.bad(name, "must be a whole number of basis points from 0 to %d (50 = 0.5 %%)", fx.MaxSpreadBPS)
		return fx.DefaultSpread
	}
	return s
}

// key reads a signing key (decodeKey).
func (p *parser) key(name string) []byte {
	v := p.getenv(name)
	if v == "" {
		return nil
	}
	key, err := decodeKey(v)
	if err != nil {
		p.bad(name, "%v", err)
	}
	return key
}

// prefixes reads a comma-separated list of CIDRs.
func (p *parser) prefixes(name string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range strings.Split(p.getenv(name), ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		pf, err := netip.ParsePrefix(s)
		if err != nil {
			p.bad(name, "%q is not a CIDR such as 10.2.1.0/24", s)
			continue
		}
		out = append(out, pf.Masked())
	}
	return out
}
