package bank

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/invest"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market"
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

// The demo's investor (Alice: stocks and crypto, bought monthly) and saver
// (Bob: a EUR savings account besides the USD ones), by index in demoPeople.
const (
	demoInvestor = 0
	demoSaver    = 1
)

// DemoStore is what seeding the demo needs: the bank's store, a lookup of
// users by email (to see whether the demo already exists) and the investing
// store (the investor's orders and watchlist).
type DemoStore interface {
	Store
	UserByEmail(ctx context.Context, email string) (auth.User, error)
	Invest() invest.Store
}

// demoPerson is a demo customer and their accounts.
type demoPerson struct {
	id                           string
	checking, savings, brokerage ledger.Account
	euro                         ledger.Account // the saver's EUR savings; zero for others
	employer                     string
}

// demoEvent is one movement of the demo's history, applied in its own
// transaction at its time.
type demoEvent struct {
	at    time.Time
	label string
	apply func(at time.Time) error
}

// SeedDemo creates four customers with six months of realistic history
// (monthly salary, rent, groceries, transfers among them, savings) and an
// admin. Alice invests every month (an index fund, stocks and crypto, one
// sale) and watches three more symbols; Bob also saves in euros. Every entry
// is in time order and none is later than now. Running it again changes
// nothing: if the first demo customer exists, it only lists the logins.
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
	start := time.Date(now.Year(), now.Month(), 1, 9, 0, 0, 0, time.UTC).AddDate(0, -6, 0)
	people, err := seedDemoPeople(ctx, db, start)
	if err != nil {
		return nil, false, fmt.Errorf("seed: users: %w", err)
	}
	events := demoMovements(ctx, db, people, start, now)
	events = append(events, demoOrders(ctx, db.Invest(), people[demoInvestor], start, now)...)
	slices.SortStableFunc(events, func(a, b demoEvent) int { return a.at.Compare(b.at) })
	for _, ev := range events {
		err := ev.apply(ev.at)
		if errors.Is(err, ledger.ErrInsufficientFunds) || errors.Is(err, invest.ErrInsufficientHoldings) {
			continue // a demo customer skips a payment they can't afford
		}
		if err != nil {
			return nil, false, fmt.Errorf("seed: %s at %s: %w", ev.label, ev.at.Format(time.RFC3339), err)
		}
	}
	inv := people[demoInvestor]
	if err := db.Invest().InTx(ctx, func(tx invest.ServiceTx) error {
		for _, sym := range []string{"MSFT", "SOL-USD", "GLD"} {
			if _, err := tx.AddToWatchlist(ctx, inv.id, sym); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return nil, false, fmt.Errorf("seed: watchlist: %w", err)
	}
	return logins, true, nil
}

// createVerifiedUser creates a demo user whose email counts as verified:
// the demo addresses cannot receive mail, and an "unconfirmed email" banner
// on every demo screen would only be noise.
func createVerifiedUser(ctx context.Context, tx Tx, u auth.User) error {
	if err := tx.CreateUser(ctx, u); err != nil {
		return err
	}
	u.EmailVerified = true
	return tx.UpdateUser(ctx, u)
}

// seedDemoPeople creates the admin and the demo customers with their
// accounts, in one transaction.
func seedDemoPeople(ctx context.Context, db DemoStore, start time.Time) ([]demoPerson, error) {
	hash, err := auth.HashPassword(DemoPassword)
	if err != nil {
		return nil, err
	}
	var people []demoPerson
	err = db.InTx(ctx, func(tx Tx) error {
		people = people[:0]
		admin := auth.User{ID: uuid.Must(uuid.NewV7()).String(), Email: demoAdminEmail, PasswordHash: hash, FullName: "Demo Admin",
			Role: auth.RoleAdmin, CreatedAt: start, UpdatedAt: start}
		if err := createVerifiedUser(ctx, tx, admin); err != nil {
			return err
		}
		if _, err := OpenAccount(ctx, tx, admin.ID, ledger.TypeChecking, ledger.USD, "", start); err != nil {
			return err
		}
		for i, p := range demoPeople {
			u := auth.User{ID: uuid.Must(uuid.NewV7()).String(), Email: p.email, PasswordHash: hash, FullName: p.name,
				Role: auth.RoleCustomer, CreatedAt: start, UpdatedAt: start}
			if err := createVerifiedUser(ctx, tx, u); err != nil {
				return err
			}
			pp := demoPerson{id: u.ID, employer: p.employer}
			for _, a := range []struct {
				dst       *ledger.Account
				typ, name string
				cur       ledger.Currency
				onlySaver bool
			}{{&pp.checking, ledger.TypeChecking, "Everyday", ledger.USD, false}, {&pp.savings, ledger.TypeSavings, "Savings", ledger.USD, false},
				{&pp.brokerage, ledger.TypeBrokerage, "Investments", ledger.USD, false}, {&pp.euro, ledger.TypeSavings, "Euro savings", ledger.EUR, true}} {
				if a.onlySaver && i != demoSaver {
					continue
				}
				if *a.dst, err = OpenAccount(ctx, tx, u.ID, a.typ, a.cur, a.name, start); err != nil {
					return err
				}
			}
			people = append(people, pp)
		}
		return nil
	})
	return people, err
}

// demoMovements are the customers' everyday movements from start to now:
// salary, rent, savings, groceries, dinners split among them, the saver's
// euros and the investor's monthly funding of the brokerage account.
func demoMovements(ctx context.Context, db DemoStore, people []demoPerson, start, now time.Time) []demoEvent {
	r := rand.New(rand.NewPCG(2026, 11)) // #nosec G404 -- demo data must be the same on every run; nothing secret is drawn
	cents := func(lo, hi int) string { v := lo*100 + r.IntN((hi-lo)*100); return ledger.FormatMinor(int64(v), 2) }
	move := func(kind string, m Movement) func(at time.Time) error {
		return func(at time.Time) error {
			m.Now = at
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
				return err
			})
		}
	}
	var events []demoEvent
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
				// The saver puts euros aside every month and spends some on a trip.
				{i == demoSaver && day.Day() == 4, "deposit", Movement{UserID: p.id, AccountID: p.euro.ID, Amount: cents(450, 900), Description: "From Sparkasse Köln"}},
				{i == demoSaver && day.Day() == 19 && day.Month()%3 == 0, "withdrawal", Movement{UserID: p.id, AccountID: p.euro.ID, Amount: cents(180, 420), Description: "Weekend in Lisbon"}},
				// The investor funds the brokerage account each month.
				{i == demoInvestor && day.Day() == 5, "transfer", Movement{UserID: p.id, AccountID: p.checking.ID, ToAccountNumber: p.brokerage.Number, Amount: cents(1100, 1400), Description: "Monthly investing"}},
			}
			for _, st := range steps {
				if st.when && at.Before(now) {
					events = append(events, demoEvent{at: at, label: st.kind + " " + st.m.Description, apply: move(st.kind, st.m)})
				}
				at = at.Add(time.Minute)
			}
		}
	}
	return events
}

