package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/bankapp/bankapp/internal/invest"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market"
)

// orderRequest is the body of POST /orders: exactly one of quantity and
// notional.
type orderRequest struct {
	AccountID string  `json:"account_id"`
	Symbol    string  `json:"symbol"`
	Side      string  `json:"side"`
	Quantity  *string `json:"quantity"`
	Notional  *string `json:"notional"`

	symbol   string
	quantity decimal.Decimal
	notional int64
}

func (o *orderRequest) Validate() error {
	if o == nil {
		return errCode("invalid_json", "the body must be a JSON object")
	}
	var fields []FieldError
	if o.AccountID == "" {
		fields = append(fields, FieldError{"account_id", "Choose the brokerage account to trade in."})
	}
	sym, ok := market.NormalizeSymbol(o.Symbol)
	if !ok {
		fields = append(fields, FieldError{"symbol", "Choose a stock or crypto symbol, like AAPL or BTC-USD."})
	}
	if o.Side != invest.SideBuy && o.Side != invest.SideSell {
		fields = append(fields, FieldError{"side", "Choose buy or sell."})
	}
	if (o.Quantity == nil) == (o.Notional == nil) {
		fields = append(fields, FieldError{"quantity", "Enter either a quantity or an amount, not both."})
	}
	if len(fields) > 0 {
		return validation(fields...)
	}
	o.symbol = sym
	if o.Quantity != nil {
		q, err := invest.ParseQuantity(*o.Quantity)
		if err != nil {
			return err
		}
		o.quantity = q
		return nil
	}
	// Every supported currency has 2 minor digits, so the notional can be
	// checked before the account (and its currency) is known.
	a, err := ledger.ParseAmount(*o.Notional, ledger.USD)
	if err != nil {
		var le *ledger.Error
		if errors.As(err, &le) {
			return &ledger.Error{Code: le.Code, Msg: le.Msg, Field: "notional"}
		}
		return err
	}
	o.notional = a.Minor
	return nil
}

type orderView struct {
	ID        string `json:"id"`
	AccountID string `json:"account_id"`
	Symbol    string `json:"symbol"`
	Side      string `json:"side"`
	Quantity  string `json:"quantity"`
	Price     string `json:"price"`
	Total     string `json:"total"`
	Currency  string `json:"currency"`
	Status    string `json:"status"`
	CreatedAt string `json:"created_at"`
	// FX is set when the order converted: a EUR or GBP brokerage account
	// trading a USD instrument.
	FX *orderFXView `json:"fx,omitempty"`
}

// orderFXView is an order's conversion: the contract's {rate,
// sell_currency, sell_amount} and the other side, the mid-market rate and
// the fee. A buy sells the account's currency for the total; a sell sells
// the total for the account's currency.
type orderFXView struct {
	Rate         string `json:"rate"`
	SellCurrency string `json:"sell_currency"`
	SellAmount   string `json:"sell_amount"`
	BuyCurrency  string `json:"buy_currency"`
	BuyAmount    string `json:"buy_amount"`
	MidRate      string `json:"mid_rate"`
	Fee          string `json:"fee"`
	FeeCurrency  string `json:"fee_currency"`
}

func viewOrder(o invest.Order) orderView {
	v := orderView{ID: o.ID, AccountID: o.AccountID, Symbol: o.Symbol, Side: o.Side, Quantity: invest.FormatQuantity(o.Quantity),
		Price: market.FormatPrice(o.Price), Total: ledger.FormatMinor(o.Total, o.Currency.Digits()), Currency: string(o.Currency),
		Status: invest.StatusFilled, CreatedAt: ts(o.CreatedAt)}
	if x := o.FX; x != nil {
		v.FX = &orderFXView{Rate: x.Rate.String(), SellCurrency: string(x.Sell.Currency), SellAmount: x.Sell.String(),
			BuyCurrency: string(x.Buy.Currency), BuyAmount: x.Buy.String(), MidRate: x.Mid.String(), Fee: x.Fee.String(),
			FeeCurrency: string(x.Sell.Currency)}
	}
	return v
}

func (s *Server) createOrder(w http.ResponseWriter, r *http.Request) error {
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	req, body, err := decode[*orderRequest](w, r)
	if err != nil {
		return err
	}
	rc, err := s.invest.Place(r.Context(), s.caller(r), ledger.Idem{Key: key, Hash: requestHash(r, body)}, invest.OrderRequest{
		AccountID: req.AccountID, Symbol: req.symbol, Side: req.Side, Quantity: req.quantity, Notional: req.notional})
	if err != nil {
		return err
	}
	if rc.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	if rc.Legacy != nil {
		writeJSON(w, http.StatusCreated, rc.Legacy)
		return nil
	}
	return encode(w, http.StatusCreated, map[string]orderView{"order": viewOrder(rc.Order)})
}

func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageParams(r)
	if err != nil {
		return err
	}
	p := principalOf(r)
	f := invest.OrderFilter{OwnerID: p.UserID, Limit: limit + 1, AccountID: r.URL.Query().Get("account_id")}
	if cursor != "" {
		if f.Before, err = strconv.ParseInt(cursor, 10, 64); err != nil || f.Before <= 0 {
			return invalidParam("cursor", "is not valid")
		}
	}
	list, err := s.invest.Orders(r.Context(), f)
	if err != nil {
		return err
	}
	more := len(list) > limit
	if more {
		list = list[:limit]
	}
	items := make([]orderView, 0, len(list))
	var last string
	for _, o := range list {
		items = append(items, viewOrder(o))
		last = strconv.FormatInt(o.Seq, 10)
	}
	return encode(w, http.StatusOK, page[orderView]{Items: items, NextCursor: nextCursor(more, last)})
}
