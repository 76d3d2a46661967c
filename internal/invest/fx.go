package invest

import (
	"errors"
	"fmt"

	"github.com/bankapp/bankapp/internal/fx"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market"
)

// conversion prices the currency conversion of an order on a brokerage
// account whose currency is not the instrument's (docs/fx.md "Orders that
// convert"). The zero value converts nothing: the account is in the
// instrument's currency.
type conversion struct {
	acct, instr ledger.Currency
	spread      fx.Spread
	toInstr     fx.Rate // mid-market, account's currency → instrument's
	fromInstr   fx.Rate // mid-market, instrument's currency → account's
}

// newConversion prepares the conversion of an order on acct for an
// instrument quoted in instr; an order that needs one and has no FX terms
// is refused.
func newConversion(acct ledger.Account, instr ledger.Currency, q market.Quote, req OrderRequest) (conversion, error) {
	if acct.Currency == instr {
		return conversion{}, nil
	}
	if !instr.Valid() || req.FX == nil {
		return conversion{}, &ledger.Error{Code: "validation_failed", Field: "account_id",
			Msg: fmt.Sprintf("%s trades in %s but the account holds %s", q.Symbol, q.Currency, acct.Currency)}
	}
	c := conversion{acct: acct.Currency, instr: instr, spread: req.FX.Spread}
	var err error
	if c.toInstr, err = req.FX.Rates.Rate(acct.Currency, instr); err != nil {
		return conversion{}, err
	}
	if c.fromInstr, err = req.FX.Rates.Rate(instr, acct.Currency); err != nil {
		return conversion{}, err
	}
	return c, nil
}

func (c conversion) active() bool { return c.acct != "" }

// notional turns a notional in the account's currency (minor units; 0 =
// none) into one in the instrument's, so that the order never moves more
// than the notional on the account: a buy spends at most what the notional
// buys at the customer rate (rounded down), a sell sells at most what buys
// the notional back (rounded down).
func (c conversion) notional(side string, n int64) (int64, error) {
	if !c.active() || n <= 0 {
		return n, nil
	}
	amt := ledger.Amount{Minor: n, Currency: c.acct}
	var got ledger.Amount
	var err error
	if side == SideBuy {
		var q fx.Quote
		if q, err = fx.QuoteSell(amt, c.instr, c.toInstr, c.spread); err == nil {
			got = q.Buy
		}
	} else {
		got, err = fx.MaxSellFor(c.instr, amt, c.fromInstr, c.spread)
	}
	if errors.Is(err, fx.ErrTooSmall) || (err == nil && got.Minor <= 0) {
		return 0, &ledger.Error{Code: "invalid_quantity", Field: "notional",
			Msg: fmt.Sprintf("the notional converts to less than %s %s", ledger.FormatMinor(1, c.instr.Digits()), c.instr)}
	}
	if err != nil {
		return 0, convErr(err)
	}
	return got.Minor, nil
}

// quote converts an order's value total (in the instrument's currency): a
// buy pays for it with the account's currency (the least that buys it,
// rounded up), a sell's proceeds buy the account's currency (rounded
// down). Nil when nothing converts.
func (c conversion) quote(side string, total int64) (*fx.Quote, error) {
	if !c.active() {
		return nil, nil
	}
	var q fx.Quote
	var err error
	if side == SideBuy {
		q, err = fx.QuoteBuy(c.acct, ledger.Amount{Minor: total, Currency: c.instr}, c.toInstr, c.spread)
	} else {
		q, err = fx.QuoteSell(ledger.Amount{Minor: total, Currency: c.instr}, c.acct, c.fromInstr, c.spread)
	}
	if errors.Is(err, fx.ErrTooSmall) {
		return nil, invalidQuantity(fmt.Sprintf("the sale is worth less than %s %s once converted", ledger.FormatMinor(1, c.acct.Digits()), c.acct))
	}
	if err != nil {
		return nil, convErr(err)
	}
	if q.Sell.Minor > ledger.MaxInputMinor || q.Buy.Minor > ledger.MaxInputMinor {
		return nil, invalidQuantity("the order value must not exceed " + ledger.FormatMinor(ledger.MaxInputMinor, c.acct.Digits()))
	}
	return &q, nil
}

// convErr reports a conversion that cannot be priced as the order's
// quantity being out of range (fx refuses only amounts that overflow).
func convErr(err error) error {
	var le *ledger.Error
	if errors.As(err, &le) && le.Code == "invalid_amount" {
		return invalidQuantity("the order value is too large to convert")
	}
	return err
}
