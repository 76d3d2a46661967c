package fx_test

import (
	"errors"
	"testing"

	"github.com/bankapp/bankapp/internal/fx"
	"github.com/bankapp/bankapp/internal/ledger"
)

// usdPrice are the fixture's mid-market prices in USD (EURUSD=X, GBPUSD=X).
var usdPrice = map[ledger.Currency]fx.Rate{
	ledger.USD: fx.One,
	ledger.EUR: fx.MustParseRate("1.08423"),
	ledger.GBP: fx.MustParseRate("1.26917"),
}

// allPairs are the six ordered pairs of USD, EUR and GBP.
var allPairs = [][2]ledger.Currency{
	{ledger.USD, ledger.EUR}, {ledger.USD, ledger.GBP}, {ledger.EUR, ledger.USD},
	{ledger.EUR, ledger.GBP}, {ledger.GBP, ledger.USD}, {ledger.GBP, ledger.EUR},
}

func mid(t testing.TB, from, to ledger.Currency) fx.Rate {
	t.Helper()
	r, err := fx.Cross(usdPrice[from], usdPrice[to])
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func amt(t testing.TB, s string, c ledger.Currency) ledger.Amount {
	t.Helper()
	m, err := ledger.ParseMinor(s, c.Digits())
	if err != nil {
		t.Fatal(err)
	}
	return ledger.Amount{Minor: m, Currency: c}
}

func TestCrossRatesOfTheFixture(t *testing.T) {
	want := map[[2]ledger.Currency]string{ // Python decimal, half-even to 6 places
		{ledger.USD, ledger.EUR}: "0.922314", {ledger.USD, ledger.GBP}: "0.787917",
		{ledger.EUR, ledger.USD}: "1.084230", {ledger.EUR, ledger.GBP}: "0.854283",
		{ledger.GBP, ledger.USD}: "1.269170", {ledger.GBP, ledger.EUR}: "1.170573",
	}
	for _, p := range allPairs {
		if got := mid(t, p[0], p[1]).String(); got != want[p] {
			t.Errorf("%s→%s = %s, want %s", p[0], p[1], got, want[p])
		}
	}
}

// TestQuotesAgainstOracle checks every pair, both directions, on the odd
// amounts of the issue and the largest input, against values computed
// independently with Python's decimal module (prec 60) from the rules in
// docs/fx.md: mid half-even to 6 places, customer rate = mid × 0.995
// floored to 6 places, buy floored / sell ceiled to the cent, fee = sell −
// ⌈buy ÷ mid⌉.
func TestQuotesAgainstOracle(t *testing.T) {
	tests := []struct {
		sell, buy       ledger.Currency
		by              fx.By
		given           string // the amount the customer typed
		other           string // the computed amount; "" = refused as too small
		rate, feeInSell string
	}{
		{"USD", "EUR", fx.BySell, "0.01", "", "", ""}, // buys nothing
		{"USD", "EUR", fx.BySell, "0.03", "0.02", "0.917702", "0.00"},
		{"USD", "EUR", fx.BySell, "1.07", "0.98", "0.917702", "0.00"},
		{"USD", "EUR", fx.BySell, "33.33", "30.58", "0.917702", "0.17"},
		{"USD", "EUR", fx.BySell, "100.00", "91.77", "0.917702", "0.50"},
		{"USD", "EUR", fx.BySell, "1000000000.00", "917702000.00", "0.917702", "5000466.21"},
		{"USD", "EUR", fx.ByBuy, "0.01", "0.02", "0.917702", "0.00"},
		{"USD", "EUR", fx.ByBuy, "0.03", "0.04", "0.917702", "0.00"},
		{"USD", "EUR", fx.ByBuy, "1.07", "1.17", "0.917702", "0.00"},
		{"USD", "EUR", fx.ByBuy, "33.33", "36.32", "0.917702", "0.18"},
		{"USD", "EUR", fx.ByBuy, "100.00", "108.97", "0.917702", "0.54"},
		{"USD", "EUR", fx.ByBuy, "1000000000.00", "1089678348.75", "0.917702", "5448899.77"},
		{"USD", "GBP", fx.BySell, "0.01", "", "", ""}, // buys nothing
		{"USD", "GBP", fx.BySell, "0.03", "0.02", "0.783977", "0.00"},
		{"USD", "GBP", fx.BySell, "1.07", "0.83", "0.783977", "0.01"},
		{"USD", "GBP", fx.BySell, "33.33", "26.12", "0.783977", "0.17"},
		{"USD", "GBP", fx.BySell, "100.00", "78.39", "0.783977", "0.50"},
		{"USD", "GBP", fx.BySell, "1000000000.00", "783977000.00", "0.783977", "5000526.70"},
		{"USD", "GBP", fx.ByBuy, "0.01", "0.02", "0.783977", "0.00"},
		{"USD", "GBP", fx.ByBuy, "0.03", "0.04", "0.783977", "0.00"},
		{"USD", "GBP", fx.ByBuy, "1.07", "1.37", "0.783977", "0.01"},
		{"USD", "GBP", fx.ByBuy, "33.33", "42.52", "0.783977", "0.21"},
		{"USD", "GBP", fx.ByBuy, "100.00", "127.56", "0.783977", "0.64"},
		{"USD", "GBP", fx.ByBuy, "1000000000.00", "1275547624.49", "0.783977", "6378409.96"},
		{"EUR", "USD", fx.BySell, "0.01", "0.01", "1.078808", "0.00"},
		{"EUR", "USD", fx.BySell, "0.03", "0.03", "1.078808", "0.00"},
		{"EUR", "USD", fx.BySell, "1.07", "1.15", "1.078808", "0.00"},
		{"EUR", "USD", fx.BySell, "33.33", "35.95", "1.078808", "0.17"},
		{"EUR", "USD", fx.BySell, "100.00", "107.88", "1.078808", "0.50"},
		{"EUR", "USD", fx.BySell, "1000000000.00", "1078808000.00", "1.078808", "5000783.96"},
		{"EUR", "USD", fx.ByBuy, "0.01", "0.01", "1.078808", "0.00"},
		{"EUR", "USD", fx.ByBuy, "0.03", "0.03", "1.078808", "0.00"},
		{"EUR", "USD", fx.ByBuy, "1.07", "1.00", "1.078808", "0.01"},
		{"EUR", "USD", fx.ByBuy, "33.33", "30.90", "1.078808", "0.15"},
		{"EUR", "USD", fx.ByBuy, "100.00", "92.70", "1.078808", "0.46"},
		{"EUR", "USD", fx.ByBuy, "1000000000.00", "926949002.98", "1.078808", "4635471.71"},
		{"EUR", "GBP", fx.BySell, "0.01", "", "", ""}, // buys nothing
		{"EUR", "GBP", fx.BySell, "0.03", "0.02", "0.850011", "0.00"},
		{"EUR", "GBP", fx.BySell, "1.07", "0.90", "0.850011", "0.01"},
		{"EUR", "GBP", fx.BySell, "33.33", "28.33", "0.850011", "0.16"},
		{"EUR", "GBP", fx.BySell, "100.00", "85.00", "0.850011", "0.50"},
		{"EUR", "GBP", fx.BySell, "1000000000.00", "850011000.00", "0.850011", "5000684.78"},
		{"EUR", "GBP", fx.ByBuy, "0.01", "0.02", "0.850011", "0.00"},
		{"EUR", "GBP", fx.ByBuy, "0.03", "0.04", "0.850011", "0.00"},
		{"EUR", "GBP", fx.ByBuy, "1.07", "1.26", "0.850011", "0.00"},
		{"EUR", "GBP", fx.ByBuy, "33.33", "39.22", "0.850011", "0.20"},
		{"EUR", "GBP", fx.ByBuy, "100.00", "117.65", "0.850011", "0.59"},
		{"EUR", "GBP", fx.ByBuy, "1000000000.00", "1176455363.52", "0.850011", "5883082.43"},
		{"GBP", "USD", fx.BySell, "0.01", "0.01", "1.262824", "0.00"},
		{"GBP", "USD", fx.BySell, "0.03", "0.03", "1.262824", "0.00"},
		{"GBP", "USD", fx.BySell, "1.07", "1.35", "1.262824", "0.00"},
		{"GBP", "USD", fx.BySell, "33.33", "42.08", "1.262824", "0.17"},
		{"GBP", "USD", fx.BySell, "100.00", "126.28", "1.262824", "0.50"},
		{"GBP", "USD", fx.BySell, "1000000000.00", "1262824000.00", "1.262824", "5000118.18"},
		{"GBP", "USD", fx.ByBuy, "0.01", "0.01", "1.262824", "0.00"},
		{"GBP", "USD", fx.ByBuy, "0.03", "0.03", "1.262824", "0.00"},
		{"GBP", "USD", fx.ByBuy, "1.07", "0.85", "1.262824", "0.00"},
		{"GBP", "USD", fx.ByBuy, "33.33", "26.40", "1.262824", "0.13"},
		{"GBP", "USD", fx.ByBuy, "100.00", "79.19", "1.262824", "0.39"},
		{"GBP", "USD", fx.ByBuy, "1000000000.00", "791875985.89", "1.262824", "3959473.52"},
		{"GBP", "EUR", fx.BySell, "0.01", "0.01", "1.164720", "0.00"},
		{"GBP", "EUR", fx.BySell, "0.03", "0.03", "1.164720", "0.00"},
		{"GBP", "EUR", fx.BySell, "1.07", "1.24", "1.164720", "0.01"},
		{"GBP", "EUR", fx.BySell, "33.33", "38.82", "1.164720", "0.16"},
		{"GBP", "EUR", fx.BySell, "100.00", "116.47", "1.164720", "0.50"},
		{"GBP", "EUR", fx.BySell, "1000000000.00", "1164720000.00", "1.164720", "5000115.32"},
		{"GBP", "EUR", fx.ByBuy, "0.01", "0.01", "1.164720", "0.00"},
		{"GBP", "EUR", fx.ByBuy, "0.03", "0.03", "1.164720", "0.00"},
		{"GBP", "EUR", fx.ByBuy, "1.07", "0.92", "1.164720", "0.00"},
		{"GBP", "EUR", fx.ByBuy, "33.33", "28.62", "1.164720", "0.14"},
		{"GBP", "EUR", fx.ByBuy, "100.00", "85.86", "1.164720", "0.43"},
		{"GBP", "EUR", fx.ByBuy, "1000000000.00", "858575451.62", "1.164720", "4292976.28"},
	}
	if len(tests) != 6*2*6 {
		t.Fatalf("%d cases", len(tests))
	}
	for _, tc := range tests {
		m := mid(t, tc.sell, tc.buy)
		var q fx.Quote
		var err error
		if tc.by == fx.BySell {
			q, err = fx.QuoteSell(amt(t, tc.given, tc.sell), tc.buy, m, fx.DefaultSpread)
		} else {
			q, err = fx.QuoteBuy(tc.sell, amt(t, tc.given, tc.buy), m, fx.DefaultSpread)
		}
		name := string(tc.sell) + "→" + string(tc.buy) + " by " + string(tc.by) + " " + tc.given
		if tc.other == "" {
			if err != fx.ErrTooSmall {
				t.Errorf("%s: got %+v, %v; want ErrTooSmall", name, q, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		sell, buy := q.Sell.String(), q.Buy.String()
		if tc.by == fx.BySell && (sell != tc.given || buy != tc.other) || tc.by == fx.ByBuy && (buy != tc.given || sell != tc.other) {
			t.Errorf("%s: sell %s buy %s, want %s", name, sell, buy, tc.other)
		}
		if q.Rate.String() != tc.rate || q.Fee.String() != tc.feeInSell || q.FeeCurrency() != tc.sell || q.Fee.Currency != tc.sell {
			t.Errorf("%s: rate %s fee %s %s, want %s and %s %s", name, q.Rate, q.Fee, q.Fee.Currency, tc.rate, tc.feeInSell, tc.sell)
		}
		if q.By != tc.by || q.Mid != m || q.Sell.Currency != tc.sell || q.Buy.Currency != tc.buy {
			t.Errorf("%s: %+v", name, q)
		}
		if err := fx.Verify(fx.Exchange{By: q.By, Sell: q.Sell, Buy: q.Buy, Rate: q.Rate, Mid: q.Mid, Fee: q.Fee}); err != nil {
			t.Errorf("%s: Verify: %v", name, err)
		}
	}
}

func TestQuoteRefusals(t *testing.T) {
	m := mid(t, ledger.USD, ledger.EUR)
	code := func(err error) string {
		var le *ledger.Error
		if errors.As(err, &le) {
			return le.Code + "/" + le.Field
		}
		return "?"
	}
	tests := []struct {
		name string
		run  func() (fx.Quote, error)
		want string
	}{
		{"same currency by sell", func() (fx.Quote, error) {
			return fx.QuoteSell(amt(t, "1.00", ledger.EUR), ledger.EUR, m, fx.DefaultSpread)
		}, "same_currency/"},
		{"same currency by buy", func() (fx.Quote, error) {
			return fx.QuoteBuy(ledger.GBP, amt(t, "1.00", ledger.GBP), m, fx.DefaultSpread)
		}, "same_currency/"},
		{"unknown currency", func() (fx.Quote, error) {
			return fx.QuoteSell(ledger.Amount{Minor: 100, Currency: "JPY"}, ledger.EUR, m, fx.DefaultSpread)
		}, "validation_failed/currency"},
		{"zero sell", func() (fx.Quote, error) {
			return fx.QuoteSell(ledger.Amount{Currency: ledger.USD}, ledger.EUR, m, fx.DefaultSpread)
		}, "invalid_amount/sell_amount"},
		{"negative buy", func() (fx.Quote, error) {
			return fx.QuoteBuy(ledger.USD, ledger.Amount{Minor: -5, Currency: ledger.EUR}, m, fx.DefaultSpread)
		}, "invalid_amount/buy_amount"},
		{"buys nothing", func() (fx.Quote, error) {
			return fx.QuoteSell(amt(t, "0.01", ledger.USD), ledger.EUR, m, fx.DefaultSpread)
		}, "invalid_amount/sell_amount"},
		{"result beyond int64", func() (fx.Quote, error) {
			return fx.QuoteSell(ledger.Amount{Minor: 1 << 62, Currency: ledger.USD}, ledger.EUR, fx.MaxRate, fx.DefaultSpread)
		}, "invalid_amount/"},
		{"sell beyond int64", func() (fx.Quote, error) {
			return fx.QuoteBuy(ledger.USD, ledger.Amount{Minor: 1 << 62, Currency: ledger.EUR}, fx.MustParseRate("0.01"), fx.DefaultSpread)
		}, "invalid_amount/"},
	}
	for _, tc := range tests {
		q, err := tc.run()
		if got := code(err); got != tc.want {
			t.Errorf("%s: %+v %v: code %s, want %s", tc.name, q, err, got, tc.want)
		}
	}
	if _, err := fx.QuoteSell(amt(t, "0.01", ledger.USD), ledger.EUR, m, fx.DefaultSpread); err != fx.ErrTooSmall {
		t.Errorf("0.01 USD → EUR: %v, want ErrTooSmall itself", err)
	}
	if _, err := fx.QuoteSell(amt(t, "1.00", ledger.USD), ledger.EUR, fx.Rate{}, fx.DefaultSpread); err == nil {
		t.Error("quoted without a mid-market rate")
	}
	// The largest input amount converts without overflow at a large rate.
	q, err := fx.QuoteSell(ledger.Amount{Minor: ledger.MaxInputMinor, Currency: ledger.USD}, ledger.EUR, fx.MustParseRate("150.000000"), fx.DefaultSpread)
	if err != nil || q.Buy.String() != "149250000000.00" || q.Fee.String() != "5000000.00" {
		t.Errorf("max input at 150: %+v %v", q, err)
	}
}

func TestFeeIsInTheSellCurrencyAndNeverOverstated(t *testing.T) {
	m := mid(t, ledger.EUR, ledger.GBP) // 0.854283
	// 100.00 EUR at mid buys 85.4283 GBP; at 0.850011 the customer gets
	// 85.00. Receiving 85.00 at mid takes ⌈85.00 ÷ 0.854283⌉ = 99.50 EUR,
	// so the fee is 0.50 EUR.
	q, err := fx.QuoteSell(amt(t, "100.00", ledger.EUR), ledger.GBP, m, fx.DefaultSpread)
	if err != nil || q.Buy.String() != "85.00" || q.Fee.String() != "0.50" || q.FeeCurrency() != ledger.EUR {
		t.Fatalf("%+v %v", q, err)
	}
	// A rate above mid is not something a fee can describe.
	if _, err := fx.FeeFor(amt(t, "100.00", ledger.EUR), amt(t, "85.43", ledger.GBP), m); err == nil {
		t.Error("fee of a better-than-mid exchange")
	}
	if f, err := fx.FeeFor(amt(t, "100.00", ledger.EUR), amt(t, "85.42", ledger.GBP), m); err != nil || f.Minor != 0 {
		t.Errorf("at mid, rounded down: fee %v %v", f, err)
	}
}

func TestConvertAtMid(t *testing.T) {
	m := mid(t, ledger.EUR, ledger.USD) // 1.084230
	for in, want := range map[string]string{
		"749.90": "813.06", // 813.0640… → 813.06
		"-1.00":  "-1.08",  // −1.08423 → −1.08
		"0.00":   "0.00",
		"0.50":   "0.54", // 0.542115 → 0.54
	} {
		got, err := fx.ConvertAtMid(amt(t, in, ledger.EUR), ledger.USD, m)
		if err != nil || got.String() != want || got.Currency != ledger.USD {
			t.Errorf("%s EUR = %v %v, want %s USD", in, got, err, want)
		}
	}
	// Ties go to even: 0.05 × 1.5 = 0.075 → 0.08; 0.15 × 1.5 = 0.225 → 0.22.
	r := fx.MustParseRate("1.5")
	for in, want := range map[string]string{"0.05": "0.08", "0.15": "0.22", "-0.05": "-0.08", "-0.15": "-0.22"} {
		if got, _ := fx.ConvertAtMid(amt(t, in, ledger.EUR), ledger.USD, r); got.String() != want {
			t.Errorf("%s × 1.5 = %s, want %s", in, got, want)
		}
	}
	if got, err := fx.ConvertAtMid(amt(t, "5.00", ledger.GBP), ledger.GBP, fx.Rate{}); err != nil || got.String() != "5.00" {
		t.Errorf("same currency: %v %v", got, err)
	}
}
