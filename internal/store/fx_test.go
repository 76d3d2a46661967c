package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/fx"
	"github.com/bankapp/bankapp/internal/invest"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// fxFixture is a customer with a USD account (1000.00), a EUR account and a
// EUR brokerage account, after one honest exchange of 100.00 USD to EUR and
// one honest EUR order for a USD stock, so that ledger verify is clean.
type fxFixture struct {
	db                     *store.DB
	user, usd, eur, brk    string
	exchange, order        string // transfer ids
	usdEURMid, eurUSDMid   fx.Rate
	rates                  market.FXRates
	deposit, exchangeQuote string
}

func newFXFixture(t *testing.T, db *store.DB) *fxFixture {
	t.Helper()
	ctx := context.Background()
	now := db.Now()
	f := &fxFixture{db: db, user: uuid.NewString(), usd: uuid.NewString(), eur: uuid.NewString(), brk: uuid.NewString()}
	var err error
	if f.rates, err = market.NewFXRates(map[ledger.Currency]fx.Rate{ledger.EUR: fx.MustParseRate("1.08423"), ledger.GBP: fx.MustParseRate("1.26917")}, now, "test"); err != nil {
		t.Fatal(err)
	}
	f.usdEURMid, _ = f.rates.Rate(ledger.USD, ledger.EUR)
	f.eurUSDMid, _ = f.rates.Rate(ledger.EUR, ledger.USD)
	err = db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateUser(ctx, auth.User{ID: f.user, Email: f.user + "@example.com", PasswordHash: "x", FullName: "F", Role: auth.RoleCustomer, CreatedAt: now}); err != nil {
			return err
		}
		for id, spec := range map[string]struct {
			typ string
			cur ledger.Currency
		}{f.usd: {ledger.TypeChecking, ledger.USD}, f.eur: {ledger.TypeSavings, ledger.EUR}, f.brk: {ledger.TypeBrokerage, ledger.EUR}} {
			if err := tx.CreateAccount(ctx, ledger.Account{ID: id, OwnerID: f.user, Number: ledger.NewAccountNumber(), Type: spec.typ,
				Currency: spec.cur, Name: "a", Status: ledger.StatusActive, CreatedAt: now}); err != nil {
				return err
			}
		}
		deposit := func(to string, c ledger.Currency, amount int64) error {
			return ledger.Post(ctx, tx, &ledger.Transfer{Kind: ledger.KindDeposit, Currency: c, Amount: amount, ToAccount: to, CreatedAt: now,
				Postings: []ledger.Posting{{AccountID: ledger.SystemAccountID(ledger.SystemFunding, c), Amount: -amount}, {AccountID: to, Amount: amount}}})
		}
		if err := deposit(f.usd, ledger.USD, 1000_00); err != nil {
			return err
		}
		return deposit(f.brk, ledger.EUR, 500_00)
	})
	if err != nil {
		t.Fatal(err)
	}
	q, err := fx.QuoteSell(ledger.Amount{Minor: 100_00, Currency: ledger.USD}, ledger.EUR, f.usdEURMid, fx.DefaultSpread)
	if err != nil {
		t.Fatal(err)
	}
	f.exchange, f.exchangeQuote = f.execute(t, f.usd, f.eur, q)
	err = db.InTx(ctx, func(tx *store.Tx) error {
		o, err := invest.PlaceOrder(ctx, tx, invest.OrderRequest{OwnerID: f.user, AccountID: f.brk, Symbol: "AAPL", Side: invest.SideBuy,
			Quantity: decimal.RequireFromString("1.37"), FX: &invest.FXTerms{Rates: f.rates, Spread: fx.DefaultSpread}},
			market.Quote{Symbol: "AAPL", Price: decimal.RequireFromString("187.43"), Currency: "USD"})
		if err == nil {
			f.order = o.TransferID
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f.mustVerify(t)
	return f
}

// execute stores q as a quote of the fixture's user and executes it, as
// POST /fx/quotes and /fx/exchanges would; it returns the transfer and the
// quote.
func (f *fxFixture) execute(t *testing.T, from, to string, q fx.Quote) (string, string) {
	t.Helper()
	ctx := context.Background()
	now := f.db.Now()
	fq := bank.FXQuote{ID: uuid.NewString(), OwnerID: f.user, FromAccountID: from, ToAccountID: to, Quote: q, CreatedAt: now, ExpiresAt: now.Add(bank.FXQuoteTTL)}
	var id string
	err := f.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.InsertFXQuote(ctx, fq); err != nil {
			return err
		}
		x, err := bank.ExecuteQuote(ctx, tx, f.user, fq.ID, now)
		id = x.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id, fq.ID
}

func (f *fxFixture) mustVerify(t *testing.T) {
	t.Helper()
	rep, err := f.db.VerifyLedger(context.Background())
	if err != nil || !rep.OK {
		t.Fatalf("verify of an honest ledger: %+v %v", rep, err)
	}
}

func (f *fxFixture) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := f.db.SQLDB().ExecContext(context.Background(), q, args...); err != nil {
		t.Fatal(err)
	}
}

// TestVerifyFX plants one wrong thing at a time in a ledger with an
// exchange and an order that converts, and checks that ledger verify names
// exactly what is wrong.
func TestVerifyFX(t *testing.T) {
	cases := []struct {
		name  string
		plant func(t *testing.T, f *fxFixture)
		want  []string // problem kinds, exactly
		ref   func(f *fxFixture) string
		about string // in the problem's detail
	}{
		{name: "an exchange rounded the customer's way (by sell)", want: []string{"fx_rounding"}, about: "customer's favour",
			plant: func(t *testing.T, f *fxFixture) {
				q, _ := fx.QuoteSell(ledger.Amount{Minor: 33_33, Currency: ledger.USD}, ledger.EUR, f.usdEURMid, fx.DefaultSpread)
				q.Buy.Minor++ // a cent more than ⌊sell × rate⌋, consistently everywhere
				q.Fee, _ = fx.FeeFor(q.Sell, q.Buy, q.Mid)
				f.exchange, _ = f.execute(t, f.usd, f.eur, q)
			}, ref: func(f *fxFixture) string { return f.exchange }},
		{name: "an exchange rounded the customer's way (by buy)", want: []string{"fx_rounding"}, about: "customer's favour",
			plant: func(t *testing.T, f *fxFixture) {
				q, _ := fx.QuoteBuy(ledger.EUR, ledger.Amount{Minor: 1_07, Currency: ledger.USD}, f.eurUSDMid, fx.DefaultSpread)
				q.Sell.Minor-- // a cent less than ⌈buy ÷ rate⌉
				q.Fee = ledger.Amount{Currency: ledger.EUR}
				f.exchange, _ = f.execute(t, f.eur, f.usd, q)
			}, ref: func(f *fxFixture) string { return f.exchange }},
		{name: "a position account off by a cent (a posting)", want: []string{"fx_posting_mismatch", "position_mismatch"},
			plant: func(t *testing.T, f *fxFixture) {
				ctx := context.Background()
				err := f.db.InTx(ctx, func(tx *store.Tx) error {
					return ledger.Post(ctx, tx, &ledger.Transfer{Kind: ledger.KindFee, Currency: ledger.EUR, Amount: 1, CreatedAt: f.db.Now(), Postings: []ledger.Posting{
						{AccountID: ledger.SystemAccountID(ledger.SystemFXPosition, ledger.EUR), Amount: -1},
						{AccountID: ledger.SystemAccountID(ledger.SystemFees, ledger.EUR), Amount: 1}}})
				})
				if err != nil {
					t.Fatal(err)
				}
			}, ref: func(*fxFixture) string { return ledger.SystemAccountID(ledger.SystemFXPosition, ledger.EUR) }},
		{name: "a position account off by a cent (its balance)", want: []string{"balance_after_mismatch", "balance_mismatch", "position_mismatch"},
			plant: func(t *testing.T, f *fxFixture) {
				f.exec(t, `UPDATE accounts SET balance = balance + 1 WHERE id = $1`, ledger.SystemAccountID(ledger.SystemFXPosition, ledger.USD))
			}, ref: func(*fxFixture) string { return ledger.SystemAccountID(ledger.SystemFXPosition, ledger.USD) }},
		{name: "an exchange that sums to zero overall but not per currency", want: []string{"exchange_quote_mismatch", "unbalanced_transfer", "unbalanced_transfer"},
			plant: func(t *testing.T, f *fxFixture) {
				// A cent less leaves the USD account and a cent more reaches
				// the EUR one: the four postings still sum to zero.
				for _, c := range []struct {
					acct  string
					delta int
				}{{f.usd, -1}, {f.eur, 1}} {
					f.exec(t, `UPDATE postings SET amount = amount + $3, balance_after = balance_after + $3 WHERE transfer_id = $1 AND account_id = $2`, f.exchange, c.acct, c.delta)
					f.exec(t, `UPDATE accounts SET balance = balance + $2 WHERE id = $1`, c.acct, c.delta)
				}
			}, ref: func(f *fxFixture) string { return f.exchange }},
		{name: "an exchange that differs from its quote", want: []string{"exchange_quote_mismatch"},
			plant: func(t *testing.T, f *fxFixture) {
				f.exec(t, `UPDATE fx_quotes SET buy_amount = buy_amount - 1 WHERE id = $1`, f.exchangeQuote)
			}, ref: func(f *fxFixture) string { return f.exchange }},
		{name: "an exchange whose conversion is not recorded", want: []string{"fx_posting_mismatch", "position_mismatch", "position_mismatch", "transfer_currency_mismatch"},
			plant: func(t *testing.T, f *fxFixture) {
				f.exec(t, `DELETE FROM fx_conversions WHERE transfer_id = $1`, f.exchange)
			}, ref: func(f *fxFixture) string { return f.exchange }},
		{name: "an order that converts in the customer's favour", want: []string{"fx_posting_mismatch", "fx_rounding", "order_transfer_mismatch", "position_mismatch"},
			about: "customer's favour",
			plant: func(t *testing.T, f *fxFixture) {
				f.exec(t, `UPDATE fx_conversions SET sell_amount = sell_amount - 1 WHERE transfer_id = $1`, f.order)
			}, ref: func(f *fxFixture) string { return f.order }},
		{name: "a settlement account that no longer backs a EUR account's USD holding", want: []string{"settlement_mismatch"},
			plant: func(t *testing.T, f *fxFixture) {
				f.exec(t, `UPDATE holdings SET cost_basis = cost_basis + 1 WHERE account_id = $1`, f.brk)
			}, ref: func(*fxFixture) string { return ledger.SystemAccountID(ledger.SystemSettlement, ledger.USD) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T, db *store.DB) {
				f := newFXFixture(t, db)
				c.plant(t, f)
				rep, err := db.VerifyLedger(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				var kinds []string
				found := false
				for _, p := range rep.Problems {
					kinds = append(kinds, p.Kind)
					if p.Ref == c.ref(f) && (c.about == "" || strings.Contains(p.Detail, c.about)) {
						found = true
					}
				}
				slices.Sort(kinds)
				if rep.OK || !slices.Equal(kinds, c.want) || !found {
					t.Fatalf("problems %v, want %v (one about %s%s): %+v", kinds, c.want, c.ref(f), map[bool]string{true: ", " + c.about}[c.about != ""], rep.Problems)
				}
			})
		})
	}
}

