package bank

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/ledger"
)

// DemoLogin is a sign-in that SeedDemo created (or found).
type DemoLogin struct {
	Email, Password, Role, Name string
}

// DemoPassword is the password of every demo login. Demo data is for
// development machines only; `bankapp seed` refuses production.
const DemoPassword = "demo-password-2026"

var demoPeople = []struct{ name, email, employer string }{
	{"Alice Martin", "alice@demo.bankapp.test", "Acme Robotics"},
	{"Bob Okafor", "bob@demo.bankapp.test", "Northwind Traders"},
	{"Carol Chen", "carol@demo.bankapp.test", "Globex Health"},
	{"Dan Novak", "dan@demo.bankapp.test", "Initech"},
}

const demoAdminEmail = "admin@demo.bankapp.test"

// DemoStore is what seeding the demo needs: the bank's store and a lookup
// of users by email (to see whether the demo already exists).
type DemoStore interface {
	Store
	UserByEmail(ctx context.Context, email string) (auth.User, error)
}

// SeedDemo creates four customers with six months of realistic history
// (monthly salary, rent, groceries, transfers among them, savings) and an
// admin. Running it again changes nothing: if the first demo customer
// exists, it only lists the logins.
func SeedDemo(ctx context.Context, db DemoStore, now time.Time) ([]DemoLogin, bool, error) {
	logins := []DemoLogin{{Email: demoAdminEmail, Password: DemoPassword, Role: auth.RoleAdmin, Name: "Demo Admin"}}
	for _, p := range demoPeople {
		logins = append(logins, DemoLogin{Email: p.email, Password: DemoPassword, Role: auth.RoleCustomer, Name: p.name})
	}
	if _, err := db.UserByEmail(ctx, demoPeople[0].email); err == nil {
		return logins, false, nil
	} else if !errors.Is(err, ledger.ErrNotFound) {
		return nil, false, err
	}
	hash, err := auth.HashPassword(DemoPassword)
	if err != nil {
		return nil, false, err
	}
	start := time.Date(now.Year(), now.Month(), 1, 9, 0, 0, 0, time.UTC).AddDate(0, -6, 0)
	type person struct {
		id                string
		checking, savings ledger.Account
		employer          string
	}
	var people []person
	err = db.InTx(ctx, func(tx Tx) error {
		admin := auth.User{ID: uuid.Must(uuid.NewV7()).String(), Email: demoAdminEmail, PasswordHash: hash, FullName: "Demo Admin",
			Role: auth.RoleAdmin, CreatedAt: start, UpdatedAt: start}
		if err := tx.CreateUser(ctx, admin); err != nil {
			return err
		}
		if _, err := OpenAccount(ctx, tx, admin.ID, ledger.TypeChecking, ledger.USD, "", start); err != nil {
			return err
		}
		for _, p := range demoPeople {
			u := auth.User{ID: uuid.Must(uuid.NewV7()).String(), Email: p.email, PasswordHash: hash, FullName: p.name,
				Role: auth.RoleCustomer, CreatedAt: start, UpdatedAt: start}
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
			c, err := OpenAccount(ctx, tx, u.ID, ledger.TypeChecking, ledger.USD, "Everyday", start)
			if err != nil {
				return err
			}
			s, err := OpenAccount(ctx, tx, u.ID, ledger.TypeSavings, ledger.USD, "Savings", start)
			if err != nil {
				return err
			}
			if _, err := OpenAccount(ctx, tx, u.ID, ledger.TypeBrokerage, ledger.USD, "Investments", start); err != nil {
				return err
			}
			people = append(people, person{id: u.ID, checking: c, savings: s, employer: p.employer})
		}
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("seed: users: %w", err)
	}
	r := rand.New(rand.NewPCG(2026, 11)) // #nosec G404 -- demo data must be the same on every run; nothing secret is drawn
	cents := func(lo, hi int) string { v := lo*100 + r.IntN((hi-lo)*100); return ledger.FormatMinor(int64(v), 2) }
	move := func(kind string, m Movement) error {
		return db.InTx(ctx, func(tx Tx) error {
			var err error
			switch kind {
			case "deposit":
				_, err = Deposit(ctx, tx, m)
			case "withdrawal":
				_, err = Withdraw(ctx, tx, m)
			default:
				_, _, err = Transfer(ctx, tx, m)
			}
			if errors.Is(err, ledger.ErrInsufficientFunds) {
				return nil // a demo customer skips a payment they can't afford
			}
			return err
		})
	}
	for day := start; day.Before(now); day = day.AddDate(0, 0, 1) {
		for i, p := range people {
			other := people[(i+1+r.IntN(len(people)-1))%len(people)]
			at := day.Add(time.Duration(r.IntN(8*3600)) * time.Second)
			steps := []struct {
				when bool
				kind string
				m    Movement
			}{
				{day.Day() == 1, "deposit", Movement{UserID: p.id, AccountID: p.checking.ID, Amount: cents(3800, 5200), Description: "Salary " + p.employer}},
				{day.Day() == 2, "withdrawal", Movement{UserID: p.id, AccountID: p.checking.ID, Amount: cents(1200, 1900), Description: "Rent"}},
				{day.Day() == 3, "transfer", Movement{UserID: p.id, AccountID: p.checking.ID, ToAccountNumber: p.savings.Number, Amount: cents(200, 600), Description: "Monthly savings"}},
				{day.Weekday() == time.Saturday, "withdrawal", Movement{UserID: p.id, AccountID: p.checking.ID, Amount: cents(40, 160), Description: "Groceries"}},
				{r.IntN(9) == 0, "transfer", Movement{UserID: p.id, AccountID: p.checking.ID, ToAccountNumber: other.checking.Number, Amount: cents(8, 90), Description: "Dinner split"}},
				{r.IntN(6) == 0, "withdrawal", Movement{UserID: p.id, AccountID: p.checking.ID, Amount: cents(5, 45), Description: "Coffee and lunch"}},
			}
			for _, s := range steps {
				if !s.when {
					continue
				}
				s.m.Now = at
				if err := move(s.kind, s.m); err != nil {
					return nil, false, fmt.Errorf("seed: %s %s: %w", s.kind, s.m.Description, err)
				}
				at = at.Add(time.Minute)
			}
		}
	}
	return logins, true, nil
}
