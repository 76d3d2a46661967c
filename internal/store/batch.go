package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
)

// Set-based statements for group commit (docs/decisions.md, "Set-based
// batches"). On PostgreSQL each step of a batch of transfers is one statement
// whatever the batch size, with arrays as parameters (unnest), so that its
// text never changes and pgx prepares it once per connection; the writes of a
// whole batch go in one statement of data-modifying CTEs. SQLite, in process
// and with a single writer, runs the same steps as simple loops.

func dayKeyName(k bank.DayKey) string {
	return k.User + "|" + k.Kind + "|" + string(k.Currency) + "|" + strconv.FormatInt(k.Day, 10)
}

// DeleteOldDayTotals removes up to limit day totals of days before day.
func (tx *Tx) DeleteOldDayTotals(ctx context.Context, day int64, limit int) (int64, error) {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM day_totals WHERE (user_id, kind, currency, day) IN (SELECT user_id, kind, currency, day
		FROM day_totals WHERE day < $1 LIMIT $2)`, day, limit)
	if err != nil {
		return 0, fmt.Errorf("store: delete old day totals: %w", err)
	}
	return res.RowsAffected()
}

// LockIdempotencyKeys takes the transaction-scoped advisory locks of the
// keys (see AcquireIdempotencyKey) in one statement; got[i] reports whether
// keys[i] was free. It must run in its own statement before
// IdempotencyRecords, so that the records are read after the locks are held.
func (tx *Tx) LockIdempotencyKeys(ctx context.Context, keys []bank.OwnerKey) (_ []bool, err error) {
	ctx, end := tx.db.span(ctx, "store.LockIdempotencyKeys")
	defer func() { end(err) }()
	got := make([]bool, len(keys))
	if tx.dialect != Postgres {
		for i := range got {
			got[i] = true
		}
		return got, nil
	}
	if len(keys) == 0 {
		return got, nil
	}
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.Owner + "\x1f" + k.Key
	}
	rows, err := tx.tx.QueryContext(ctx, `SELECT u.ord, pg_try_advisory_xact_lock(hashtextextended(u.k, 7))
		FROM unnest($1::text[]) WITH ORDINALITY AS u(k, ord) ORDER BY u.ord`, names)
	if err != nil {
		return nil, fmt.Errorf("store: idempotency locks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ord int64
		var ok bool
		if err := rows.Scan(&ord, &ok); err != nil {
			return nil, fmt.Errorf("store: idempotency locks: %w", err)
		}
		got[ord-1] = ok
	}
	return got, rows.Err()
}

// IdempotencyRecords returns the stored records of the keys, index-aligned
// (nil where there is none), however old; the caller decides what has
// expired.
func (tx *Tx) IdempotencyRecords(ctx context.Context, keys []bank.OwnerKey) (_ []*ledger.IdemRecord, err error) {
	ctx, end := tx.db.span(ctx, "store.IdempotencyRecords")
	defer func() { end(err) }()
	out := make([]*ledger.IdemRecord, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	if tx.dialect != Postgres {
		for i, k := range keys {
			rec, err := tx.IdempotencyRecord(ctx, k.Owner, k.Key, time.Time{})
			if err != nil {
				return nil, err
			}
			out[i] = rec
		}
		return out, nil
	}
	owners, names := make([]string, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		owners[i], names[i] = k.Owner, k.Key
	}
	rows, err := tx.tx.QueryContext(ctx, `SELECT u.ord, r.request_hash, r.status_code, r.response_body, r.created_at
		FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(owner_id, key, ord)
		JOIN idempotency_keys r ON r.owner_id = u.owner_id AND r.key = u.key`, owners, names)
	if err != nil {
		return nil, fmt.Errorf("store: idempotency records: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ord, created int64
		var body string
		rec := &ledger.IdemRecord{}
		if err := rows.Scan(&ord, &rec.RequestHash, &rec.Response.Status, &body, &created); err != nil {
			return nil, fmt.Errorf("store: idempotency records: %w", err)
		}
		rec.Response.Body = []byte(body)
		rec.CreatedAt = fromMicros(created)
		out[ord-1] = rec
	}
	return out, rows.Err()
}

// LockTransferAccounts reads and locks, in one statement and in id order,
// the senders' accounts — each only if it belongs to the user who asks
// (from[i].Owner owns account from[i].Key) — and the customer accounts with
// the given numbers.
func (tx *Tx) LockTransferAccounts(ctx context.Context, from []bank.OwnerKey, numbers []string) (_ []ledger.Account, err error) {
	ctx, end := tx.db.span(ctx, "store.LockTransferAccounts")
	defer func() { end(err) }()
	if tx.dialect != Postgres {
		seen := map[string]bool{}
		var out []ledger.Account
		add := func(a ledger.Account, err error) error {
			if err != nil {
				if isNotFound(err) {
					return nil
				}
				return err
			}
			if !seen[a.ID] {
				seen[a.ID] = true
				out = append(out, a)
			}
			return nil
		}
		for _, f := range from {
			if err := add(tx.AccountByID(ctx, f.Owner, f.Key)); err != nil {
				return nil, err
			}
		}
		for _, n := range numbers {
			if err := add(tx.AccountByNumber(ctx, n)); err != nil {
				return nil, err
			}
		}
		slices.SortFunc(out, func(a, b ledger.Account) int { return strings.Compare(a.ID, b.ID) })
		return out, nil
	}
	owners, ids := make([]string, len(from)), make([]string, len(from))
	for i, f := range from {
		owners[i], ids[i] = f.Owner, f.Key
	}
	// The index on id finds the rows (the recipients' ids come from the
	// unique index on number first); the filter then keeps a sender's
	// account only for its owner.
	rows, err := tx.tx.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts
		WHERE id = ANY($1::text[] || ARRAY(SELECT a.id FROM accounts a WHERE a.number = ANY($3::text[])))
		  AND ((id, owner_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
		       OR (number = ANY($3::text[]) AND type <> 'system'))
		ORDER BY id FOR UPDATE`, ids, owners, numbers)
	if err != nil {
		return nil, fmt.Errorf("store: lock transfer accounts: %w", err)
	}
	defer rows.Close()
	var out []ledger.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("store: lock transfer accounts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func isNotFound(err error) bool {
	le, ok := err.(*ledger.Error)
	return ok && le.Code == "not_found"
}