// TestFXQueries: quotes round-trip exactly, a quote is used once, another
// user's quote is not found, and the positions view sums the conversions.
func TestFXQueries(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFXFixture(t, db)
		err := db.InTx(ctx, func(tx *store.Tx) error {
			q, err := tx.FXQuoteForUpdate(ctx, f.user, f.exchangeQuote)
			if err != nil {
				return err
			}
			if q.ExchangeID != f.exchange || q.UsedAt.IsZero() || q.Sell.Minor != 100_00 || q.Sell.Currency != ledger.USD || q.Buy.Currency != ledger.EUR ||
				q.Mid != f.usdEURMid || q.Rate.Cmp(q.Mid) >= 0 || q.By != fx.BySell || q.Fee.Currency != ledger.USD ||
				q.ExpiresAt.Sub(q.CreatedAt) != bank.FXQuoteTTL {
				t.Errorf("stored quote = %+v", q)
			}
			if err := fx.Verify(fx.Exchange{By: q.By, Sell: q.Sell, Buy: q.Buy, Rate: q.Rate, Mid: q.Mid, Fee: q.Fee}); err != nil {
				t.Errorf("stored quote does not verify: %v", err)
			}
			if _, err := tx.FXQuoteForUpdate(ctx, uuid.NewString(), f.exchangeQuote); err != bank.ErrQuoteNotFound {
				t.Errorf("another user's quote: %v", err)
			}
			if _, err := bank.ExecuteQuote(ctx, tx, f.user, f.exchangeQuote, db.Now()); err != bank.ErrQuoteUsed {
				t.Errorf("executing a used quote: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		ps, err := db.FXPositions(ctx)
		if err != nil || len(ps) != 3 {
			t.Fatalf("positions = %+v, %v", ps, err)
		}
		for _, p := range ps {
			if p.Balance != p.Bought-p.Sold {
				t.Errorf("%s position %d ≠ bought %d − sold %d", p.Currency, p.Balance, p.Bought, p.Sold)
			}
			switch p.Currency {
			case ledger.USD: // the exchange bought 100.00 USD; the order sold the stock's dollars
				if p.Bought != 100_00 || p.Sold == 0 || p.Count != 2 {
					t.Errorf("USD position = %+v", p)
				}
			case ledger.GBP:
				if p != (store.FXPosition{Currency: ledger.GBP}) {
					t.Errorf("GBP position = %+v", p)
				}
			}
		}
	})
}
