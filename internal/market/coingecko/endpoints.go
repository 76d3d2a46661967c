package coingecko

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// MaxIDsPerCall is how many ids SimplePrice puts in one request.
const MaxIDsPerCall = 50

// Price is one coin of a simple/price answer, in the requested currency.
type Price struct {
	Price          decimal.Decimal
	Change24hPct   decimal.Decimal // percent, as sent
	HasChange      bool
	LastUpdatedAt  time.Time
	HasLastUpdated bool
}

// SimplePrice calls GET /api/v3/simple/price for ids in batches of at most
// MaxIDsPerCall, with the 24 h change and last-updated time. Unknown ids are
// absent from the result (CoinGecko leaves them out).
func (c *Client) SimplePrice(ctx context.Context, ids []string, vs string) (map[string]Price, error) {
	out := make(map[string]Price, len(ids))
	for start := 0; start < len(ids); start += MaxIDsPerCall {
		batch := ids[start:min(start+MaxIDsPerCall, len(ids))]
		if err := c.simplePriceBatch(ctx, batch, vs, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (c *Client) simplePriceBatch(ctx context.Context, ids []string, vs string, out map[string]Price) error {
	q := url.Values{}
	q.Set("ids", strings.Join(ids, ","))
	q.Set("vs_currencies", vs)
	q.Set("include_24hr_change", "true")
	q.Set("include_last_updated_at", "true")
	body, err := c.get(ctx, "/api/v3/simple/price", q)
	if err != nil {
		return err
	}
	var raw map[string]map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return fmt.Errorf("%w: simple/price: %v", ErrMalformed, err)
	}
	for id, fields := range raw {
		var p Price
		v, ok := fields[vs]
		if !ok || decodeDecimal(v, &p.Price) != nil {
			continue // CoinGecko sends no price for coins it cannot price
		}
		if ch, ok := fields[vs+"_24h_change"]; ok && decodeDecimal(ch, &p.Change24hPct) == nil {
			p.HasChange = true
		}
		if lu, ok := fields["last_updated_at"]; ok {
			var sec int64
			if json.Unmarshal(lu, &sec) == nil {
				p.LastUpdatedAt, p.HasLastUpdated = time.Unix(sec, 0).UTC(), true
			}
		}
		out[id] = p
	}
	return nil
}

// decodeDecimal parses a JSON number (or numeric string) exactly; null is
// an error.
func decodeDecimal(raw json.RawMessage, d *decimal.Decimal) error {
	var nd decimal.NullDecimal
	if err := json.Unmarshal(raw, &nd); err != nil {
		return err
	}
	if !nd.Valid {
		return errors.New("null")
	}
	*d = nd.Decimal
	return nil
}

// Point is one [unix ms, price] pair of a market chart.
type Point struct {
	T     time.Time
	Price decimal.Decimal
}

// MarketChart calls GET /api/v3/coins/{id}/market_chart?vs_currency=..&days=..
// and returns the prices, oldest first. An unknown id is a *NotFoundError.
func (c *Client) MarketChart(ctx context.Context, id, vs string, days int) ([]Point, error) {
	q := url.Values{}
	q.Set("vs_currency", vs)
	q.Set("days", strconv.Itoa(days))
	body, err := c.get(ctx, "/api/v3/coins/"+url.PathEscape(id)+"/market_chart", q)
	var ae *APIError
	if errors.As(err, &ae) && ae.Status == http.StatusNotFound {
		return nil, &NotFoundError{ID: id}
	}
	if err != nil {
		return nil, err
	}
	var mc struct {
		Prices [][]json.RawMessage `json:"prices"`
	}
	if err := json.Unmarshal(body, &mc); err != nil {
		return nil, fmt.Errorf("%w: market_chart %s: %v", ErrMalformed, id, err)
	}
	if mc.Prices == nil {
		return nil, fmt.Errorf("%w: market_chart %s: no prices", ErrMalformed, id)
	}
	out := make([]Point, 0, len(mc.Prices))
	for _, pair := range mc.Prices {
		if len(pair) != 2 {
			return nil, fmt.Errorf("%w: market_chart %s: point of %d values", ErrMalformed, id, len(pair))
		}
		var ms decimal.Decimal
		var p Point
		if decodeDecimal(pair[0], &ms) != nil || decodeDecimal(pair[1], &p.Price) != nil {
			continue // a null price: skip the point
		}
		p.T = time.UnixMilli(ms.IntPart()).UTC()
		out = append(out, p)
	}
	return out, nil
}

// Coin is one coin of a search answer.
type Coin struct {
	ID            string
	Name          string
	Symbol        string // ticker, not unique
	MarketCapRank int
}

// Search calls GET /api/v3/search?query=.. and returns the coins.
func (c *Client) Search(ctx context.Context, query string) ([]Coin, error) {
	q := url.Values{}
	q.Set("query", query)
	body, err := c.get(ctx, "/api/v3/search", q)
	if err != nil {
		return nil, err
	}
	var sb struct {
		Coins []struct {
			ID            string `json:"id"`
			Name          string `json:"name"`
			Symbol        string `json:"symbol"`
			MarketCapRank *int   `json:"market_cap_rank"`
		} `json:"coins"`
	}
	if err := json.Unmarshal(body, &sb); err != nil {
		return nil, fmt.Errorf("%w: search: %v", ErrMalformed, err)
	}
	out := make([]Coin, 0, len(sb.Coins))
	for _, co := range sb.Coins {
		c := Coin{ID: co.ID, Name: co.Name, Symbol: co.Symbol}
		if co.MarketCapRank != nil {
			c.MarketCapRank = *co.MarketCapRank
		}
		out = append(out, c)
	}
	return out, nil
}
