package fx_test

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/bankapp/bankapp/internal/fx"
	"github.com/bankapp/bankapp/internal/ledger"
)

// The oracle below is exact rational arithmetic (big.Rat), independent of
// the package's floor/ceil integer code.

func ratAmount(a ledger.Amount) *big.Rat {
	return new(big.Rat).SetFrac(big.NewInt(a.Minor), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(a.Currency.Digits())), nil))
}

func ratRate(r fx.Rate) *big.Rat { return big.NewRat(r.Units(), 100_000_000) }

func mul(a, b *big.Rat) *big.Rat { return new(big.Rat).Mul(a, b) }

func add(a ledger.Amount, minor int64) ledger.Amount {
	return ledger.Amount{Minor: a.Minor + minor, Currency: a.Currency}
}

// checkQuote asserts everything that must hold of any quote q made at mid
// with spread s. It returns a description of the first violation, or "".
func checkQuote(q fx.Quote, mid fx.Rate, s fx.Spread) string {
	rate, m := ratRate(q.Rate), ratRate(mid)
	// The customer rate: mid × (1 − spread) rounded down to 6 places.
	exact := mul(m, big.NewRat(int64(10_000-s.BPS()), 10_000))
	if q.Rate.Units()%100 != 0 || ratRate(q.Rate).Cmp(exact) > 0 || new(big.Rat).Add(rate, big.NewRat(1, 1_000_000)).Cmp(exact) <= 0 {
		return "customer rate is not mid × (1 − spread) rounded down to 6 places"
	}
	if q.Rate.Cmp(mid) > 0 {
		return "customer rate above mid"
	}
	sell, buy := ratAmount(q.Sell), ratAmount(q.Buy)
	if q.Sell.Minor <= 0 || q.Buy.Minor <= 0 {
		return "non-positive amount"
	}
	// Never in the customer's favour: buy ≤ sell × rate ≤ sell × mid.
	if buy.Cmp(mul(sell, rate)) > 0 {
		return "buy exceeds sell × rate"
	}
	// ... and by no more than the rounding of the amount the customer did
	// not fix.
	switch q.By {
	case fx.BySell: // buy + 1 minor unit > sell × rate: buy is the floor
		if ratAmount(add(q.Buy, 1)).Cmp(mul(sell, rate)) <= 0 {
			return "buy is not sell × rate rounded down"
		}
	case fx.ByBuy: // (sell − 1 minor unit) × rate < buy: sell is the ceiling
		if mul(ratAmount(add(q.Sell, -1)), rate).Cmp(buy) >= 0 {
			return "sell is not buy ÷ rate rounded up"
		}
	default:
		return "no direction"
	}
	// The fee, in the sell currency: fee × mid + buy ≤ sell × mid, and one
	// more minor unit of fee would break that (rounded down, not lower).
	if q.Fee.Currency != q.Sell.Currency || q.Fee.Minor < 0 {
		return "fee not a non-negative sell-currency amount"
	}
	atMid := mul(sell, m)
	if new(big.Rat).Add(mul(ratAmount(q.Fee), m), buy).Cmp(atMid) > 0 {
		return "received + fee exceed what mid-market gives"
	}
	if new(big.Rat).Add(mul(ratAmount(add(q.Fee, 1)), m), buy).Cmp(atMid) <= 0 {
		return "fee is understated by a whole minor unit or more"
	}
	return ""
}

// randomCase draws a pair, a mid-market rate, a spread and an amount. Rates
// have 6 or 8 decimals and span 0.001 to 1000; amounts are log-uniform up
// to ledger.MaxInputMinor.
func randomCase(rng *rand.Rand) (pair [2]ledger.Currency, mid fx.Rate, s fx.Spread, minor int64) {
	pair = allPairs[rng.IntN(len(allPairs))]
	var u int64
	switch rng.IntN(3) {
	case 0: // realistic: 0.5 to 2
		u = 50_000_000 + rng.Int64N(150_000_000)
	case 1: // anywhere from 0.001 to 1000
		u = 100_000 + rng.Int64N(100_000_000_000)
	default: // realistic, quoted to 6 places like Cross's output
		u = (50_000_000 + rng.Int64N(150_000_000)) / 100 * 100
	}
	mid, err := fx.RateFromUnits(u)
	if err != nil {
		panic(err)
	}
	s = fx.DefaultSpread
	if rng.IntN(3) > 0 {
		s, _ = fx.NewSpread(rng.IntN(fx.MaxSpreadBPS + 1))
	}
	digits := 1 + rng.IntN(11) // 0.01 … 1,000,000,000.00
	lim := int64(1)
	for range digits {
		lim *= 10
	}
	minor = 1 + rng.Int64N(min(lim, ledger.MaxInputMinor))
	return pair, mid, s, minor
}

