package fx

import "time"

// Conversion kinds: what made a conversion.
const (
	KindExchange = "exchange" // POST /fx/exchanges, with its quote
	KindTrade    = "trade"    // an order on a EUR/GBP brokerage account trading a USD instrument
)

// Conversion is one conversion the ledger made, as stored: the exchange's
// amounts and rates and the transfer that moved them through the bank's
// position accounts. `ledger verify` recomputes Exchange with Verify and
// sums the conversions per currency against the position accounts.
type Conversion struct {
	TransferID string
	Kind       string // KindExchange or KindTrade
	QuoteID    string // exchanges only
	Exchange
	CreatedAt time.Time
}
