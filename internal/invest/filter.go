package invest

// OrderFilter selects a page of a user's orders, newest first.
type OrderFilter struct {
	OwnerID   string
	AccountID string // optional
	Before    int64  // cursor: orders with seq below this (0 = from the newest)
	Limit     int
}
