package bank

import (
	"time"

	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/statement"
)

// EntryKind names a posting the way API.md does: a transfer is transfer_in
// or transfer_out by its sign, a trade trade_buy or trade_sell, an exchange
// exchange_out or exchange_in; other kinds keep their transfer kind.
func EntryKind(transferKind string, amount int64) string {
	switch transferKind {
	case ledger.KindTransfer:
		if amount < 0 {
			return "transfer_out"
		}
		return "transfer_in"
	case ledger.KindTrade:
		if amount < 0 {
			return "trade_buy"
		}
		return "trade_sell"
	case ledger.KindExchange:
		if amount < 0 {
			return "exchange_out"
		}
		return "exchange_in"
	}
	return transferKind
}

// BuildStatement assembles a month's statement from the balance before the
// month and the month's entries, oldest first. The API (on demand) and the
// statements job (on the 1st) both render through it.
func BuildStatement(a ledger.Account, holder string, period statement.Period, opening int64, entries []HistoryEntry, now time.Time) statement.Statement {
	st := statement.Statement{BankName: "BankApp", Holder: holder, Period: period, Opening: opening, Closing: opening, GeneratedAt: now,
		Account: statement.Account{Number: a.Number, Name: a.Name, Type: a.Type, Currency: string(a.Currency), MinorDigits: a.Currency.Digits()}}
	for _, e := range entries {
		cp := ""
		if e.CounterpartyNumber != "" {
			cp = e.CounterpartyName + " " + e.CounterpartyNumber
		}
		st.Entries = append(st.Entries, statement.Entry{Date: e.CreatedAt, Kind: EntryKind(e.TransferKind, e.Amount), Description: e.Description,
			Counterparty: cp, Amount: e.Amount, BalanceAfter: e.BalanceAfter})
		if e.Amount > 0 {
			st.TotalIn += e.Amount
		} else {
			st.TotalOut -= e.Amount
		}
		st.Closing = e.BalanceAfter
	}
	return st
}

// entryKinds are the contract's entry kinds, for filtering history.
var entryKinds = map[string]bool{"deposit": true, "withdrawal": true, "transfer_in": true, "transfer_out": true,
	"trade_buy": true, "trade_sell": true, "fee": true, "interest": true, "exchange_out": true, "exchange_in": true}

// ValidEntryKind reports whether k is an entry kind of the contract.
func ValidEntryKind(k string) bool { return entryKinds[k] }
