package market

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/bankapp/bankapp/internal/market/simulated"
	"github.com/shopspring/decimal"
)

// searchLimit caps the instruments a search returns.
const searchLimit = 10

// Simulated is the offline market: the catalogue, priced by a deterministic
// walk. The price of a symbol at an instant depends only on the seed, the
// symbol and the UTC minute, so quotes, history points and later valuations
// at the same instant agree exactly, on every instance. It trades around
// the clock.
type Simulated struct {
	walk simulated.Walk
	now  func() time.Time
}

// NewSimulated returns the simulated market; now is its clock (time.Now when
// nil).
func NewSimulated(seed uint64, now func() time.Time) *Simulated {
	if now == nil {
		now = time.Now
	}
	return &Simulated{walk: simulated.Walk{Seed: seed}, now: now}
}

// PriceAt returns the price of symbol at t (constant within a UTC minute).
func (s *Simulated) PriceAt(symbol string, t time.Time) (decimal.Decimal, error) {
	l, ok := LookupListing(symbol)
	if !ok {
		return decimal.Decimal{}, &UnknownSymbolError{Symbol: symbol}
	}
	return s.price(l, t), nil
}

func (s *Simulated) price(l Listing, t time.Time) decimal.Decimal {
	return RoundPrice(s.walk.Price(l.Symbol, l.Type == TypeCrypto, l.BasePrice, t))
}

// Quotes implements Provider. The change is measured against the price at
// the last UTC midnight for stocks and 24 hours earlier for crypto.
func (s *Simulated) Quotes(ctx context.Context, symbols []string) (map[string]Quote, error) {
	syms, err := normalizeSymbols(symbols)
	if err != nil {
		return nil, err
	}
	now := simulated.Minute(s.now())
	out := make(map[string]Quote, len(syms))
	for _, sym := range syms {
		l, ok := LookupListing(sym)
		if !ok {
			return nil, &UnknownSymbolError{Symbol: sym}
		}
		prevAt := now.Truncate(day)
		if l.Type == TypeCrypto {
			prevAt = now.Add(-day)
		}
		price := s.price(l, now)
		change, pct := changeFrom(price, s.price(l, prevAt))
		out[sym] = Quote{
			Symbol: sym, Price: price, Currency: "USD",
			Change: change, ChangePercent: pct,
			AsOf: now, Source: SourceSimulated,
		}
	}
	return out, nil
}

// History implements Provider: points at multiples of r.Interval() since the
// Unix epoch, plus the current minute as the last point, so the last point
// equals the current quote.
func (s *Simulated) History(ctx context.Context, symbol string, r Range) ([]Point, error) {
	spec, ok := r.spec()
	if !ok {
		return nil, &InvalidError{Field: "range", Msg: "unsupported range"}
	}
	l, ok := LookupListing(symbol)
	if !ok {
		return nil, &UnknownSymbolError{Symbol: symbol}
	}
	now := simulated.Minute(s.now())
	step := int64(spec.interval / time.Second)
	start := now.Add(-spec.span).Unix()
	first := (start + step - 1) / step * step
	pts := make([]Point, 0, spec.span/spec.interval+2)
	for u := first; u <= now.Unix(); u += step {
		t := time.Unix(u, 0).UTC()
		pts = append(pts, Point{T: t, Price: s.price(l, t)})
	}
	if len(pts) == 0 || !pts[len(pts)-1].T.Equal(now) {
		pts = append(pts, Point{T: now, Price: s.price(l, now)})
	}
	return pts, nil
}

// Search implements Provider over the catalogue: exact symbol first, then
// symbol prefixes, then names containing the query.
func (s *Simulated) Search(ctx context.Context, q string) ([]Instrument, error) {
	return searchCatalog(q), nil
}

func searchCatalog(q string) []Instrument {
	uq := strings.ToUpper(strings.TrimSpace(q))
	if uq == "" {
		return []Instrument{}
	}
	type hit struct {
		in   Instrument
		rank int
	}
	var hits []hit
	for _, l := range Catalog() {
		sym, name := l.Symbol, strings.ToUpper(l.Name)
		rank := -1
		switch {
		case sym == uq || strings.TrimSuffix(sym, "-USD") == uq:
			rank = 0
		case strings.HasPrefix(sym, uq):
			rank = 1
		case strings.HasPrefix(name, uq):
			rank = 2
		case strings.Contains(name, uq):
			rank = 3
		}
		if rank >= 0 {
			hits = append(hits, hit{l.Instrument, rank})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].rank < hits[j].rank })
	out := make([]Instrument, 0, min(len(hits), searchLimit))
	for _, h := range hits[:min(len(hits), searchLimit)] {
		out = append(out, h.in)
	}
	return out
}
