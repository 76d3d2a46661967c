package bank

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/statement"
)

// Limits on simulated external funding and on money sent, in minor units
// (all supported currencies have two minor digits), per user and UTC day.
const (
	MaxDepositMinor       int64 = 10_000_00
	MaxDepositsPerDay     int64 = 25_000_00
	MaxTransfersSentDaily int64 = 50_000_00
	MaxDescriptionLen           = 140
)

// Errors of money movement.
var (
	ErrSameAccount       = &ledger.Error{Code: "same_account", Msg: "You are sending from and to the same account. Choose another recipient."}
	ErrRecipientNotFound = &ledger.Error{Code: "recipient_not_found", Msg: "No open BankApp account has this number. Check it with the person you are paying.", Field: "to_account_number"}
)

// Movement is a customer's request to move money. Amount is a decimal
// string, parsed against the account's currency.
type Movement struct {
	UserID          string
	AccountID       string // deposits and withdrawals: the account; transfers: the sender
	ToAccountNumber string // transfers only
	Amount          string
	Description     string
	Now             time.Time
}

// CleanDescription trims a description and checks its length.
func CleanDescription(s string) (string, error) {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > MaxDescriptionLen || strings.ContainsAny(s, "\x00\r\n") {
		return "", &ledger.Error{Code: "validation_failed", Msg: fmt.Sprintf("Keep the note to one line of at most %d characters.", MaxDescriptionLen), Field: "description"}
	}
	return s, nil
}

// ownAccount loads the user's account and parses the amount in its currency.
func ownAccount(ctx context.Context, tx Tx, m Movement) (ledger.Account, ledger.Amount, error) {
	a, err := tx.AccountByID(ctx, m.UserID, m.AccountID)
	if err != nil {
		return a, ledger.Amount{}, err
	}
	amt, err := ledger.ParseAmount(m.Amount, a.Currency)
	if err != nil {
		return a, amt, err
	}
	if a.Status == ledger.StatusClosed {
		return a, amt, ledger.ErrAccountClosed
	}
	return a, amt, nil
}

// Deposit simulates external funding into the user's account.
func Deposit(ctx context.Context, tx Tx, m Movement) (ledger.Transfer, error) {
	desc, err := CleanDescription(m.Description)
	if err != nil {
		return ledger.Transfer{}, err
	}
	a, amt, err := ownAccount(ctx, tx, m)
	if err != nil {
		return ledger.Transfer{}, err
	}
	if amt.Minor > MaxDepositMinor {
		return ledger.Transfer{}, &ledger.Error{Code: "limit_exceeded", Msg: "A single deposit can be at most " + statement.FormatMoney(MaxDepositMinor, 2, string(a.Currency)) + ".", Field: "amount"}
	}
	// The user's deposit total for the day, locked: her concurrent deposits
	// in this currency queue here, so the limit holds.
	k := DayKey{User: m.UserID, Kind: ledger.KindDeposit, Currency: a.Currency, Day: DayOf(m.Now)}
	totals, err := tx.LockDayTotals(ctx, []DayKey{k})
	if err != nil {
		return ledger.Transfer{}, err
	}
	today := totals[k]
	if today+amt.Minor > MaxDepositsPerDay {
		return ledger.Transfer{}, &ledger.Error{Code: "limit_exceeded", Msg: fmt.Sprintf("You can deposit up to %s a day; %s is left today.",
			statement.FormatMoney(MaxDepositsPerDay, 2, string(a.Currency)), statement.FormatMoney(max(0, MaxDepositsPerDay-today), 2, string(a.Currency))), Field: "amount"}
	}
	t := ledger.Transfer{Kind: ledger.KindDeposit, Currency: a.Currency, Amount: amt.Minor, ToAccount: a.ID, Description: desc,
		CreatedBy: m.UserID, CreatedAt: m.Now, Postings: []ledger.Posting{
			{AccountID: ledger.SystemAccountID(ledger.SystemFunding, a.Currency), Amount: -amt.Minor},
			{AccountID: a.ID, Amount: amt.Minor}}}
	if err := ledger.Post(ctx, tx, &t); err != nil {
		return t, err
	}
	return t, tx.SetDayTotals(ctx, map[DayKey]int64{k: today + amt.Minor})
}

// Withdraw sends money out of the bank from the user's account.
func Withdraw(ctx context.Context, tx Tx, m Movement) (ledger.Transfer, error) {
	desc, err := CleanDescription(m.Description)
	if err != nil {
		return ledger.Transfer{}, err
	}
	if err := tx.LockUser(ctx, m.UserID); err != nil {
		return ledger.Transfer{}, err
	}
	a, amt, err := ownAccount(ctx, tx, m)
	if err != nil {
		return ledger.Transfer{}, err
	}
	t := ledger.Transfer{Kind: ledger.KindWithdrawal, Currency: a.Currency, Amount: amt.Minor, FromAccount: a.ID, Description: desc,
		CreatedBy: m.UserID, CreatedAt: m.Now, Postings: []ledger.Posting{
			{AccountID: a.ID, Amount: -amt.Minor},
			{AccountID: ledger.SystemAccountID(ledger.SystemCashOut, a.Currency), Amount: amt.Minor}}}
	return t, ledger.Post(ctx, tx, &t)
}