// demoOrders is the investor's plan: an index fund, a stock and crypto bought
// on the 6th (the day after the money arrives), a stock mid-month, and one
// profit taken. Fills are at the simulated market's price then, the same
// prices the app's charts show, rounded like every fill (in the bank's
// favour: invest.Fill).
func demoOrders(ctx context.Context, st invest.Store, inv demoPerson, start, now time.Time) []demoEvent {
	mkt := market.NewSimulated(0, nil)
	order := func(side, symbol, notional, quantity string) func(at time.Time) error {
		return func(at time.Time) error {
			price, err := mkt.PriceAt(symbol, at)
			if err != nil {
				return err
			}
			req := invest.OrderRequest{OwnerID: inv.id, AccountID: inv.brokerage.ID, Symbol: symbol, Side: side}
			if notional != "" {
				a, err := ledger.ParseAmount(notional, ledger.USD)
				if err != nil {
					return err
				}
				req.Notional = a.Minor
			} else if req.Quantity, err = invest.ParseQuantity(quantity); err != nil {
				return err
			}
			q := market.Quote{Symbol: symbol, Price: price, Currency: "USD", AsOf: at}
			return st.InTx(ctx, func(tx invest.ServiceTx) error {
				_, err := invest.PlaceOrder(ctx, demoTx{ServiceTx: tx, at: at}, req, q)
				return err
			})
		}
	}
	var events []demoEvent
	for m := 0; m < 7; m++ {
		month := start.AddDate(0, m, 0)
		buys := []struct {
			day            int
			symbol, amount string
		}{{6, "VTI", "450.00"}, {6, "AAPL", "250.00"}, {6, "BTC-USD", "200.00"}, {6, "ETH-USD", "120.00"}, {16, "NVDA", "150.00"}}
		for k, b := range buys {
			at := month.AddDate(0, 0, b.day-1).Add(time.Duration(30+k*7) * time.Minute)
			if at.Before(now) {
				events = append(events, demoEvent{at: at, label: "buy " + b.symbol, apply: order(invest.SideBuy, b.symbol, b.amount, "")})
			}
		}
		if at := month.AddDate(0, 0, 21).Add(2 * time.Hour); m == 3 && at.Before(now) {
			events = append(events, demoEvent{at: at, label: "sell NVDA", apply: order(invest.SideSell, "NVDA", "", "0.5")})
		}
	}
	return events
}

// demoTx dates what the seed writes through invest (orders, holdings) at
// the event's time instead of the clock's.
type demoTx struct {
	invest.ServiceTx
	at time.Time
}

func (d demoTx) Now() time.Time { return d.at }
