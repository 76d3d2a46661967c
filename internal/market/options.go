package market

import (
	"fmt"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/trace"

	"github.com/bankapp/bankapp/internal/market/coingecko"
	"github.com/bankapp/bankapp/internal/market/yahoo"
	"github.com/bankapp/bankapp/internal/telemetry"
)

// Provider names accepted in Options.Provider (MARKET_DATA_PROVIDER).
const (
	ProviderSimulated = "simulated"
	ProviderLive      = "live"
)

// Defaults of the Service's tuning knobs.
const (
	DefaultQuoteTTL         = 30 * time.Second
	DefaultHistoryTTL       = 10 * time.Minute
	DefaultSearchTTL        = time.Hour
	DefaultStaleFor         = 15 * time.Minute
	DefaultFreshQuoteMaxAge = time.Minute
	DefaultTimeout          = 5 * time.Second
	DefaultBreakerThreshold = 5
	DefaultBreakerCoolDown  = 30 * time.Second
)

// Options configures New. The zero value is a simulated market on the real
// clock without metrics.
type Options struct {
	// Provider is "simulated" (default) or "live" (Yahoo Finance for stocks,
	// CoinGecko for crypto).
	Provider string
	// YahooBaseURL defaults to https://query1.finance.yahoo.com.
	YahooBaseURL string
	// CoinGeckoBaseURL defaults to https://api.coingecko.com, or
	// https://pro-api.coingecko.com when CoinGeckoPro is set.
	CoinGeckoBaseURL string
	// CoinGeckoAPIKey travels in x-cg-demo-api-key, or x-cg-pro-api-key when
	// CoinGeckoPro is set; empty means the keyless public tier.
	CoinGeckoAPIKey string
	CoinGeckoPro    bool
	// HTTPClient is used for both upstreams (default: a client with a 10 s
	// timeout).
	HTTPClient *http.Client
	// TracerProvider, when it records (telemetry.StartTracing with an
	// endpoint), gives each upstream call — quotes, history, search, FX
	// rates — a client span "GET <host>" under the request or job that made
	// it (telemetry.Transport, which sends no traceparent upstream). Nil:
	// HTTPClient's transport is used as it is.
	TracerProvider trace.TracerProvider
	// Now is the clock of caches, breakers and the simulated market.
	Now func() time.Time
	// Registerer receives the metrics; nil registers nothing.
	Registerer prometheus.Registerer
	// SimulatedSeed seeds the simulated market; instances that share the
	// seed share prices.
	SimulatedSeed uint64
	// Upstream, when set, replaces the provider chosen by Provider (tests,
	// custom wiring); it is still guarded by a timeout and a breaker. If it
	// implements FXProvider it also supplies the exchange rates.
	Upstream Provider
	// FXUpstream, when set, supplies the exchange rates instead (tests,
	// custom wiring), guarded as "custom_fx". With neither, the rates come
	// from the provider Provider names: the simulated walk, or Yahoo's
	// EURUSD=X and GBPUSD=X.
	FXUpstream FXProvider

	// Tuning; zero means the Default… constant.
	QuoteTTL, HistoryTTL, SearchTTL time.Duration
	// StaleFor is how old (since it was fetched) a quote may be and still be
	// served, marked stale, when upstream fails.
	StaleFor time.Duration
	// FreshQuoteMaxAge is how old a quote FreshQuote accepts (see FreshQuote).
	FreshQuoteMaxAge time.Duration
	// Timeout bounds each upstream call.
	Timeout time.Duration
	// BreakerThreshold consecutive failures open a provider's breaker for
	// BreakerCoolDown.
	BreakerThreshold int
	BreakerCoolDown  time.Duration
}

func (o *Options) setDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.QuoteTTL, DefaultQuoteTTL)
	def(&o.HistoryTTL, DefaultHistoryTTL)
	def(&o.SearchTTL, DefaultSearchTTL)
	def(&o.StaleFor, DefaultStaleFor)
	def(&o.FreshQuoteMaxAge, DefaultFreshQuoteMaxAge)
	def(&o.Timeout, DefaultTimeout)
	def(&o.BreakerCoolDown, DefaultBreakerCoolDown)
	if o.BreakerThreshold <= 0 {
		o.BreakerThreshold = DefaultBreakerThreshold
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if telemetry.Enabled(o.TracerProvider) {
		hc := *o.HTTPClient // the caller's client stays as it was
		hc.Transport = telemetry.Transport(hc.Transport, o.TracerProvider)
		o.HTTPClient = &hc
	}
	if o.Provider == "" {
		o.Provider = ProviderSimulated
	}
}

// upstream builds the guarded providers of prices and of exchange rates
// that opts describe.
func (o *Options) upstream(m *metrics) (Provider, FXProvider, error) {
	var p Provider
	var f FXProvider
	if o.Upstream != nil {
		uf, _ := o.Upstream.(FXProvider)
		g := newGuarded("custom", o.Upstream, uf, o, m)
		p = g
		if uf != nil {
			f = g
		}
	}
	if o.FXUpstream != nil {
		f = newGuarded("custom_fx", nil, o.FXUpstream, o, m)
	}
	if p != nil && f != nil {
		return p, f, nil
	}
	bp, bf, err := o.builtin(m)
	if err != nil {
		return nil, nil, err
	}
	if p == nil {
		p = bp
	}
	if f == nil {
		f = bf
	}
	return p, f, nil
}

// builtin builds the provider that Provider names. Yahoo's prices and
// exchange rates share one breaker: they are the same upstream.
func (o *Options) builtin(m *metrics) (Provider, FXProvider, error) {
	switch o.Provider {
	case ProviderSimulated:
		sim := NewSimulated(o.SimulatedSeed, o.Now)
		g := newGuarded(SourceSimulated, sim, sim, o, m)
		return g, g, nil
	case ProviderLive:
		y := NewYahoo(yahoo.New(o.YahooBaseURL, o.HTTPClient))
		cg := NewCoinGecko(coingecko.New(coingecko.Config{
			BaseURL: o.CoinGeckoBaseURL, APIKey: o.CoinGeckoAPIKey, Pro: o.CoinGeckoPro, HTTPClient: o.HTTPClient,
		}), o.Now)
		gy := newGuarded(SourceYahoo, y, y, o, m)
		return NewLive(gy, newGuarded(SourceCoinGecko, cg, nil, o, m)), gy, nil
	}
	return nil, nil, fmt.Errorf("market: unknown provider %q (want simulated or live)", o.Provider)
}
