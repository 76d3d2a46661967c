package store

import (
	"context"

	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/invest"
)

// The domain packages declare the store they need (bank.Store, auth.Store,
// invest.Store); DB implements each of them. Go has no covariance, so each
// gets a small adapter whose InTx hands the domain its own Tx interface.

// Bank is the database as the bank's use cases see it.
func (db *DB) Bank() bank.DemoStore { return bankStore{db} }

type bankStore struct{ *DB }

func (s bankStore) InTx(ctx context.Context, fn func(bank.Tx) error) error {
	return s.DB.InTx(ctx, func(tx *Tx) error { return fn(tx) })
}

var _ bank.Tx = (*Tx)(nil)

// Auth is the database as identity's use cases see it.
func (db *DB) Auth() auth.Store { return authStore{db} }

type authStore struct{ *DB }

func (s authStore) InTx(ctx context.Context, fn func(auth.Tx) error) error {
	return s.DB.InTx(ctx, func(tx *Tx) error { return fn(tx) })
}

var _ auth.Tx = (*Tx)(nil)

// Invest is the database as investing's use cases see it.
func (db *DB) Invest() invest.Store { return investStore{db} }

type investStore struct{ *DB }

func (s investStore) InTx(ctx context.Context, fn func(invest.ServiceTx) error) error {
	return s.DB.InTx(ctx, func(tx *Tx) error { return fn(tx) })
}

var _ invest.ServiceTx = (*Tx)(nil)
