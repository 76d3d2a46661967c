// Package simulated computes the prices of BankApp's simulated market.
//
// A price is base × factor(symbol, minute), where factor is a sum of
// value-noise octaves (periods from one minute to four years) driven by a
// hash of the seed, the symbol, the octave and the time bucket. It behaves
// like a random walk on every time scale, never drifts to zero, and can be
// evaluated at any instant in constant time. Everything is integer arithmetic
// on int64 parts per million, so two processes on any architecture compute
// the same price for the same symbol and minute.
package simulated

import (
	"hash/fnv"
	"time"

	"github.com/shopspring/decimal"
)

// ppm is one in parts per million.
const ppm = 1_000_000

type octave struct {
	minutes int64 // period
	amp     int64 // amplitude in ppm of the base price
}

// stockOctaves sum to ±45 % around the base price; crypto doubles each
// amplitude except the slowest (±81 % in total).
func octaves(crypto bool) []octave {
	o := []octave{
		{1, 300},
		{15, 1_500},
		{120, 4_000},
		{1_440, 12_000},
		{10_080, 30_000},
		{43_200, 60_000},
		{525_600, 150_000},
		{2_102_400, 200_000},
	}
	if crypto {
		for i := range o[:len(o)-1] {
			o[i].amp *= 2
		}
	}
	return o
}

// Walk is a deterministic price generator; the zero value is ready to use.
// Walks with the same Seed produce the same prices.
type Walk struct {
	Seed uint64
}

// Minute truncates t to the start of its UTC minute, the resolution of the
// simulated market: prices are constant within a minute.
func Minute(t time.Time) time.Time {
	m := floorDiv(t.Unix(), 60)
	return time.Unix(m*60, 0).UTC()
}

// fxOctaves sum to ±7.9 % around the centre: about a major currency pair's
// range over a few years, a few tenths of a percent in a day, and a move in
// the fifth decimal from one minute to the next.
func fxOctaves() []octave {
	return []octave{
		{1, 30},
		{15, 100},
		{120, 300},
		{1_440, 1_500},
		{10_080, 4_000},
		{43_200, 8_000},
		{525_600, 25_000},
		{2_102_400, 40_000},
	}
}

// FactorPPM returns the price multiplier, in parts per million, of symbol
// at t (truncated to the minute).
func (w Walk) FactorPPM(symbol string, crypto bool, t time.Time) int64 {
	return w.factor(symbol, octaves(crypto), t)
}

// FXFactorPPM returns the multiplier, in parts per million, of an exchange
// rate (pair is its ticker, "EURUSD=X") at t (truncated to the minute): the
// same walk as prices with the gentler amplitudes of currencies.
func (w Walk) FXFactorPPM(pair string, t time.Time) int64 {
	return w.factor(pair, fxOctaves(), t)
}

func (w Walk) factor(symbol string, octs []octave, t time.Time) int64 {
	m := floorDiv(t.Unix(), 60)
	sh := symbolHash(symbol) ^ w.Seed
	f := int64(ppm)
	for i, o := range octs {
		b := floorDiv(m, o.minutes)
		h0 := noise(sh, uint64(i), b)
		h1 := noise(sh, uint64(i), b+1)
		n := h0 + (h1-h0)*(m-b*o.minutes)/o.minutes
		f += o.amp * n / ppm
	}
	return f
}

// Price is base × FactorPPM / 10^6, exact (the caller rounds).
func (w Walk) Price(symbol string, crypto bool, base decimal.Decimal, t time.Time) decimal.Decimal {
	return base.Mul(decimal.New(w.FactorPPM(symbol, crypto, t), -6))
}

// noise maps (symbol, octave, bucket) to a pseudo-random int in [-10^6, 10^6].
func noise(sym, oct uint64, bucket int64) int64 {
	x := splitmix(sym + oct*0x9e3779b97f4a7c15 + uint64(bucket)*0xbf58476d1ce4e5b9) // #nosec G115 -- reinterpreting the bits is the point: it is hashed
	return int64(x%(2*ppm+1)) - ppm
}

func symbolHash(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s)) // hash.Hash.Write never fails
	return h.Sum64()
}

// splitmix is the SplitMix64 finaliser: a cheap, well-mixed 64-bit hash.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
