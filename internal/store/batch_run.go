package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/telemetry"
)

// RunTransferBatch implements bank.Store. On PostgreSQL a batch costs two
// round trips whatever its size: BEGIN and every lock statement go in one
// pipeline (pgx's batch protocol, on the pool's own connection), the write
// statement and COMMIT in a second; between them the bank applies the
// transfers in memory. SQLite, in process with one writer, runs the same
// steps in an ordinary transaction.
func (db *DB) RunTransferBatch(ctx context.Context, locks bank.BatchLocks, apply func(bank.BatchState) (bank.TransferWrites, error)) error {
	if db.dialect != Postgres {
		return db.InTx(ctx, func(tx *Tx) error { return runBatchInTx(ctx, tx, locks, apply) })
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: batch connection: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: batch: driver connection is %T, not pgx", dc)
		}
		return runBatchPG(ctx, sc.Conn(), db.Now(), locks, apply)
	})
}

// runBatchInTx is the batch as separate statements in tx (SQLite).
func runBatchInTx(ctx context.Context, tx *Tx, locks bank.BatchLocks, apply func(bank.BatchState) (bank.TransferWrites, error)) error {
	st := bank.BatchState{Now: tx.Now()}
	var err error
	if st.Held, err = tx.LockIdempotencyKeys(ctx, locks.Keys); err != nil {
		return err
	}
	if st.Records, err = tx.IdempotencyRecords(ctx, locks.Keys); err != nil {
		return err
	}
	if len(locks.From) > 0 {
		if st.Accounts, err = tx.LockTransferAccounts(ctx, locks.From, locks.Numbers); err != nil {
			return err
		}
	}
	if st.Totals, err = tx.LockDayTotals(ctx, resolveDays(locks.Days, st.Accounts)); err != nil {
		return err
	}
	w, err := apply(st)
	if err != nil {
		return err
	}
	return tx.WriteTransfers(ctx, w)
}

// resolveDays names the day totals of the senders whose account was found
// (and is theirs), in the account's currency.
func resolveDays(days []bank.DayLock, accounts []ledger.Account) []bank.DayKey {
	byID := make(map[string]ledger.Account, len(accounts))
	for _, a := range accounts {
		byID[a.ID] = a
	}
	var out []bank.DayKey
	for _, d := range days {
		if a, ok := byID[d.AccountID]; ok && a.OwnerID == d.User {
			out = append(out, bank.DayKey{User: d.User, Kind: d.Kind, Currency: a.Currency, Day: d.Day})
		}
	}
	return out
}

// The lock statements of a batch on PostgreSQL, run in one pipeline after
// BEGIN. Their text is constant (arrays as parameters), so pgx prepares
// each once per connection.
const (
	sqlBatchKeyLocks = `SELECT u.ord, pg_try_advisory_xact_lock(hashtextextended(u.k, 7))
		FROM unnest($1::text[]) WITH ORDINALITY AS u(k, ord) ORDER BY u.ord`
	sqlBatchRecords = `SELECT u.ord, r.request_hash, r.status_code, r.response_body, r.created_at
		FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(owner_id, key, ord)
		JOIN idempotency_keys r ON r.owner_id = u.owner_id AND r.key = u.key`
	sqlBatchAccounts = `SELECT ` + accountColumns + ` FROM accounts
		WHERE id = ANY($1::text[] || ARRAY(SELECT a.id FROM accounts a WHERE a.number = ANY($3::text[])))
		  AND ((id, owner_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
		       OR (number = ANY($3::text[]) AND type <> 'system'))
		ORDER BY id FOR UPDATE`
	// The senders' day totals in the key order of compareDayKeys (byte
	// order, hence COLLATE "C"), the currency taken from the sender's own
	// account; the no-op update locks an existing row.
	sqlBatchDayTotals = `INSERT INTO day_totals AS t (user_id, kind, currency, day, total)
		SELECT DISTINCT u.user_id COLLATE "C", u.kind COLLATE "C", a.currency COLLATE "C", u.day, 0
		FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS u(user_id, account_id, kind, day)
		JOIN accounts a ON a.id = u.account_id AND a.owner_id = u.user_id
		ORDER BY 1, 2, 3, 4
		ON CONFLICT (user_id, kind, currency, day) DO UPDATE SET total = t.total
		RETURNING t.user_id, t.kind, t.currency, t.day, t.total`
)

