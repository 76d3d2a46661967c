package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/config"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market"
	"github.com/bankapp/bankapp/internal/store"
)

// openFromEnv loads the configuration and opens its database, for the
// operator commands; the caller closes the database.
func openFromEnv(ctx context.Context, getenv func(string) string) (config.Config, *store.DB, error) {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return cfg, nil, err
	}
	db, err := openDB(ctx, cfg, getenv)
	return cfg, db, err
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	_, db, err := openFromEnv(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	sub := "up"
	if len(args) > 0 {
		sub = args[0]
	}
	switch sub {
	case "up":
		applied, err := db.MigrateUp(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "applied %d migrations %v\n", len(applied), applied)
		return nil
	case "status":
		st, err := db.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		for _, m := range st {
			state := "pending"
			if m.Applied {
				state = "applied"
			}
			fmt.Fprintf(stdout, "%05d  %-8s %s\n", m.Version, state, m.Name)
		}
		return nil
	}
	return fmt.Errorf("migrate: unknown subcommand %q (up, status)", sub)
}

func ledgerCmd(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 1 && args[0] == "fx" {
		return ledgerFX(ctx, getenv, stdout)
	}
	if len(args) == 0 || args[0] != "verify" {
		return errors.New("usage: bankapp ledger verify | bankapp ledger fx")
	}
	_, db, err := openFromEnv(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := db.VerifyLedger(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ledger verify: %d accounts, %d transfers checked\n", rep.AccountsChecked, rep.TransfersChecked)
	for _, p := range rep.Problems {
		fmt.Fprintf(stdout, "PROBLEM %s %s: %s\n", p.Kind, p.Ref, p.Detail)
	}
	if !rep.OK {
		fmt.Fprintf(stdout, "FAILED: %d problems\n", len(rep.Problems))
		return exitCode(1)
	}
	fmt.Fprintln(stdout, "OK")
	return nil
}

// ledgerFX prints the bank's currency exposure: each FX position account
// (what customers sold the bank in that currency less what they bought
// from it, by exchanges and orders that convert) and its value in USD at
// the current mid-market rates (docs/fx.md "The bank's currency exposure").
func ledgerFX(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	cfg, db, err := openFromEnv(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	positions, err := db.FXPositions(ctx)
	if err != nil {
		return err
	}
	var rates *market.FXRates
	mkt, err := market.New(market.Options{Provider: cfg.MarketDataProvider, YahooBaseURL: cfg.YahooFinanceBaseURL,
		CoinGeckoBaseURL: cfg.CoinGeckoBaseURL, CoinGeckoAPIKey: cfg.CoinGeckoAPIKey, CoinGeckoPro: cfg.CoinGeckoPro})
	if err == nil {
		if r, rerr := mkt.FXRates(ctx); rerr == nil {
			rates = &r
		} else {
			err = rerr
		}
	}
	fmt.Fprintf(stdout, "%-8s %18s %18s %18s %11s %16s\n", "currency", "position", "customers sold", "customers bought", "conversions", "in USD at mid")
	var net int64
	for _, p := range positions {
		usd := "-"
		if rates != nil {
			v, verr := bank.ValueIn(*rates, ledger.Amount{Minor: p.Balance, Currency: p.Currency}, ledger.USD)
			if verr != nil {
				return verr
			}
			net += v
			usd = ledger.FormatMinor(v, 2)
		}
		d := p.Currency.Digits()
		fmt.Fprintf(stdout, "%-8s %18s %18s %18s %11d %16s\n", p.Currency, ledger.FormatMinor(p.Balance, d), ledger.FormatMinor(p.Bought, d),
			ledger.FormatMinor(p.Sold, d), p.Count, usd)
	}
	if rates == nil {
		fmt.Fprintf(stdout, "no exchange rates (%v): positions are shown in their own currencies only\n", err)
		return nil
	}
	fmt.Fprintf(stdout, "net, in USD at mid: %s (rates %s as of %s)\n", ledger.FormatMinor(net, 2), rates.Source, rates.AsOf.Format(time.RFC3339))
	return nil
}

func adminCmd(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: bankapp admin create --email E --password P [--name N]")
	}
	fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
	email := fs.String("email", "", "admin email")
	password := fs.String("password", "", "password (12–128 chars); ignored when promoting an existing user")
	name := fs.String("name", "Administrator", "full name for a new admin")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	*email = strings.ToLower(strings.TrimSpace(*email))
	if *email == "" {
		return errors.New("admin create: --email is required")
	}
	_, db, err := openFromEnv(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.MigrateUp(ctx); err != nil {
		return err
	}
	promoted, err := createAdmin(ctx, db, *email, *password, *name)
	if err != nil {
		return err
	}
	if promoted {
		fmt.Fprintf(stdout, "promoted %s to admin\n", *email)
	} else {
		fmt.Fprintf(stdout, "created admin %s\n", *email)
	}
	return nil
}

// createAdmin creates an admin, or promotes the existing user with the email.
func createAdmin(ctx context.Context, db *store.DB, email, password, name string) (promoted bool, err error) {
	u, err := db.UserByEmail(ctx, email)
	if err == nil {
		err = db.InTx(ctx, func(tx *store.Tx) error {
			u.Role = auth.RoleAdmin
			if err := tx.UpdateUser(ctx, u); err != nil {
				return err
			}
			return tx.InsertAudit(ctx, audit.Event{ActorID: u.ID, Action: "admin_promote", Target: "user:" + u.ID, Outcome: "success", Detail: "cli"})
		})
		return true, err
	}
	if !errors.Is(err, ledger.ErrNotFound) {
		return false, err
	}
	if msg := auth.CheckPassword(password, email); msg != "" {
		return false, fmt.Errorf("admin create: --password: %s", msg)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return false, err
	}
	now := time.Now().UTC()
	u = auth.User{ID: uuid.Must(uuid.NewV7()).String(), Email: email, PasswordHash: hash, FullName: name, Role: auth.RoleAdmin, CreatedAt: now, UpdatedAt: now}
	return false, db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		if _, err := bank.OpenAccount(ctx, tx, u.ID, ledger.TypeChecking, ledger.USD, "", now); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, audit.Event{ActorID: u.ID, Action: "admin_create", Target: "user:" + u.ID, Outcome: "success", Detail: "cli"})
	})
}

// healthcheck is the container's health probe: the image has no shell or curl.
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	url := "http://127.0.0.1:3001/healthz"
	if addr := getenv("BANKAPP_ADDR"); addr != "" && strings.HasPrefix(addr, ":") {
		url = "http://127.0.0.1" + addr + "/healthz"
	}
	if len(args) > 0 {
		url = args[0]
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil) // #nosec G704 -- the operator chooses the URL of their own health endpoint on the command line
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req) // #nosec G704 -- see above: operator-supplied health URL
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %d", url, resp.StatusCode)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}

func seed(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "--demo" {
		return errors.New("usage: bankapp seed --demo")
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	if cfg.Production() {
		return errors.New("seed: demo data is refused in production (BANKAPP_ENV=production)")
	}
	db, err := openDB(ctx, cfg, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.MigrateUp(ctx); err != nil {
		return err
	}
	logins, created, err := bank.SeedDemo(ctx, db.Bank(), time.Now().UTC())
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintln(stdout, "demo data created; sign in with:")
	} else {
		fmt.Fprintln(stdout, "demo data already present (nothing changed); sign in with:")
	}
	for _, l := range logins {
		fmt.Fprintf(stdout, "  %-26s %-20s %-8s %s\n", l.Email, l.Password, l.Role, l.Name)
	}
	return nil
}
