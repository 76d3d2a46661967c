package market

import (
	"context"
	"sync"
)

// Live routes crypto symbols of the catalogue (BTC-USD, …) to one provider
// (CoinGecko) and every other symbol to another (Yahoo Finance).
type Live struct {
	stocks, crypto Provider
}

// NewLive returns the router.
func NewLive(stocks, crypto Provider) *Live {
	return &Live{stocks: stocks, crypto: crypto}
}

func (l *Live) route(symbol string) Provider {
	if IsCrypto(symbol) {
		return l.crypto
	}
	return l.stocks
}

// Partition splits symbols by upstream: stocks first, then crypto. Service
// uses it so that one failing upstream does not spoil the other's quotes.
func (l *Live) Partition(symbols []string) [][]string {
	var stocks, crypto []string
	for _, s := range symbols {
		if IsCrypto(s) {
			crypto = append(crypto, s)
		} else {
			stocks = append(stocks, s)
		}
	}
	var out [][]string
	for _, p := range [][]string{stocks, crypto} {
		if len(p) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// Quotes implements Provider; it fails if either upstream fails.
func (l *Live) Quotes(ctx context.Context, symbols []string) (map[string]Quote, error) {
	syms, err := normalizeSymbols(symbols)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Quote, len(syms))
	for _, part := range l.Partition(syms) {
		qs, err := l.route(part[0]).Quotes(ctx, part)
		if err != nil {
			return nil, err
		}
		for k, v := range qs {
			out[k] = v
		}
	}
	return out, nil
}

// History implements Provider.
func (l *Live) History(ctx context.Context, symbol string, r Range) ([]Point, error) {
	return l.route(symbol).History(ctx, symbol, r)
}

// Search implements Provider: both upstreams are asked at once; stocks come
// first, duplicates are dropped. If one upstream fails the other's results
// are returned; only if both fail is there an error.
func (l *Live) Search(ctx context.Context, q string) ([]Instrument, error) {
	var wg sync.WaitGroup
	var res [2][]Instrument
	var errs [2]error
	for i, p := range []Provider{l.stocks, l.crypto} {
		wg.Go(func() { res[i], errs[i] = p.Search(ctx, q) })
	}
	wg.Wait()
	if errs[0] != nil && errs[1] != nil {
		return nil, errs[0]
	}
	out := []Instrument{}
	seen := map[string]bool{}
	for _, r := range res {
		for _, in := range r {
			if !seen[in.Symbol] && len(out) < searchLimit {
				seen[in.Symbol] = true
				out = append(out, in)
			}
		}
	}
	return out, nil
}
