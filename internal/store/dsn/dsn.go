// Package dsn is the one rule for DATABASE_URL, shared by config (which
// validates it at start-up) and store (which opens it).
package dsn

import (
	"errors"
	"strings"
)

// Engines a URL can name.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// ErrScheme is a URL that names neither engine.
var ErrScheme = errors.New("must be a postgres:// (or postgresql://) URL, sqlite:PATH or file:PATH, or unset for SQLite in the data dir")

// Parse names the engine of a database URL: "" (SQLite in the data dir),
// sqlite:PATH or file:PATH (SQLite at PATH) or postgres:// / postgresql://.
// For SQLite it also returns the file path ("" = the data dir's default).
func Parse(url string) (engine, path string, err error) {
	switch {
	case url == "":
		return SQLite, "", nil
	case strings.HasPrefix(url, "sqlite:"):
		return SQLite, strings.TrimPrefix(url, "sqlite:"), nil
	case strings.HasPrefix(url, "file:"):
		return SQLite, strings.TrimPrefix(url, "file:"), nil
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return Postgres, "", nil
	}
	return "", "", ErrScheme
}
