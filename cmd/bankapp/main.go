// Command bankapp is BankApp's server and its operational tools.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bankapp:", err)
		if code, ok := err.(exitCode); ok {
			os.Exit(int(code))
		}
		os.Exit(1)
	}
}

// exitCode is an error that only sets the process's exit status.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

const usage = `usage: bankapp <command>

  serve                                   run the HTTP server (default :3001)
  migrate [up|status]                     apply or list database migrations
  seed --demo                             create demo customers with history (idempotent)
  admin create --email E --password P     create an admin, or promote an existing user
  ledger verify                           re-derive every balance; exit 1 on any broken invariant
  ledger fx                               the bank's currency exposure: FX position accounts, in USD at mid
  jobs status | dead | requeue ID         the background job queue: counts, dead letters, requeue one
  healthcheck [URL]                       GET /healthz (for container health checks)
  version                                 print the version
`

// run is the whole program with its OS state injected, so tests can call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitCode(2)
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, args[1:], getenv, stdout)
	case "seed":
		return seed(ctx, args[1:], getenv, stdout)
	case "admin":
		return adminCmd(ctx, args[1:], getenv, stdout)
	case "ledger":
		return ledgerCmd(ctx, args[1:], getenv, stdout)
	case "jobs":
		return jobsCmd(ctx, args[1:], getenv, stdout)
	case "healthcheck":
		return healthcheck(ctx, args[1:], getenv, stdout)
	case "version":
		fmt.Fprintln(stdout, "bankapp", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
