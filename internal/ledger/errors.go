package ledger

// Error is a domain error with a code from the API contract
// ("insufficient_funds", "invalid_amount", ...). Its message is safe to show
// to the customer.
type Error struct {
	Code  string
	Msg   string
	Field string // the request field the error is about, if any
}

func (e *Error) Error() string { return e.Msg }

// ErrorCode returns the contract's code for the error.
func (e *Error) ErrorCode() string { return e.Code }

// Is makes errors.Is match any ledger error with the same code, so callers
// can test errors.Is(err, ledger.ErrInsufficientFunds).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// ErrorField names the request field the error is about ("" if none).
func (e *Error) ErrorField() string { return e.Field }

// Errorf-free constructors for the codes the ledger itself returns.
var (
	ErrInsufficientFunds = &Error{Code: "insufficient_funds", Msg: "the account balance is too low for this payment"}
	ErrNotFound          = &Error{Code: "not_found", Msg: "not found"}
	ErrCurrencyMismatch  = &Error{Code: "currency_mismatch", Msg: "the accounts hold different currencies"}
	ErrAccountClosed     = &Error{Code: "account_closed", Msg: "the account is closed"}
	ErrAccountFrozen     = &Error{Code: "account_frozen", Msg: "the account is frozen: it can receive money but not send it"}
)