func TestPropertyQuotesNeverFavourTheCustomer(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 2026))
	n := 5_000 // ~1.5 s, ~7 s under -race; the fuzz target explores further
	if testing.Short() {
		n = 1_000
	}
	var tooSmall, bySell, byBuy int
	for i := range n {
		pair, mid, s, minor := randomCase(rng)
		sellCur, buyCur := pair[0], pair[1]

		// By sell.
		sell := ledger.Amount{Minor: minor, Currency: sellCur}
		q, err := fx.QuoteSell(sell, buyCur, mid, s)
		switch {
		case err == fx.ErrTooSmall:
			// Refused exactly when sell × rate is below one minor unit.
			rate, _ := fx.CustomerRate(mid, s)
			if mul(ratAmount(sell), ratRate(rate)).Cmp(ratAmount(ledger.Amount{Minor: 1, Currency: buyCur})) >= 0 {
				t.Fatalf("case %d: %s %s at %s refused but buys something", i, sell, sellCur, rate)
			}
			tooSmall++
		case err != nil:
			t.Fatalf("case %d: QuoteSell(%s %s → %s at %s, %s): %v", i, sell, sellCur, buyCur, mid, s, err)
		default:
			bySell++
			if why := checkQuote(q, mid, s); why != "" {
				t.Fatalf("case %d: %s: %+v", i, why, q)
			}
			verifyAndTamper(t, q)
			// Re-quoting the bought amount by buy asks no more than was sold.
			back, err := fx.QuoteBuy(sellCur, q.Buy, mid, s)
			if err != nil || back.Sell.Minor > q.Sell.Minor || back.Rate != q.Rate {
				t.Fatalf("case %d: by sell %+v, back by buy %+v %v", i, q, back, err)
			}
		}

		// By buy.
		buy := ledger.Amount{Minor: minor, Currency: buyCur}
		q, err = fx.QuoteBuy(sellCur, buy, mid, s)
		if errors.Is(err, fx.ErrTooLarge) {
			continue // a tiny rate and a huge amount: beyond int64
		}
		if err != nil {
			t.Fatalf("case %d: QuoteBuy(%s → %s %s at %s): %v", i, sellCur, buy, buyCur, mid, err)
		}
		byBuy++
		if why := checkQuote(q, mid, s); why != "" {
			t.Fatalf("case %d: %s: %+v", i, why, q)
		}
		verifyAndTamper(t, q)
		// Quoted by buy, then re-quoted by the resulting sell amount: at
		// least the asked amount arrives, and quoting that by buy again
		// gives back the same sell amount (a fixed point).
		again, err := fx.QuoteSell(q.Sell, buyCur, mid, s)
		if err != nil || again.Buy.Minor < q.Buy.Minor || again.Rate != q.Rate {
			t.Fatalf("case %d: by buy %+v, by sell %+v %v", i, q, again, err)
		}
		fixed, err := fx.QuoteBuy(sellCur, again.Buy, mid, s)
		if err != nil || fixed.Sell != q.Sell {
			t.Fatalf("case %d: by buy %+v → by sell %+v → by buy %+v %v", i, q, again, fixed, err)
		}
	}
	t.Logf("%d cases: %d by sell, %d refused as too small, %d by buy", n, bySell, tooSmall, byBuy)
	if bySell < n/2 || byBuy < n/2 || tooSmall == 0 {
		t.Errorf("the generator is lopsided")
	}
}

