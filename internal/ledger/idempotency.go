package ledger

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// IdempotencyTTL is how long a key's response is kept and replayed.
const IdempotencyTTL = 24 * time.Hour

// Errors of the idempotency protocol (API.md "Idempotency").
var (
	ErrKeyInProgress = &Error{Code: "idempotency_key_in_progress", Msg: "a request with this Idempotency-Key is still being processed; retry shortly"}
	ErrKeyReused     = &Error{Code: "idempotency_key_reused", Msg: "this Idempotency-Key was used with a different request"}
)

// Response is a stored answer to a money-moving request.
type Response struct {
	Status   int
	Body     []byte
	Replayed bool
}

// IdemRecord is a stored idempotency key.
type IdemRecord struct {
	RequestHash string
	Response    Response
	CreatedAt   time.Time
}

// IdemTx is what idempotent execution needs from a transaction.
type IdemTx interface {
	// AcquireIdempotencyKey takes a transaction-scoped lock on the key that
	// other instances can see; false means another transaction holds it.
	AcquireIdempotencyKey(ctx context.Context, owner, key string) (bool, error)
	// IdempotencyRecord returns the record stored for the key at or after
	// since, or nil.
	IdempotencyRecord(ctx context.Context, owner, key string, since time.Time) (*IdemRecord, error)
	// PutIdempotencyRecord stores (or replaces an expired) record.
	PutIdempotencyRecord(ctx context.Context, owner, key string, rec IdemRecord) error
	Now() time.Time
}

// Keys tracks the idempotency keys in flight on this instance, so that a
// duplicate arriving while the first request runs gets 409 at once instead
// of queueing behind it. Other instances are excluded by the database lock.
type Keys struct {
	mu       sync.Mutex
	inflight map[string]struct{}
}

// NewKeys returns an empty in-flight set.
func NewKeys() *Keys { return &Keys{inflight: map[string]struct{}{}} }

// Enter marks (owner, key) in flight; false means it already is.
func (k *Keys) Enter(owner, key string) bool { return k.enter(owner + "\x00" + key) }

// Leave ends what Enter started.
func (k *Keys) Leave(owner, key string) { k.leave(owner + "\x00" + key) }

func (k *Keys) enter(id string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, busy := k.inflight[id]; busy {
		return false
	}
	k.inflight[id] = struct{}{}
	return true
}

func (k *Keys) leave(id string) {
	k.mu.Lock()
	delete(k.inflight, id)
	k.mu.Unlock()
}

// Idempotent runs fn at most once per (owner, key) within IdempotencyTTL.
// The record of the response commits in the same transaction as whatever fn
// writes, so a crash can never apply a request without recording it or
// record it without applying it. A replay returns the stored response with
// Replayed set; the same key with a different requestHash is
// ErrKeyReused; a key whose first request is still running is
// ErrKeyInProgress. When fn fails nothing is recorded: nothing was applied,
// so the client may retry with the same key.
func Idempotent[T IdemTx](ctx context.Context, keys *Keys, inTx func(context.Context, func(T) error) error,
	owner, key, requestHash string, fn func(T) (Response, error)) (Response, error) {
	if !keys.Enter(owner, key) {
		return Response{}, ErrKeyInProgress
	}
	defer keys.Leave(owner, key)
	return RunIdempotent(ctx, inTx, owner, key, requestHash, fn)
}

// RunIdempotent is Idempotent for a caller that already holds the key in
// its Keys set (group commit's fallback path).
func RunIdempotent[T IdemTx](ctx context.Context, inTx func(context.Context, func(T) error) error,
	owner, key, requestHash string, fn func(T) (Response, error)) (Response, error) {
	var out Response
	err := inTx(ctx, func(tx T) error {
		ok, err := tx.AcquireIdempotencyKey(ctx, owner, key)
		if err != nil {
			return fmt.Errorf("ledger: idempotency lock: %w", err)
		}
		if !ok {
			return ErrKeyInProgress
		}
		now := tx.Now()
		rec, err := tx.IdempotencyRecord(ctx, owner, key, now.Add(-IdempotencyTTL))
		if err != nil {
			return fmt.Errorf("ledger: idempotency record: %w", err)
		}
		if res, ok, err := Replay(rec, requestHash, now); ok || err != nil {
			out = res
			return err
		}
		if out, err = fn(tx); err != nil {
			return err
		}
		return tx.PutIdempotencyRecord(ctx, owner, key, IdemRecord{RequestHash: requestHash, Response: out, CreatedAt: now})
	})
	return out, err
}

// Replay says what a stored record means for a request with requestHash
// at now: ok false when there is no live record (the request runs);
// otherwise the stored response, marked Replayed, or ErrKeyReused when the
// key came with another request.
func Replay(rec *IdemRecord, requestHash string, now time.Time) (res Response, ok bool, err error) {
	if rec == nil || rec.CreatedAt.Before(now.Add(-IdempotencyTTL)) {
		return Response{}, false, nil
	}
	if rec.RequestHash != requestHash {
		return Response{}, true, ErrKeyReused
	}
	res = rec.Response
	res.Replayed = true
	return res, true, nil
}

// Idem is a money request's idempotency (API.md "Idempotency"): the
// client's key and a fingerprint of the request. The same key with another
// fingerprint is ErrKeyReused.
type Idem struct {
	Key  string
	Hash string
}

// IdemPut is one record of a batch written at once (group commit).
type IdemPut struct {
	Owner, Key string
	Record     IdemRecord
}