// Prepared is a transfer request checked against the locked accounts: the
// sender's account belongs to the user, the recipient exists, same currency,
// a valid amount and description.
type Prepared struct {
	Movement Movement
	From, To ledger.Account
	Amount   ledger.Amount
	Desc     string
}

// TransferBatch applies transfers inside one transaction (group commit, and
// a single transfer as a batch of one). BeginTransfers locks, each in one
// statement, every account involved (in id order) and then the senders' day
// totals (in key order) — the same order for every batch, so concurrent
// batches queue instead of deadlocking; Apply checks each transfer in turn
// against the locked balances and the daily limit; Write stores them all
// with the caller's idempotency records and audit events. A refused transfer
// does not affect the others.
type TransferBatch struct {
	tx    Tx
	book  *ledger.Book
	preps []*Prepared // index-aligned with the movements; nil where refused
	sent  map[DayKey]int64
	dirty map[DayKey]struct{}
}

// BeginTransfers checks the movements and takes the locks. errs[i] is the
// refusal of movement i found before any money is looked at (bad input,
// unknown account or recipient, currency), nil if it can be applied; err is a
// database failure of the whole batch.
func BeginTransfers(ctx context.Context, tx Tx, ms []Movement) (b *TransferBatch, errs []error, err error) {
	pl := planTransfers(ms)
	if len(pl.locks.From) == 0 {
		return pl.build(nil, nil, tx), pl.errs, nil
	}
	accounts, err := tx.LockTransferAccounts(ctx, pl.locks.From, pl.locks.Numbers)
	if err != nil {
		return nil, nil, err
	}
	b = pl.build(accounts, nil, tx)
	if b.sent, err = tx.LockDayTotals(ctx, b.dayKeys()); err != nil {
		return nil, nil, err
	}
	return b, pl.errs, nil
}

// transferPlan is a batch's movements checked for what needs no database
// (description, account number syntax) and the rows it must lock.
type transferPlan struct {
	ms    []Movement
	errs  []error
	descs []string
	locks BatchLocks
}

func planTransfers(ms []Movement) *transferPlan {
	pl := &transferPlan{ms: ms, errs: make([]error, len(ms)), descs: make([]string, len(ms))}
	for i, m := range ms {
		if pl.descs[i], pl.errs[i] = CleanDescription(m.Description); pl.errs[i] != nil {
			continue
		}
		if msg := ledger.AccountNumberProblem(m.ToAccountNumber); msg != "" {
			pl.errs[i] = &ledger.Error{Code: "validation_failed", Msg: msg, Field: "to_account_number"}
			continue
		}
		pl.locks.From = append(pl.locks.From, OwnerKey{Owner: m.UserID, Key: m.AccountID})
		pl.locks.Numbers = append(pl.locks.Numbers, m.ToAccountNumber)
		pl.locks.Days = append(pl.locks.Days, DayLock{User: m.UserID, AccountID: m.AccountID, Kind: ledger.KindTransfer, Day: DayOf(m.Now)})
	}
	return pl
}

// build checks each planned movement against the locked accounts. totals
// are the locked day totals when the store took them with the accounts
// (RunTransferBatch); nil when the caller locks them next (dayKeys).
func (pl *transferPlan) build(accounts []ledger.Account, totals map[DayKey]int64, tx Tx) *TransferBatch {
	b := &TransferBatch{tx: tx, preps: make([]*Prepared, len(pl.ms)), dirty: map[DayKey]struct{}{}, sent: totals}
	byID := make(map[string]ledger.Account, len(accounts))
	byNumber := make(map[string]ledger.Account, len(accounts))
	for _, a := range accounts {
		byID[a.ID] = a
		if a.Number != "" && !a.IsSystem() {
			byNumber[a.Number] = a
		}
	}
	for i, m := range pl.ms {
		if pl.errs[i] != nil {
			continue
		}
		p, err := prepare(m, pl.descs[i], byID, byNumber)
		if err != nil {
			pl.errs[i] = err
			continue
		}
		b.preps[i] = p
	}
	b.book = ledger.NewBook(accounts)
	if b.sent == nil {
		b.sent = map[DayKey]int64{}
	}
	return b
}