// verifyAndTamper checks that Verify accepts q and refuses it with one
// minor unit moved either way, flagging the customer's favour correctly.
func verifyAndTamper(t *testing.T, q fx.Quote) {
	t.Helper()
	e := fx.Exchange{By: q.By, Sell: q.Sell, Buy: q.Buy, Rate: q.Rate, Mid: q.Mid, Fee: q.Fee}
	if err := fx.Verify(e); err != nil {
		t.Fatalf("Verify(%+v): %v", e, err)
	}
	type tamper struct {
		e               fx.Exchange
		customersFavour bool
	}
	var tampered []tamper
	if q.By == fx.BySell {
		more, less := e, e
		more.Buy, less.Buy = add(e.Buy, 1), add(e.Buy, -1)
		tampered = append(tampered, tamper{more, true}, tamper{less, false})
	} else {
		less, more := e, e
		less.Sell, more.Sell = add(e.Sell, -1), add(e.Sell, 1)
		tampered = append(tampered, tamper{less, true}, tamper{more, false})
	}
	for _, tc := range tampered {
		err := fx.Verify(tc.e)
		var ve *fx.VerifyError
		if tc.e.Sell.Minor <= 0 || tc.e.Buy.Minor <= 0 {
			if err == nil {
				t.Fatalf("Verify accepted a non-positive amount: %+v", tc.e)
			}
			continue
		}
		if !errors.As(err, &ve) || ve.CustomersFavour != tc.customersFavour {
			t.Fatalf("Verify(%+v) = %v, want a VerifyError with CustomersFavour %v", tc.e, err, tc.customersFavour)
		}
	}
	// A stored fee one unit off is caught too.
	f := e
	f.Fee = add(e.Fee, 1)
	var ve *fx.VerifyError
	if err := fx.Verify(f); !errors.As(err, &ve) || ve.Field != "fee" {
		t.Fatalf("Verify with fee+1: %v", err)
	}
}

// TestPropertyOddAmounts runs the odd amounts through every pair
// at many rates and spreads, in both directions.
func TestPropertyOddAmounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 7))
	odd := []int64{1, 3, 107, 3333}
	refused := 0
	for range 200 {
		_, mid, s, _ := randomCase(rng)
		for _, p := range allPairs {
			for _, minor := range odd {
				q, err := fx.QuoteSell(ledger.Amount{Minor: minor, Currency: p[0]}, p[1], mid, s)
				if err == fx.ErrTooSmall {
					refused++
				} else if err != nil {
					t.Fatal(err)
				} else if why := checkQuote(q, mid, s); why != "" {
					t.Fatalf("%s: %+v", why, q)
				}
				q, err = fx.QuoteBuy(p[0], ledger.Amount{Minor: minor, Currency: p[1]}, mid, s)
				if err != nil {
					t.Fatal(err)
				}
				if why := checkQuote(q, mid, s); why != "" {
					t.Fatalf("%s: %+v", why, q)
				}
			}
		}
	}
	if refused == 0 {
		t.Error("no odd amount was too small at any rate")
	}
}

// TestMaxSellFor: the most one can sell without its value at the customer
// rate exceeding a target is exactly that: selling it buys at most the
// target, and one minor unit more is worth more than the target.
func TestMaxSellFor(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 1))
	pairs := [][2]ledger.Currency{{ledger.USD, ledger.EUR}, {ledger.EUR, ledger.USD}, {ledger.GBP, ledger.USD}, {ledger.USD, ledger.GBP}}
	for i := 0; i < 5000; i++ {
		p := pairs[r.IntN(len(pairs))]
		mid, err := fx.RateFromUnits(int64(r.IntN(300_000_000) + 1_000_000)) // 0.01 to 3.01
		if err != nil {
			t.Fatal(err)
		}
		s, _ := fx.NewSpread(r.IntN(fx.MaxSpreadBPS + 1))
		target := ledger.Amount{Minor: int64(r.IntN(10_000_000)) + 1, Currency: p[1]}
		got, err := fx.MaxSellFor(p[0], target, mid, s)
		if err != nil {
			t.Fatalf("MaxSellFor(%s, %s %s, %s): %v", p[0], target, target.Currency, mid, err)
		}
		if got.Minor > 0 {
			q, err := fx.QuoteSell(got, p[1], mid, s)
			if err != nil && !errors.Is(err, fx.ErrTooSmall) {
				t.Fatal(err)
			}
			if err == nil && q.Buy.Minor > target.Minor {
				t.Fatalf("selling %s %s buys %s %s, more than %s", got, got.Currency, q.Buy, q.Buy.Currency, target)
			}
		}
		rate, _ := fx.CustomerRate(mid, s)
		if mul(ratAmount(add(got, 1)), ratRate(rate)).Cmp(ratAmount(target)) <= 0 {
			t.Fatalf("one unit more than %s %s is still worth at most %s %s at %s", got, got.Currency, target, target.Currency, rate)
		}
	}
	if _, err := fx.MaxSellFor(ledger.USD, ledger.Amount{Minor: 1, Currency: ledger.USD}, fx.One, fx.DefaultSpread); err == nil {
		t.Fatal("MaxSellFor of the same currency")
	}
}
