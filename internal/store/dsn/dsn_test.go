package dsn

import "testing"

func TestParse(t *testing.T) {
	for _, tc := range []struct{ url, engine, path string }{
		{"", SQLite, ""},
		{"sqlite:/tmp/x.db", SQLite, "/tmp/x.db"},
		{"file:data/b.db", SQLite, "data/b.db"},
		{"postgres://u@h/db", Postgres, ""},
		{"postgresql://u@h/db", Postgres, ""},
		{"mysql://u@h/db", "", ""},
		{"postgres:/nohost", "", ""},
	} {
		e, p, err := Parse(tc.url)
		if e != tc.engine || p != tc.path || (err != nil) != (tc.engine == "") {
			t.Errorf("Parse(%q) = %q, %q, %v", tc.url, e, p, err)
		}
	}
}
