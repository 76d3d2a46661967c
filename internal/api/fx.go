package api

import (
	"net/http"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
)

// Currency exchange and overview (API.md v1.1; rules in bank/fx.go and
// docs/fx.md).

func (s *Server) fxRoutes(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/fx/rates", s.authed(s.fxRates))
	mux.Handle("POST /api/v1/fx/quotes", s.authed(s.createQuote))
	mux.Handle("POST /api/v1/fx/exchanges", s.authed(s.createExchange))
	mux.Handle("GET /api/v1/overview", s.authed(s.overview))
}

func (s *Server) fxRates(w http.ResponseWriter, r *http.Request) error {
	base := r.URL.Query().Get("base")
	if base == "" {
		base = string(ledger.USD)
	}
	rates, err := s.bank.FXRates(r.Context(), base)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, rates)
}

// quoteRequest is the body of POST /fx/quotes: exactly one of sell_amount
// and buy_amount.
type quoteRequest struct {
	FromAccountID string       `json:"from_account_id"`
	ToAccountID   string       `json:"to_account_id"`
	SellAmount    *moneyString `json:"sell_amount"`
	BuyAmount     *moneyString `json:"buy_amount"`
}

func (q *quoteRequest) Validate() error {
	var fe []FieldError
	if q.FromAccountID == "" {
		fe = append(fe, FieldError{"from_account_id", "is required"})
	}
	if q.ToAccountID == "" {
		fe = append(fe, FieldError{"to_account_id", "is required"})
	}
	if (q.SellAmount == nil) == (q.BuyAmount == nil) {
		fe = append(fe, FieldError{"sell_amount", "send exactly one of sell_amount and buy_amount"})
	}
	if len(fe) > 0 {
		return validation(fe...)
	}
	for field, m := range map[string]*moneyString{"sell_amount": q.SellAmount, "buy_amount": q.BuyAmount} {
		if m == nil {
			continue
		}
		if err := m.check(); err != nil {
			return &ledger.Error{Code: "invalid_amount", Msg: field + ": " + err.Error(), Field: field}
		}
	}
	return nil
}

func (q *quoteRequest) amounts() (sell, buy string) {
	if q.SellAmount != nil {
		sell = q.SellAmount.s
	}
	if q.BuyAmount != nil {
		buy = q.BuyAmount.s
	}
	return sell, buy
}

// conversionView is what a quote and its exchange both say about the
// conversion.
type conversionView struct {
	FromAccountID string `json:"from_account_id"`
	ToAccountID   string `json:"to_account_id"`
	SellAmount    string `json:"sell_amount"`
	SellCurrency  string `json:"sell_currency"`
	BuyAmount     string `json:"buy_amount"`
	BuyCurrency   string `json:"buy_currency"`
	Rate          string `json:"rate"`
	MidRate       string `json:"mid_rate"`
	Fee           string `json:"fee"`
	FeeCurrency   string `json:"fee_currency"`
}

type quoteView struct {
	ID string `json:"id"`
	conversionView
	CreatedAt string `json:"created_at"`
	ExpiresAt string `json:"expires_at"`
}

func viewQuote(q bank.FXQuote) quoteView {
	return quoteView{ID: q.ID, CreatedAt: ts(q.CreatedAt), ExpiresAt: ts(q.ExpiresAt), conversionView: conversionView{
		FromAccountID: q.FromAccountID, ToAccountID: q.ToAccountID,
		SellAmount: q.Sell.String(), SellCurrency: string(q.Sell.Currency), BuyAmount: q.Buy.String(), BuyCurrency: string(q.Buy.Currency),
		Rate: q.Rate.String(), MidRate: q.Mid.String(), Fee: q.Fee.String(), FeeCurrency: string(q.FeeCurrency())}}
}

