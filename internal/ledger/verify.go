package ledger

// Report is the result of re-deriving the ledger from its postings.
type Report struct {
	OK               bool      `json:"ok"`
	AccountsChecked  int       `json:"accounts_checked"`
	TransfersChecked int       `json:"transfers_checked"`
	Problems         []Problem `json:"problems"`
}

// Problem is one broken invariant: its kind, the account or transfer it is
// about, and what was found.
type Problem struct {
	Kind   string `json:"kind"`
	Ref    string `json:"ref"`
	Detail string `json:"detail"`
}
