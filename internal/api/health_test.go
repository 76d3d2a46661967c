package api_test

import (
	"net/http"
	"testing"

	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// TestReadyzToleratesMissedPings: once ready, an instance stays ready
// through two failed database pings and answers 503 from the third in a
// row; an instance that has never been ready fails at once.
func TestReadyzToleratesMissedPings(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	status := func() (int, any) {
		r := e.do(req{Method: "GET", Path: "/readyz"})
		return r.Status, r.JSON(t)["status"]
	}
	if code, st := status(); code != http.StatusOK || st != "ready" {
		t.Fatalf("readyz = %d %v", code, st)
	}
	_ = e.db.Close() // every ping fails from now on
	for i, want := range []int{http.StatusOK, http.StatusOK, http.StatusServiceUnavailable, http.StatusServiceUnavailable} {
		if code, st := status(); code != want {
			t.Fatalf("failed ping %d: readyz = %d %v, want %d", i+1, code, st, want)
		}
	}

	fresh := newEnv(t, storetest.Open(t, store.SQLite))
	_ = fresh.db.Close()
	if r := fresh.do(req{Method: "GET", Path: "/readyz"}); r.Status != http.StatusServiceUnavailable {
		t.Fatalf("never ready, database down: readyz = %d %s", r.Status, r.Body)
	}
}