// dayKeys are the day totals of the prepared transfers' senders.
func (b *TransferBatch) dayKeys() []DayKey {
	var days []DayKey
	for _, p := range b.preps {
		if p != nil {
			days = append(days, DayKey{User: p.Movement.UserID, Kind: ledger.KindTransfer, Currency: p.From.Currency, Day: DayOf(p.Movement.Now)})
		}
	}
	return days
}

// prepare checks one movement against the locked accounts, in the order the
// API promises its errors.
func prepare(m Movement, desc string, byID, byNumber map[string]ledger.Account) (*Prepared, error) {
	from, ok := byID[m.AccountID]
	if !ok || from.OwnerID != m.UserID {
		return nil, ErrAccountNotFound
	}
	amt, err := ledger.ParseAmount(m.Amount, from.Currency)
	if err != nil {
		return nil, err
	}
	if from.Status == ledger.StatusClosed {
		return nil, ledger.ErrAccountClosed
	}
	to, ok := byNumber[m.ToAccountNumber]
	if !ok || to.Status == ledger.StatusClosed {
		return nil, ErrRecipientNotFound
	}
	if to.ID == from.ID {
		return nil, ErrSameAccount
	}
	if to.Currency != from.Currency {
		return nil, ledger.ErrCurrencyMismatch
	}
	return &Prepared{Movement: m, From: from, To: to, Amount: amt, Desc: desc}, nil
}

// Apply checks movement i (which BeginTransfers accepted) against the locked
// state and applies it in memory. It returns the transfer and the
// recipient's account.
func (b *TransferBatch) Apply(i int) (ledger.Transfer, ledger.Account, error) {
	p := b.preps[i]
	if p == nil {
		return ledger.Transfer{}, ledger.Account{}, fmt.Errorf("bank: movement %d was refused before locking", i)
	}
	from, _ := b.book.Account(p.From.ID)
	switch from.Status {
	case ledger.StatusFrozen:
		return ledger.Transfer{}, p.To, ledger.ErrAccountFrozen
	case ledger.StatusClosed:
		return ledger.Transfer{}, p.To, ledger.ErrAccountClosed
	}
	m := p.Movement
	k := DayKey{User: m.UserID, Kind: ledger.KindTransfer, Currency: from.Currency, Day: DayOf(m.Now)}
	sent := b.sent[k]
	if sent+p.Amount.Minor > MaxTransfersSentDaily {
		return ledger.Transfer{}, p.To, &ledger.Error{Code: "limit_exceeded", Msg: fmt.Sprintf("You can send up to %s a day; %s is left today.",
			statement.FormatMoney(MaxTransfersSentDaily, 2, string(from.Currency)), statement.FormatMoney(max(0, MaxTransfersSentDaily-sent), 2, string(from.Currency))), Field: "amount"}
	}
	t := ledger.Transfer{Kind: ledger.KindTransfer, Currency: from.Currency, Amount: p.Amount.Minor, FromAccount: from.ID, ToAccount: p.To.ID,
		Description: p.Desc, CreatedBy: m.UserID, CreatedAt: m.Now, Postings: []ledger.Posting{
			{AccountID: from.ID, Amount: -p.Amount.Minor}, {AccountID: p.To.ID, Amount: p.Amount.Minor}}}
	if err := b.book.Apply(&t); err != nil {
		return ledger.Transfer{}, p.To, err
	}
	b.sent[k] = sent + p.Amount.Minor
	b.dirty[k] = struct{}{}
	return t, p.To, nil
}

// Write stores every applied transfer, the new balances and day totals,
// and the given idempotency records and audit events, in one step.
func (b *TransferBatch) Write(ctx context.Context, idem []ledger.IdemPut, audits []audit.Event) error {
	return b.tx.WriteTransfers(ctx, b.writes(idem, audits))
}

// writes is everything the batch applied, with the idempotency records and
// audit events to store with it.
func (b *TransferBatch) writes(idem []ledger.IdemPut, audits []audit.Event) TransferWrites {
	ts, entries, bal := b.book.Take()
	days := make(map[DayKey]int64, len(b.dirty))
	for k := range b.dirty {
		days[k] = b.sent[k]
	}
	b.dirty = map[DayKey]struct{}{}
	return TransferWrites{Transfers: ts, Entries: entries, Balances: bal, DayTotals: days, Idem: idem, Audits: audits}
}

// Transfer moves money from the user's account to any open customer
// account by number, in the same currency, within the daily limit.
func Transfer(ctx context.Context, tx Tx, m Movement) (ledger.Transfer, ledger.Account, error) {
	b, errs, err := BeginTransfers(ctx, tx, []Movement{m})
	if err != nil {
		return ledger.Transfer{}, ledger.Account{}, err
	}
	if errs[0] != nil {
		return ledger.Transfer{}, ledger.Account{}, errs[0]
	}
	t, to, err := b.Apply(0)
	if err != nil {
		return t, to, err
	}
	return t, to, b.Write(ctx, nil, nil)
}
