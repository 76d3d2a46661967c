package market

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// How long history and search answers may be served stale when upstream
// fails (quotes use Options.StaleFor).
const (
	historyStaleFor = time.Hour
	searchStaleFor  = 24 * time.Hour
	maxQueryLen     = 64
)

// Service is the market as the rest of BankApp uses it: a Provider and an
// FXProvider with a cache (quotes and exchange rates 30 s, history 10 min,
// search 1 h), request coalescing (one upstream call for any number of
// concurrent askers of the same key), per-provider timeouts and circuit
// breakers, stale-if-error and metrics. It is safe for concurrent use.
type Service struct {
	o       Options
	up      Provider
	fxUp    FXProvider
	m       *metrics
	quotes  *store[Quote]
	history *store[[]Point]
	search  *store[[]Instrument]
	fx      *store[FXRates]
	sf      singleflight.Group
}

// partitioner is implemented by providers that route symbols to several
// upstreams (Live); each part is fetched and fails on its own.
type partitioner interface {
	Partition(symbols []string) [][]string
}

// New builds the Service that opts describe.
func New(opts Options) (*Service, error) {
	opts.setDefaults()
	m, err := newMetrics(opts.Registerer)
	if err != nil {
		return nil, err
	}
	up, fxUp, err := opts.upstream(m)
	if err != nil {
		return nil, err
	}
	return &Service{
		o: opts, up: up, fxUp: fxUp, m: m,
		quotes:  newStore[Quote](opts.StaleFor),
		history: newStore[[]Point](historyStaleFor),
		search:  newStore[[]Instrument](searchStaleFor),
		fx:      newStore[FXRates](opts.StaleFor),
	}, nil
}

// Mode is the configured provider: "simulated", "live" or "custom".
func (s *Service) Mode() string {
	if s.o.Upstream != nil {
		return "custom"
	}
	return s.o.Provider
}

// Quotes implements Provider. Quotes younger than the quote TTL come from
// the cache; the rest are fetched in one coalesced call per upstream. When
// an upstream fails, a quote fetched at most StaleFor ago is returned with
// Stale set; otherwise the answer is an *UnavailableError
// ("market_data_unavailable"). Unknown symbols give *UnknownSymbolError.
func (s *Service) Quotes(ctx context.Context, symbols []string) (map[string]Quote, error) {
	syms, err := normalizeSymbols(symbols)
	if err != nil {
		return nil, s.fail("quotes", err)
	}
	es, err := s.quoteEntries(ctx, syms)
	if err != nil {
		return nil, s.fail("quotes", err)
	}
	out := make(map[string]Quote, len(es))
	for k, e := range es {
		out[k] = e.v
	}
	return out, nil
}

// Quote returns the quote of one symbol, as Quotes does.
func (s *Service) Quote(ctx context.Context, symbol string) (Quote, error) {
	qs, err := s.Quotes(ctx, []string{symbol})
	if err != nil {
		return Quote{}, err
	}
	for _, q := range qs {
		return q, nil
	}
	return Quote{}, &UnknownSymbolError{Symbol: symbol}
}

// FreshQuote is the quote to execute an order at. It is Quote, except that
// a quote fetched from upstream more than FreshQuoteMaxAge ago (default
// 1 min) is refused with an *UnavailableError ("market_data_unavailable",
// HTTP 503) instead of being served stale. A returned quote may have Stale
// set when upstream just failed but the last good quote is young enough.
func (s *Service) FreshQuote(ctx context.Context, symbol string) (Quote, error) {
	sym, ok := NormalizeSymbol(symbol)
	if !ok {
		return Quote{}, s.fail("fresh_quote", &UnknownSymbolError{Symbol: symbol})
	}
	es, err := s.quoteEntries(ctx, []string{sym})
	if err != nil {
		return Quote{}, s.fail("fresh_quote", err)
	}
	e := es[sym]
	if age := s.o.Now().Sub(e.at); age > s.o.FreshQuoteMaxAge {
		return Quote{}, s.fail("fresh_quote", &UnavailableError{Symbol: sym, Err: fmt.Errorf("market: newest quote of %s is %s old", sym, age)})
	}
	return e.v, nil
}

