package bank

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/bankapp/bankapp/internal/ledger"
)

// Receipt is a money movement as its caller sees it: what a deposit,
// withdrawal or transfer answers, and what its idempotency record keeps so
// that a replay answers the same. Account ids of another customer's side
// are left out.
type Receipt struct {
	V               int             `json:"v"` // format version; records before it hold the HTTP body (Legacy)
	ID              string          `json:"id"`
	Kind            string          `json:"kind"`
	FromAccountID   string          `json:"from_account_id,omitempty"`
	ToAccountID     string          `json:"to_account_id,omitempty"`
	ToAccountNumber string          `json:"to_account_number,omitempty"`
	Amount          int64           `json:"amount"`
	Currency        ledger.Currency `json:"currency"`
	Description     string          `json:"description"`
	CreatedAt       time.Time       `json:"created_at"`
	// Replayed is set when the answer is the stored one of an earlier
	// request with the same idempotency key.
	Replayed bool `json:"-"`
	// Legacy is a record stored before receipts had a format of their own:
	// the HTTP body as it was sent, to be answered again as is.
	Legacy []byte `json:"-"`
}

const receiptVersion = 1

// receiptOf is the receipt of t for the user who made it: the recipient's
// account id is shown only when the user owns it.
func receiptOf(t ledger.Transfer, to ledger.Account, userID string) Receipt {
	r := Receipt{V: receiptVersion, ID: t.ID, Kind: t.Kind, FromAccountID: t.FromAccount, ToAccountNumber: to.Number,
		Amount: t.Amount, Currency: t.Currency, Description: t.Description, CreatedAt: t.CreatedAt}
	if t.ToAccount != "" && to.OwnerID == userID {
		r.ToAccountID = t.ToAccount
	}
	return r
}

// stored is the idempotency record's response for a receipt.
func (r Receipt) stored() (ledger.Response, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return ledger.Response{}, fmt.Errorf("bank: receipt: %w", err)
	}
	return ledger.Response{Status: 201, Body: b}, nil
}

// receiptFrom reads a stored response back; a record older than the
// receipt format comes back as Legacy.
func receiptFrom(res ledger.Response) Receipt {
	var r Receipt
	if err := json.Unmarshal(res.Body, &r); err != nil || r.V == 0 {
		return Receipt{Legacy: res.Body, Replayed: res.Replayed}
	}
	r.Replayed = res.Replayed
	return r
}
