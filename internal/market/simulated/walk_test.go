package simulated_test

import (
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/market/simulated"
	"github.com/shopspring/decimal"
)

func TestMinute(t *testing.T) {
	for in, want := range map[time.Time]time.Time{
		time.Date(2026, 1, 1, 10, 5, 59, 999, time.UTC):               time.Date(2026, 1, 1, 10, 5, 0, 0, time.UTC),
		time.Date(2026, 1, 1, 11, 5, 30, 0, time.FixedZone("", 3600)): time.Date(2026, 1, 1, 10, 5, 0, 0, time.UTC),
		time.Unix(-30, 0): time.Unix(-60, 0).UTC(), // floor, not truncation toward zero
	} {
		if got := simulated.Minute(in); !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("Minute(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestFactorBoundsAndResolution(t *testing.T) {
	w := simulated.Walk{}
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, crypto := range []bool{false, true} {
		lo, hi := int64(550_000), int64(1_450_000)
		if crypto {
			lo, hi = 190_000, 1_810_000
		}
		moved := 0
		prev := w.FactorPPM("AAPL", crypto, start)
		for i := range 20_000 {
			at := start.Add(time.Duration(i) * 97 * time.Minute)
			f := w.FactorPPM("AAPL", crypto, at)
			if f < lo || f > hi {
				t.Fatalf("crypto=%v factor %d at %s out of [%d, %d]", crypto, f, at, lo, hi)
			}
			if f != prev {
				moved++
			}
			prev = f
			if g := w.FactorPPM("AAPL", crypto, at.Add(59*time.Second)); g != f {
				t.Fatalf("price changed within a minute at %s", at)
			}
		}
		if moved < 19_000 {
			t.Errorf("crypto=%v: the walk barely moves (%d changes)", crypto, moved)
		}
	}
	p := w.Price("AAPL", false, decimal.RequireFromString("100"), start)
	if !p.Equal(decimal.New(w.FactorPPM("AAPL", false, start), -4)) {
		t.Errorf("price %s", p)
	}
}

func TestFXFactorBounds(t *testing.T) {
	w := simulated.Walk{}
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	lo, hi := int64(921_000), int64(1_079_000)
	minuteMoves := 0
	var dayMax int64
	for i := range 20_000 {
		at := start.Add(time.Duration(i) * 97 * time.Minute)
		f := w.FXFactorPPM("EURUSD=X", at)
		if f < lo || f > hi {
			t.Fatalf("factor %d at %s out of [%d, %d]", f, at, lo, hi)
		}
		if g := w.FXFactorPPM("EURUSD=X", at.Add(59*time.Second)); g != f {
			t.Fatalf("rate changed within a minute at %s", at)
		}
		if w.FXFactorPPM("EURUSD=X", at.Add(time.Minute)) != f {
			minuteMoves++
		}
		d := w.FXFactorPPM("EURUSD=X", at.Add(24*time.Hour)) - f
		dayMax = max(dayMax, d, -d)
	}
	if minuteMoves < 19_000 {
		t.Errorf("the rate barely moves from minute to minute (%d of 20000)", minuteMoves)
	}
	// A day moves it by well under 2 % (stocks: up to ~10 %).
	if dayMax == 0 || dayMax > 20_000 {
		t.Errorf("largest one-day move %d ppm", dayMax)
	}
	if w.FXFactorPPM("EURUSD=X", start) == w.FXFactorPPM("GBPUSD=X", start) {
		t.Error("pairs share a walk")
	}
	// Stock factors are unchanged by the FX walk (same hash, own octaves).
	if w.FactorPPM("AAPL", false, start) == w.FXFactorPPM("AAPL", start) {
		t.Error("FX octaves are the stock octaves")
	}
}