// runBatchPG runs a batch on one pgx connection in two pipelines.
func runBatchPG(ctx context.Context, c *pgx.Conn, now time.Time, locks bank.BatchLocks, apply func(bank.BatchState) (bank.TransferWrites, error)) (err error) {
	begun := false
	defer func() {
		if err != nil && begun {
			// Undo the open transaction; a connection that cannot even roll
			// back is dropped from the pool.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if _, rerr := c.Exec(rctx, "ROLLBACK"); rerr != nil {
				err = errors.Join(err, driver.ErrBadConn)
			}
		}
	}()
	st := bank.BatchState{Now: now, Held: make([]bool, len(locks.Keys)), Records: make([]*ledger.IdemRecord, len(locks.Keys)),
		Totals: map[bank.DayKey]int64{}}
	begun = true
	if err := lockBatchPG(ctx, c, locks, &st); err != nil {
		return err
	}
	w, err := apply(st)
	if err != nil {
		return err
	}
	b := &pgx.Batch{}
	if len(w.Transfers) > 0 || len(w.Idem) > 0 || len(w.Audits) > 0 {
		stampAudits(w.Audits, now)
		q, args := writeTransfersPG(w)
		b.Queue(q, args...)
	}
	b.Queue("COMMIT")
	names := []string{"COMMIT"}
	if b.Len() == 2 {
		names = []string{"store.WriteTransfers", "COMMIT"}
	}
	if err := c.SendBatch(telemetry.WithBatchNames(ctx, names...), b).Close(); err != nil {
		return fmt.Errorf("store: batch write: %w", err)
	}
	begun = false
	return nil
}

// lockBatchPG sends BEGIN and the lock statements in one pipeline and reads
// what they found into st.
func lockBatchPG(ctx context.Context, c *pgx.Conn, locks bank.BatchLocks, st *bank.BatchState) error {
	names, owners, keys := make([]string, len(locks.Keys)), make([]string, len(locks.Keys)), make([]string, len(locks.Keys))
	for i, k := range locks.Keys {
		names[i], owners[i], keys[i] = k.Owner+"\x1f"+k.Key, k.Owner, k.Key
	}
	fromOwners, fromIDs := make([]string, len(locks.From)), make([]string, len(locks.From))
	for i, f := range locks.From {
		fromOwners[i], fromIDs[i] = f.Owner, f.Key
	}
	dUser, dAcct, dKind, dDay := make([]string, len(locks.Days)), make([]string, len(locks.Days)), make([]string, len(locks.Days)), make([]int64, len(locks.Days))
	for i, d := range locks.Days {
		dUser[i], dAcct[i], dKind[i], dDay[i] = d.User, d.AccountID, d.Kind, d.Day
	}
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	b.Queue(sqlBatchKeyLocks, names)
	b.Queue(sqlBatchRecords, owners, keys)
	b.Queue(sqlBatchAccounts, fromIDs, fromOwners, locks.Numbers)
	b.Queue(sqlBatchDayTotals, dUser, dAcct, dKind, dDay)
	// Traced (telemetry.PGXTracer), each statement's span is named after
	// the store method it stands for, as on SQLite.
	br := c.SendBatch(telemetry.WithBatchNames(ctx, "BEGIN", "store.LockIdempotencyKeys", "store.IdempotencyRecords",
		"store.LockTransferAccounts", "store.LockDayTotals"), b)
	if _, err := br.Exec(); err != nil {
		_ = br.Close()
		return fmt.Errorf("store: batch begin: %w", err)
	}
	err := readBatchLocks(br, st)
	if cerr := br.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("store: batch locks: %w", cerr)
	}
	return err
}

// readBatchLocks reads the four lock statements' rows in order.
func readBatchLocks(br pgx.BatchResults, st *bank.BatchState) error {
	rows, _ := br.Query()
	for rows.Next() {
		var ord int64
		var ok bool
		if err := rows.Scan(&ord, &ok); err != nil {
			return fmt.Errorf("store: batch key locks: %w", err)
		}
		st.Held[ord-1] = ok
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: batch key locks: %w", err)
	}
	rows, _ = br.Query()
	for rows.Next() {
		var ord, created int64
		var body string
		rec := &ledger.IdemRecord{}
		if err := rows.Scan(&ord, &rec.RequestHash, &rec.Response.Status, &body, &created); err != nil {
			return fmt.Errorf("store: batch records: %w", err)
		}
		rec.Response.Body, rec.CreatedAt = []byte(body), fromMicros(created)
		st.Records[ord-1] = rec
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: batch records: %w", err)
	}
	rows, _ = br.Query()
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return fmt.Errorf("store: batch accounts: %w", err)
		}
		st.Accounts = append(st.Accounts, a)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: batch accounts: %w", err)
	}
	rows, _ = br.Query()
	for rows.Next() {
		var k bank.DayKey
		var cur string
		var total int64
		if err := rows.Scan(&k.User, &k.Kind, &cur, &k.Day, &total); err != nil {
			return fmt.Errorf("store: batch day totals: %w", err)
		}
		k.Currency = ledger.Currency(cur)
		st.Totals[k] = total
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: batch day totals: %w", err)
	}
	return nil
}
