package yahoo

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
)

// SearchResult is one quote of a v1 search answer.
type SearchResult struct {
	Symbol          string
	Name            string // longname, else shortname
	QuoteType       string // EQUITY, ETF, CRYPTOCURRENCY, MUTUALFUND, INDEX, …
	Exchange        string // exchange code, e.g. NMS
	ExchangeDisplay string // e.g. NASDAQ
}

type searchBody struct {
	Quotes []struct {
		Symbol    string `json:"symbol"`
		ShortName string `json:"shortname"`
		LongName  string `json:"longname"`
		QuoteType string `json:"quoteType"`
		Exchange  string `json:"exchange"`
		ExchDisp  string `json:"exchDisp"`
	} `json:"quotes"`
}

// Search calls GET /v1/finance/search?q=..&quotesCount=n&newsCount=0.
func (c *Client) Search(ctx context.Context, query string, n int) ([]SearchResult, error) {
	q := url.Values{}
	q.Set("q", query)
	q.Set("quotesCount", strconv.Itoa(n))
	q.Set("newsCount", "0")
	body, err := c.get(ctx, "/v1/finance/search", q)
	if err != nil {
		return nil, err
	}
	var sb searchBody
	if err := json.Unmarshal(body, &sb); err != nil {
		return nil, fmt.Errorf("%w: search: %v", ErrMalformed, err)
	}
	out := make([]SearchResult, 0, len(sb.Quotes))
	for _, r := range sb.Quotes {
		if r.Symbol == "" {
			continue
		}
		name := r.LongName
		if name == "" {
			name = r.ShortName
		}
		out = append(out, SearchResult{Symbol: r.Symbol, Name: name, QuoteType: r.QuoteType, Exchange: r.Exchange, ExchangeDisplay: r.ExchDisp})
	}
	return out, nil
}