// LockDayTotals locks day totals (creating missing ones at zero) in key
// order and returns each one's total so far. Deposits and transfers lock
// rows of their own kind only.
func (tx *Tx) LockDayTotals(ctx context.Context, keys []bank.DayKey) (_ map[bank.DayKey]int64, err error) {
	ctx, end := tx.db.span(ctx, "store.LockDayTotals")
	defer func() { end(err) }()
	keys = slices.Clone(keys)
	slices.SortFunc(keys, compareDayKeys)
	keys = slices.Compact(keys)
	out := make(map[bank.DayKey]int64, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	if tx.dialect != Postgres {
		for _, k := range keys {
			var total int64
			err := tx.tx.QueryRowContext(ctx, `INSERT INTO day_totals (user_id, kind, currency, day, total) VALUES ($1, $2, $3, $4, 0)
				ON CONFLICT (user_id, kind, currency, day) DO UPDATE SET total = day_totals.total RETURNING total`,
				k.User, k.Kind, string(k.Currency), k.Day).Scan(&total)
			if err != nil {
				return nil, fmt.Errorf("store: day totals: %w", err)
			}
			out[k] = total
		}
		return out, nil
	}
	users, kinds, curs, days := make([]string, len(keys)), make([]string, len(keys)), make([]string, len(keys)), make([]int64, len(keys))
	for i, k := range keys {
		users[i], kinds[i], curs[i], days[i] = k.User, k.Kind, string(k.Currency), k.Day
	}
	// The no-op update locks an existing row and returns its latest committed
	// value; rows are taken in the (sorted) order of the input.
	rows, err := tx.tx.QueryContext(ctx, `INSERT INTO day_totals AS t (user_id, kind, currency, day, total)
		SELECT u.user_id, u.kind, u.currency, u.day, 0
		FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY AS u(user_id, kind, currency, day, ord)
		ORDER BY u.ord
		ON CONFLICT (user_id, kind, currency, day) DO UPDATE SET total = t.total
		RETURNING t.user_id, t.kind, t.currency, t.day, t.total`, users, kinds, curs, days)
	if err != nil {
		return nil, fmt.Errorf("store: day totals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k bank.DayKey
		var cur string
		var total int64
		if err := rows.Scan(&k.User, &k.Kind, &cur, &k.Day, &total); err != nil {
			return nil, fmt.Errorf("store: day totals: %w", err)
		}
		k.Currency = ledger.Currency(cur)
		out[k] = total
	}
	return out, rows.Err()
}

func compareDayKeys(a, b bank.DayKey) int {
	if c := strings.Compare(a.User, b.User); c != 0 {
		return c
	}
	if c := strings.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	if c := strings.Compare(string(a.Currency), string(b.Currency)); c != 0 {
		return c
	}
	switch {
	case a.Day < b.Day:
		return -1
	case a.Day > b.Day:
		return 1
	}
	return 0
}

// SetDayTotals writes day totals the transaction has locked.
func (tx *Tx) SetDayTotals(ctx context.Context, totals map[bank.DayKey]int64) (err error) {
	ctx, end := tx.db.span(ctx, "store.SetDayTotals")
	defer func() { end(err) }()
	for k, total := range totals {
		if _, err := tx.tx.ExecContext(ctx, `UPDATE day_totals SET total = $5 WHERE user_id = $1 AND kind = $2 AND currency = $3 AND day = $4`,
			k.User, k.Kind, string(k.Currency), k.Day, total); err != nil {
			return fmt.Errorf("store: day totals: %w", err)
		}
	}
	return nil
}

// WriteTransfers writes a batch: on PostgreSQL in one statement.
func (tx *Tx) WriteTransfers(ctx context.Context, w bank.TransferWrites) (err error) {
	ctx, end := tx.db.span(ctx, "store.WriteTransfers")
	defer func() { end(err) }()
	if len(w.Transfers) == 0 && len(w.Idem) == 0 && len(w.Audits) == 0 {
		return nil
	}
	stampAudits(w.Audits, tx.Now())
	if tx.dialect != Postgres {
		if err := tx.InsertTransfers(ctx, w.Transfers, w.Entries); err != nil {
			return err
		}
		if err := tx.SetBalances(ctx, w.Balances); err != nil {
			return err
		}
		if err := tx.SetDayTotals(ctx, w.DayTotals); err != nil {
			return err
		}
		if err := tx.PutIdempotencyRecords(ctx, w.Idem); err != nil {
			return err
		}
		return tx.InsertAudits(ctx, w.Audits)
	}

	q, args := writeTransfersPG(w)
	if _, err := tx.tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("store: write transfers: %w", err)
	}
	return nil
}

// stampAudits gives each event without an id a new one, and without a time
// now.
func stampAudits(evs []audit.Event, now time.Time) {
	for i := range evs {
		if evs[i].ID == "" {
			evs[i].ID = uuid.Must(uuid.NewV7()).String()
		}
		if evs[i].At.IsZero() {
			evs[i].At = now
		}
	}
}

// writeTransfersPG is the one statement of data-modifying CTEs that writes a
// whole batch on PostgreSQL, with its array parameters.
func writeTransfersPG(w bank.TransferWrites) (string, []any) {
	n := len(w.Transfers)
	tID, tKind, tCur, tFrom, tTo, tDesc, tBy := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	tAmt, tAt := make([]int64, n), make([]int64, n)
	for i, t := range w.Transfers {
		tID[i], tKind[i], tCur[i], tFrom[i], tTo[i], tDesc[i], tBy[i] = t.ID, t.Kind, string(t.Currency), t.FromAccount, t.ToAccount, t.Description, t.CreatedBy
		tAmt[i], tAt[i] = t.Amount, micros(t.CreatedAt)
	}
	m := len(w.Entries)
	pT, pA, pCur := make([]string, m), make([]string, m), make([]string, m)
	pAmt, pAfter, pAt := make([]int64, m), make([]int64, m), make([]int64, m)
	for i, e := range w.Entries {
		pT[i], pA[i], pCur[i] = e.TransferID, e.AccountID, string(e.Currency)
		pAmt[i], pAfter[i], pAt[i] = e.Amount, e.BalanceAfter, micros(e.CreatedAt)
	}
	bID := make([]string, 0, len(w.Balances))
	for id := range w.Balances {
		bID = append(bID, id)
	}
	slices.Sort(bID)
	bBal := make([]int64, len(bID))
	for i, id := range bID {
		bBal[i] = w.Balances[id]
	}
	dKeys := make([]bank.DayKey, 0, len(w.DayTotals))
	for k := range w.DayTotals {
		dKeys = append(dKeys, k)
	}
	slices.SortFunc(dKeys, compareDayKeys)
	// Day totals are matched on "user|kind|currency|day" (array_position);
	// the primary key's index finds them by its columns.
	dName, dUser, dCur, dDay, dTotal := make([]string, len(dKeys)), make([]string, len(dKeys)), make([]string, len(dKeys)), make([]int64, len(dKeys)), make([]int64, len(dKeys))
	for i, k := range dKeys {
		dName[i] = dayKeyName(k)
		dUser[i], dCur[i], dDay[i], dTotal[i] = k.User, string(k.Currency), k.Day, w.DayTotals[k]
	}
	k := len(w.Idem)
	iOwner, iKey, iHash, iBody := make([]string, k), make([]string, k), make([]string, k), make([]string, k)
	iStatus, iAt := make([]int32, k), make([]int64, k)
	for i, r := range w.Idem {
		iOwner[i], iKey[i], iHash[i], iBody[i] = r.Owner, r.Key, r.Record.RequestHash, string(r.Record.Response.Body)
		iStatus[i], iAt[i] = int32(r.Record.Response.Status), micros(r.Record.CreatedAt) // #nosec G115 -- HTTP status codes fit in int32
	}
	a := len(w.Audits)
	aID, aActor, aAction, aTarget, aIP, aReq, aOutcome, aDetail := make([]string, a), make([]string, a), make([]string, a), make([]string, a), make([]string, a), make([]string, a), make([]string, a), make([]string, a)
	aAt := make([]int64, a)
	for i, e := range w.Audits {
		aID[i], aActor[i], aAction[i], aTarget[i], aIP[i], aReq[i], aOutcome[i], aDetail[i] = e.ID, e.ActorID, e.Action, e.Target, e.IP, e.RequestID, e.Outcome, e.Detail
		aAt[i] = micros(e.At)
	}
	// Postings go in in the order they were applied (WITH ORDINALITY … ORDER
	// BY), so that seq follows each account's balance_after. Foreign keys are
	// checked at the end of the statement, when the transfers are in.
	return `WITH
	t AS (INSERT INTO transfers (id, kind, currency, amount, from_account_id, to_account_id, description, created_by, created_at)
		SELECT id, kind, currency, amount, NULLIF(from_id, ''), NULLIF(to_id, ''), description, NULLIF(created_by, ''), created_at
		FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[])
			AS u(id, kind, currency, amount, from_id, to_id, description, created_by, created_at)),
	p AS (INSERT INTO postings (transfer_id, account_id, amount, currency, balance_after, created_at)
		SELECT transfer_id, account_id, amount, currency, balance_after, created_at
		FROM unnest($10::text[], $11::text[], $12::bigint[], $13::text[], $14::bigint[], $15::bigint[])
			WITH ORDINALITY AS u(transfer_id, account_id, amount, currency, balance_after, created_at, ord)
		ORDER BY ord),
	b AS (UPDATE accounts SET balance = ($17::bigint[])[array_position($16::text[], id)]
		WHERE id = ANY($16::text[])),
	d AS (UPDATE day_totals SET total = ($21::bigint[])[array_position($18::text[], user_id || '|' || kind || '|' || currency || '|' || day)]
		WHERE user_id = ANY($19::text[]) AND currency = ANY($20::text[]) AND day = ANY($22::bigint[])
		  AND array_position($18::text[], user_id || '|' || kind || '|' || currency || '|' || day) IS NOT NULL),
	i AS (INSERT INTO idempotency_keys (owner_id, key, request_hash, status_code, response_body, created_at)
		SELECT * FROM unnest($23::text[], $24::text[], $25::text[], $26::int[], $27::text[], $28::bigint[])
		ON CONFLICT (owner_id, key) DO UPDATE SET request_hash = excluded.request_hash,
			status_code = excluded.status_code, response_body = excluded.response_body, created_at = excluded.created_at),
	a AS (INSERT INTO audit_events (id, at, actor_id, action, target, ip, request_id, outcome, detail)
		SELECT id, at, NULLIF(actor_id, ''), action, target, ip, request_id, outcome, detail
		FROM unnest($29::text[], $30::bigint[], $31::text[], $32::text[], $33::text[], $34::text[], $35::text[], $36::text[], $37::text[])
			AS u(id, at, actor_id, action, target, ip, request_id, outcome, detail))
	SELECT 1`, []any{tID, tKind, tCur, tAmt, tFrom, tTo, tDesc, tBy, tAt,
			pT, pA, pAmt, pCur, pAfter, pAt,
			bID, bBal,
			dName, dUser, dCur, dTotal, dDay,
			iOwner, iKey, iHash, iStatus, iBody, iAt,
			aID, aAt, aActor, aAction, aTarget, aIP, aReq, aOutcome, aDetail}
}
