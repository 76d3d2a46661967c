package bank

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/bankapp/bankapp/internal/ledger"
)

// ExchangeReceipt is an executed exchange as its caller sees it, and what
// its idempotency record keeps so that a replay answers the same.
type ExchangeReceipt struct {
	V             int             `json:"v"`
	ID            string          `json:"id"` // the exchange's ledger transfer
	QuoteID       string          `json:"quote_id"`
	FromAccountID string          `json:"from_account_id"`
	ToAccountID   string          `json:"to_account_id"`
	SellAmount    int64           `json:"sell_amount"`
	SellCurrency  ledger.Currency `json:"sell_currency"`
	BuyAmount     int64           `json:"buy_amount"`
	BuyCurrency   ledger.Currency `json:"buy_currency"`
	Rate          string          `json:"rate"`     // the customer's rate, sell → buy
	MidRate       string          `json:"mid_rate"` // the mid-market rate the quote started from
	Fee           int64           `json:"fee"`      // in the sell currency
	CreatedAt     time.Time       `json:"created_at"`
	Replayed      bool            `json:"-"`
}

func receiptOfExchange(id string, q FXQuote, at time.Time) ExchangeReceipt {
	return ExchangeReceipt{V: 1, ID: id, QuoteID: q.ID, FromAccountID: q.FromAccountID, ToAccountID: q.ToAccountID,
		SellAmount: q.Sell.Minor, SellCurrency: q.Sell.Currency, BuyAmount: q.Buy.Minor, BuyCurrency: q.Buy.Currency,
		Rate: q.Rate.String(), MidRate: q.Mid.String(), Fee: q.Fee.Minor, CreatedAt: at}
}

func (x ExchangeReceipt) stored() (ledger.Response, error) {
	b, err := json.Marshal(x)
	if err != nil {
		return ledger.Response{}, fmt.Errorf("bank: exchange receipt: %w", err)
	}
	return ledger.Response{Status: 201, Body: b}, nil
}

func exchangeFrom(res ledger.Response) (ExchangeReceipt, error) {
	var x ExchangeReceipt
	if err := json.Unmarshal(res.Body, &x); err != nil || x.V == 0 {
		return x, fmt.Errorf("bank: stored exchange receipt is unreadable: %v", err)
	}
	x.Replayed = res.Replayed
	return x, nil
}
