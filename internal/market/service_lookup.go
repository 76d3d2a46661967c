package market

import (
	"context"
	"slices"
	"strings"
	"time"
)

// History implements Provider with a 10 min cache and stale-if-error up to
// an hour.
func (s *Service) History(ctx context.Context, symbol string, r Range) ([]Point, error) {
	if !r.Valid() {
		_, err := ParseRange(string(r))
		return nil, s.fail("history", err)
	}
	sym, ok := NormalizeSymbol(symbol)
	if !ok {
		return nil, s.fail("history", &UnknownSymbolError{Symbol: symbol})
	}
	pts, err := cached(ctx, s, s.history, "history", "h\x00"+sym+"\x00"+string(r), s.o.HistoryTTL, historyStaleFor,
		func(ctx context.Context) ([]Point, error) { return s.up.History(ctx, sym, r) })
	if err != nil {
		return nil, s.fail("history", wrapUnavailable(ctx, sym, err))
	}
	return slices.Clone(pts), nil
}

// Search implements Provider with a 1 h cache and stale-if-error up to a
// day. The query is trimmed; empty or longer than 64 bytes is an
// *InvalidError.
func (s *Service) Search(ctx context.Context, q string) ([]Instrument, error) {
	q = strings.TrimSpace(q)
	if q == "" || len(q) > maxQueryLen {
		return nil, s.fail("search", &InvalidError{Field: "q", Msg: "q must be 1 to 64 characters"})
	}
	res, err := cached(ctx, s, s.search, "search", "s\x00"+strings.ToLower(q), s.o.SearchTTL, searchStaleFor,
		func(ctx context.Context) ([]Instrument, error) { return s.up.Search(ctx, q) })
	if err != nil {
		return nil, s.fail("search", wrapUnavailable(ctx, "", err))
	}
	return slices.Clone(res), nil
}

// cached serves key from st while younger than ttl, else fetches it
// (coalesced); when the fetch fails it serves a value younger than staleFor.
func cached[V any](ctx context.Context, s *Service, st *store[V], name, key string, ttl, staleFor time.Duration, fetch func(context.Context) (V, error)) (V, error) {
	var zero V
	e, ok := st.get(key)
	if ok && s.o.Now().Sub(e.at) < ttl {
		s.m.cache.WithLabelValues(name, "hit").Inc()
		return e.v, nil
	}
	s.m.cache.WithLabelValues(name, "miss").Inc()
	v, err := s.coalesce(ctx, key, func(ctx context.Context) (any, error) {
		if e, ok := st.get(key); ok && s.o.Now().Sub(e.at) < ttl {
			return e.v, nil // filled by a flight that just ended
		}
		v, err := fetch(ctx)
		if err != nil {
			return nil, err
		}
		st.put(key, v, s.o.Now())
		return v, nil
	})
	if err == nil {
		return v.(V), nil
	}
	if isNotFound(err) || isInvalid(err) || ctx.Err() != nil {
		return zero, err
	}
	if e, ok := st.get(key); ok && s.o.Now().Sub(e.at) <= staleFor {
		s.m.cache.WithLabelValues(name, "stale").Inc()
		return e.v, nil
	}
	return zero, err
}
