package market

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// FormatPrice renders p as a decimal string with at least 2 fractional
// digits ("91000.50", "0.150449"), never in exponent form.
func FormatPrice(p decimal.Decimal) string {
	s := p.String()
	places := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		places = len(s) - i - 1
	}
	return p.StringFixed(int32(max(2, places)))
}

// MarshalJSON writes the quote as the API contract's quote object, prices
// as strings formatted by FormatPrice and as_of in RFC 3339 UTC.
func (q Quote) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Symbol        string `json:"symbol"`
		Price         string `json:"price"`
		Currency      string `json:"currency"`
		Change        string `json:"change"`
		ChangePercent string `json:"change_percent"`
		AsOf          string `json:"as_of"`
		Source        string `json:"source"`
		Stale         bool   `json:"stale"`
	}{q.Symbol, FormatPrice(q.Price), q.Currency, FormatPrice(q.Change), q.ChangePercent.StringFixed(2),
		q.AsOf.UTC().Format(time.RFC3339), q.Source, q.Stale})
}

// MarshalJSON writes {"t": RFC 3339 UTC, "price": "…"}.
func (p Point) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		T     string `json:"t"`
		Price string `json:"price"`
	}{p.T.UTC().Format(time.RFC3339), FormatPrice(p.Price)})
}