func (s *Service) quoteEntries(ctx context.Context, syms []string) (map[string]entry[Quote], error) {
	now := s.o.Now()
	out := make(map[string]entry[Quote], len(syms))
	var misses []string
	for _, sym := range syms {
		if e, ok := s.quotes.get(sym); ok && now.Sub(e.at) < s.o.QuoteTTL {
			out[sym] = e
			s.m.cache.WithLabelValues("quotes", "hit").Inc()
			continue
		}
		s.m.cache.WithLabelValues("quotes", "miss").Inc()
		misses = append(misses, sym)
	}
	if len(misses) == 0 {
		return out, nil
	}
	parts := [][]string{misses}
	if p, ok := s.up.(partitioner); ok {
		parts = p.Partition(misses)
	}
	got := make([]map[string]entry[Quote], len(parts))
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, part := range parts {
		wg.Go(func() { got[i], errs[i] = s.fetchQuotes(ctx, part) })
	}
	wg.Wait()
	for i := range parts {
		if errs[i] != nil {
			return nil, errs[i]
		}
		for k, e := range got[i] {
			out[k] = e
		}
	}
	return out, nil
}

// fetchQuotes asks upstream for part (coalesced) and falls back to stale
// quotes when it fails.
func (s *Service) fetchQuotes(ctx context.Context, part []string) (map[string]entry[Quote], error) {
	part = slices.Sorted(slices.Values(part))
	v, err := s.coalesce(ctx, "q\x00"+strings.Join(part, ","), func(ctx context.Context) (any, error) {
		// A flight that ended just before this one began may have filled
		// the cache after our caller looked.
		if es, ok := s.freshQuotes(part); ok {
			return es, nil
		}
		qs, err := s.up.Quotes(ctx, part)
		if err != nil {
			return nil, err
		}
		at := s.o.Now()
		es := make(map[string]entry[Quote], len(qs))
		for _, sym := range part {
			q, ok := qs[sym]
			if !ok {
				return nil, &UnknownSymbolError{Symbol: sym}
			}
			q.Stale = false
			es[sym] = entry[Quote]{v: q, at: at}
			s.quotes.put(sym, q, at)
		}
		return es, nil
	})
	if err == nil {
		return v.(map[string]entry[Quote]), nil
	}
	if isNotFound(err) || isInvalid(err) || ctx.Err() != nil {
		return nil, err
	}
	now := s.o.Now()
	out := make(map[string]entry[Quote], len(part))
	for _, sym := range part {
		e, ok := s.quotes.get(sym)
		if !ok || now.Sub(e.at) > s.o.StaleFor {
			return nil, &UnavailableError{Symbol: sym, Err: err}
		}
		e.v.Stale = true
		out[sym] = e
		s.m.cache.WithLabelValues("quotes", "stale").Inc()
	}
	return out, nil
}

// freshQuotes returns the cached quotes of syms if all are fresh.
func (s *Service) freshQuotes(syms []string) (map[string]entry[Quote], bool) {
	now := s.o.Now()
	es := make(map[string]entry[Quote], len(syms))
	for _, sym := range syms {
		e, ok := s.quotes.get(sym)
		if !ok || now.Sub(e.at) >= s.o.QuoteTTL {
			return nil, false
		}
		es[sym] = e
	}
	return es, true
}

// coalesce runs f once for all concurrent callers of key. f runs detached
// from the first caller's cancellation (the guard's timeout bounds it);
// each caller stops waiting when its own ctx ends.
func (s *Service) coalesce(ctx context.Context, key string, f func(context.Context) (any, error)) (any, error) {
	ch := s.sf.DoChan(key, func() (any, error) { return f(context.WithoutCancel(ctx)) })
	select {
	case r := <-ch:
		return r.Val, r.Err
	case <-ctx.Done():
		return nil, fmt.Errorf("market: %w", ctx.Err())
	}
}

// wrapUnavailable turns upstream failures into *UnavailableError and leaves
// coded errors and cancellations alone.
func wrapUnavailable(ctx context.Context, sym string, err error) error {
	var c coder
	if errors.As(err, &c) || ctx.Err() != nil {
		return err
	}
	return &UnavailableError{Symbol: sym, Err: err}
}

// fail counts err in bankapp_market_errors_total and returns it.
func (s *Service) fail(op string, err error) error {
	s.m.errors.WithLabelValues(op, codeOf(err)).Inc()
	return err
}
