package market

import (
	"errors"
	"fmt"
)

// Error codes returned by ErrorCode; they are part of the API contract.
const (
	CodeNotFound              = "not_found"
	CodeInvalidParameter      = "invalid_parameter"
	CodeMarketDataUnavailable = "market_data_unavailable"
)

// UnknownSymbolError says that no provider knows the symbol.
type UnknownSymbolError struct {
	Symbol string
}

func (e *UnknownSymbolError) Error() string {
	return fmt.Sprintf("unknown symbol %q", truncate(e.Symbol, 32))
}

// ErrorCode returns "not_found".
func (e *UnknownSymbolError) ErrorCode() string { return CodeNotFound }

// InvalidError is a bad argument from the caller (range, query).
type InvalidError struct {
	Field string
	Msg   string
}

func (e *InvalidError) Error() string { return e.Msg }

// ErrorCode returns "invalid_parameter".
func (e *InvalidError) ErrorCode() string { return CodeInvalidParameter }

// UnavailableError says that upstream failed and there is no usable cached
// value. Its text is safe to show; the cause is for logs (Unwrap).
type UnavailableError struct {
	Symbol string // may be empty (search)
	Err    error
}

func (e *UnavailableError) Error() string {
	if e.Symbol != "" {
		return fmt.Sprintf("market data for %s is temporarily unavailable", e.Symbol)
	}
	return "market data is temporarily unavailable"
}

// ErrorCode returns "market_data_unavailable".
func (e *UnavailableError) ErrorCode() string { return CodeMarketDataUnavailable }

func (e *UnavailableError) Unwrap() error { return e.Err }

// ErrBreakerOpen is the cause inside an UnavailableError when a provider's
// circuit breaker refused the call without trying upstream.
var ErrBreakerOpen = errors.New("market: circuit breaker open")

// coder is implemented by errors that carry an API code, including those of
// the yahoo and coingecko packages.
type coder interface{ ErrorCode() string }

// isNotFound reports whether err says a symbol does not exist (as opposed to
// an upstream failure).
func isNotFound(err error) bool {
	var c coder
	return errors.As(err, &c) && c.ErrorCode() == CodeNotFound
}

// isInvalid reports whether err is a caller mistake rather than a failure.
func isInvalid(err error) bool {
	var c coder
	return errors.As(err, &c) && c.ErrorCode() == CodeInvalidParameter
}
