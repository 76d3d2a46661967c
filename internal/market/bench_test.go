package market_test

import (
	"context"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/market"
)

func BenchmarkSimulatedPriceAt(b *testing.B) {
	sim := market.NewSimulated(0, nil)
	at := time.Now()
	for b.Loop() {
		_, _ = sim.PriceAt("BTC-USD", at)
	}
}

func BenchmarkServiceQuotesCached(b *testing.B) {
	s, _ := market.New(market.Options{})
	ctx := context.Background()
	syms := []string{"AAPL", "MSFT", "BTC-USD", "ETH-USD", "SPY"}
	_, _ = s.Quotes(ctx, syms)
	for b.Loop() {
		_, _ = s.Quotes(ctx, syms)
	}
}

func BenchmarkSimulatedHistory1D(b *testing.B) {
	sim := market.NewSimulated(0, nil)
	ctx := context.Background()
	for b.Loop() {
		_, _ = sim.History(ctx, "AAPL", market.Range1D)
	}
}
