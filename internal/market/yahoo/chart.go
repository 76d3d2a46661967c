package yahoo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/shopspring/decimal"
)

// Chart is the useful part of a v8 chart answer.
type Chart struct {
	Symbol         string
	Currency       string
	ExchangeName   string
	InstrumentType string // EQUITY, ETF, CRYPTOCURRENCY, …
	// Price is meta.regularMarketPrice; PreviousClose meta.chartPreviousClose.
	Price         decimal.Decimal
	PreviousClose decimal.Decimal
	MarketTime    time.Time
	// Bars are the non-null closes, oldest first.
	Bars []Bar
}

// Bar is one close.
type Bar struct {
	T     time.Time
	Close decimal.Decimal
}

type chartBody struct {
	Chart struct {
		Result []struct {
			Meta struct {
				Currency           string              `json:"currency"`
				Symbol             string              `json:"symbol"`
				ExchangeName       string              `json:"exchangeName"`
				InstrumentType     string              `json:"instrumentType"`
				RegularMarketTime  int64               `json:"regularMarketTime"`
				RegularMarketPrice decimal.NullDecimal `json:"regularMarketPrice"`
				ChartPreviousClose decimal.NullDecimal `json:"chartPreviousClose"`
				PreviousClose      decimal.NullDecimal `json:"previousClose"`
			} `json:"meta"`
			Timestamp  []int64 `json:"timestamp"`
			Indicators struct {
				Quote []struct {
					Close []decimal.NullDecimal `json:"close"`
				} `json:"quote"`
			} `json:"indicators"`
		} `json:"result"`
		Error *struct {
			Code        string `json:"code"`
			Description string `json:"description"`
		} `json:"error"`
	} `json:"chart"`
}

// Chart calls GET /v8/finance/chart/{symbol}?range=..&interval=.. .
// An unknown symbol is a *NotFoundError; null bars are skipped.
func (c *Client) Chart(ctx context.Context, symbol, rng, interval string) (*Chart, error) {
	q := url.Values{}
	q.Set("range", rng)
	q.Set("interval", interval)
	path := "/v8/finance/chart/" + url.PathEscape(symbol)
	body, err := c.get(ctx, path, q)
	var se *StatusError
	if errors.As(err, &se) && se.Status == http.StatusNotFound {
		return nil, &NotFoundError{Symbol: symbol}
	}
	if err != nil {
		return nil, err
	}
	var cb chartBody
	if err := json.Unmarshal(body, &cb); err != nil {
		return nil, fmt.Errorf("%w: chart %s: %v", ErrMalformed, symbol, err)
	}
	if e := cb.Chart.Error; e != nil {
		if e.Code == "Not Found" {
			return nil, &NotFoundError{Symbol: symbol}
		}
		return nil, fmt.Errorf("yahoo: chart %s: %s: %s", symbol, e.Code, e.Description)
	}
	if len(cb.Chart.Result) == 0 {
		return nil, fmt.Errorf("%w: chart %s: no result", ErrMalformed, symbol)
	}
	r := cb.Chart.Result[0]
	if !r.Meta.RegularMarketPrice.Valid {
		return nil, fmt.Errorf("%w: chart %s: no regularMarketPrice", ErrMalformed, symbol)
	}
	ch := &Chart{
		Symbol:         r.Meta.Symbol,
		Currency:       r.Meta.Currency,
		ExchangeName:   r.Meta.ExchangeName,
		InstrumentType: r.Meta.InstrumentType,
		Price:          r.Meta.RegularMarketPrice.Decimal,
		MarketTime:     time.Unix(r.Meta.RegularMarketTime, 0).UTC(),
	}
	switch {
	case r.Meta.ChartPreviousClose.Valid:
		ch.PreviousClose = r.Meta.ChartPreviousClose.Decimal
	case r.Meta.PreviousClose.Valid:
		ch.PreviousClose = r.Meta.PreviousClose.Decimal
	default:
		ch.PreviousClose = ch.Price
	}
	if ch.Symbol == "" {
		ch.Symbol = symbol
	}
	if len(r.Indicators.Quote) > 0 {
		closes := r.Indicators.Quote[0].Close
		if len(closes) != len(r.Timestamp) {
			return nil, fmt.Errorf("%w: chart %s: %d timestamps, %d closes", ErrMalformed, symbol, len(r.Timestamp), len(closes))
		}
		ch.Bars = make([]Bar, 0, len(closes))
		for i, cl := range closes {
			if !cl.Valid {
				continue
			}
			ch.Bars = append(ch.Bars, Bar{T: time.Unix(r.Timestamp[i], 0).UTC(), Close: cl.Decimal})
		}
	}
	return ch, nil
}