func (s *Server) createQuote(w http.ResponseWriter, r *http.Request) error {
	req, _, err := decode[*quoteRequest](w, r)
	if err != nil {
		return err
	}
	sell, buy := req.amounts()
	q, err := s.bank.Quote(r.Context(), s.caller(r), bank.QuoteRequest{FromAccountID: req.FromAccountID, ToAccountID: req.ToAccountID,
		SellAmount: sell, BuyAmount: buy})
	if err != nil {
		return err
	}
	return encode(w, http.StatusCreated, map[string]quoteView{"quote": viewQuote(q)})
}

type exchangeRequest struct {
	QuoteID string `json:"quote_id"`
}

func (q *exchangeRequest) Validate() error {
	if q.QuoteID == "" {
		return validation(FieldError{"quote_id", "is required"})
	}
	return nil
}

type exchangeView struct {
	ID      string `json:"id"`
	QuoteID string `json:"quote_id"`
	conversionView
	CreatedAt string `json:"created_at"`
}

func viewExchange(x bank.ExchangeReceipt) exchangeView {
	return exchangeView{ID: x.ID, QuoteID: x.QuoteID, CreatedAt: ts(x.CreatedAt), conversionView: conversionView{
		FromAccountID: x.FromAccountID, ToAccountID: x.ToAccountID,
		SellAmount: ledger.FormatMinor(x.SellAmount, x.SellCurrency.Digits()), SellCurrency: string(x.SellCurrency),
		BuyAmount: ledger.FormatMinor(x.BuyAmount, x.BuyCurrency.Digits()), BuyCurrency: string(x.BuyCurrency),
		Rate: x.Rate, MidRate: x.MidRate, Fee: ledger.FormatMinor(x.Fee, x.SellCurrency.Digits()), FeeCurrency: string(x.SellCurrency)}}
}

func (s *Server) createExchange(w http.ResponseWriter, r *http.Request) error {
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	req, body, err := decode[*exchangeRequest](w, r)
	if err != nil {
		return err
	}
	x, err := s.bank.Exchange(r.Context(), s.caller(r), bank.Idem{Key: key, Hash: requestHash(r, body)}, req.QuoteID)
	s.countMovement(ledger.KindExchange, err)
	if err != nil {
		return err
	}
	if x.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	return encode(w, http.StatusCreated, map[string]exchangeView{"exchange": viewExchange(x)})
}

type overviewAccountView struct {
	AccountID   string `json:"account_id"`
	Name        string `json:"name"`
	Type        string `json:"type"`
	Currency    string `json:"currency"`
	Balance     string `json:"balance"`
	ValueInBase string `json:"value_in_base"`
}

type overviewView struct {
	BaseCurrency string                `json:"base_currency"`
	Cash         string                `json:"cash"`
	Investments  string                `json:"investments"`
	NetWorth     string                `json:"net_worth"`
	Accounts     []overviewAccountView `json:"accounts"`
	RatesAsOf    string                `json:"rates_as_of"`
	RatesStale   bool                  `json:"rates_stale"`
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request) error {
	ov, err := s.bank.Overview(r.Context(), principalOf(r).UserID)
	if err != nil {
		return err
	}
	d := ov.Base.Digits()
	v := overviewView{BaseCurrency: string(ov.Base), Cash: ledger.FormatMinor(ov.Cash, d), Investments: ledger.FormatMinor(ov.Investments, d),
		NetWorth: ledger.FormatMinor(ov.NetWorth, d), Accounts: make([]overviewAccountView, 0, len(ov.Accounts)),
		RatesAsOf: ts(ov.RatesAsOf), RatesStale: ov.RatesStale}
	for _, a := range ov.Accounts {
		v.Accounts = append(v.Accounts, overviewAccountView{AccountID: a.ID, Name: a.Name, Type: a.Type, Currency: string(a.Currency),
			Balance: ledger.FormatMinor(a.Balance, a.Currency.Digits()), ValueInBase: ledger.FormatMinor(a.ValueInBase, d)})
	}
	return encode(w, http.StatusOK, v)
}
