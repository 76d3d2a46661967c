package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps prepared statements of hot read queries. pgx already
// caches statements per connection; modernc's SQLite driver parses the SQL
// on every call, which was a fifth of the CPU of GET /api/v1/me.
type stmtCache struct {
	mu sync.Mutex
	m  map[*sql.DB]map[string]*sql.Stmt
}

// queryRow runs a single-row read on pool, through a cached prepared
// statement on SQLite.
func (db *DB) queryRow(ctx context.Context, pool *sql.DB, q string, args ...any) *sql.Row {
	if db.dialect != SQLite {
		return pool.QueryRowContext(ctx, q, args...)
	}
	st, err := db.stmt(ctx, pool, q)
	if err != nil {
		return pool.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (db *DB) stmt(ctx context.Context, pool *sql.DB, q string) (*sql.Stmt, error) {
	db.stmts.mu.Lock()
	defer db.stmts.mu.Unlock()
	if db.stmts.m == nil {
		db.stmts.m = map[*sql.DB]map[string]*sql.Stmt{}
	}
	byQuery := db.stmts.m[pool]
	if byQuery == nil {
		byQuery = map[string]*sql.Stmt{}
		db.stmts.m[pool] = byQuery
	}
	if st, ok := byQuery[q]; ok {
		return st, nil
	}
	st, err := pool.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	byQuery[q] = st
	return st, nil
}

// fresh is the pool for reads that must see every committed write: on
// SQLite the read-only pool (the same file, so always current, and reads run
// in parallel there), on PostgreSQL the primary.
func (db *DB) fresh() *sql.DB {
	if db.dialect == SQLite {
		return db.r
	}
	return db.w
}
