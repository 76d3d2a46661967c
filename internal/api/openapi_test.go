package api_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/bankapp/bankapp/internal/api"
)

// pendingRoutes are operations that openapi.json documents (API.md is the
// contract) but routes.go does not serve yet. Delete an entry when its
// endpoint lands; TestOpenAPIRoutes then insists that it is routed.
var pendingRoutes = []string{}

// spec is the parsed document and a router over it, built once: the
// document is embedded and never changes while the tests run.
var spec = sync.OnceValues(func() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
	if err != nil {
		return nil, err
	}
	return doc, doc.Validate(context.Background())
})

var specRouter = sync.OnceValues(func() (routers.Router, error) {
	doc, err := spec()
	if err != nil {
		return nil, err
	}
	// The router matches servers against the request URL; the document's
	// only server is "/", so route on paths alone.
	c := *doc
	c.Servers = nil
	return legacy.NewRouter(&c)
})

func loadSpec(t testing.TB) *openapi3.T {
	t.Helper()
	doc, err := spec()
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return doc
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc := loadSpec(t)
	if !doc.IsOpenAPI31OrLater() || doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	if doc.Components.SecuritySchemes["bearerAuth"] == nil || doc.Components.SecuritySchemes["refreshCookie"] == nil {
		t.Fatal("security schemes bearerAuth and refreshCookie must be declared")
	}
	if c := doc.Components.SecuritySchemes["refreshCookie"].Value; c.In != "cookie" || c.Name != api.RefreshCookie {
		t.Fatalf("refreshCookie = %s %s", c.In, c.Name)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			name := method + " " + path
			if op.OperationID == "" || op.Summary == "" {
				t.Errorf("%s: needs an operationId and a summary", name)
			}
			checkOperation(t, name, op)
		}
	}
	checkCodesHaveOneStatus(t, doc)
	for name, s := range doc.Components.Schemas {
		if strings.HasSuffix(name, "Request") && (s.Value.AdditionalProperties.Has == nil || *s.Value.AdditionalProperties.Has) {
			t.Errorf("schema %s: request bodies must set additionalProperties: false (unknown fields are refused)", name)
		}
	}
}

// checkCodesHaveOneStatus: one error code, one HTTP status, across the whole
// document (errors.go maps codes to statuses in one table). invalid_totp is
// the documented exception: 401 at login, 422 at /me/2fa/enable.
func checkCodesHaveOneStatus(t *testing.T, doc *openapi3.T) {
	t.Helper()
	statuses := map[string]map[string]bool{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for st, ref := range op.Responses.Map() {
				mt := ref.Value.Content.Get("application/problem+json")
				if mt == nil || mt.Schema == nil || mt.Schema.Value.Properties["code"] == nil {
					continue
				}
				for _, c := range mt.Schema.Value.Properties["code"].Value.Enum {
					code := c.(string)
					if statuses[code] == nil {
						statuses[code] = map[string]bool{}
					}
					statuses[code][st] = true
				}
			}
		}
	}
	if len(statuses) < 30 {
		t.Fatalf("only %d error codes documented", len(statuses))
	}
	for code, sts := range statuses {
		if len(sts) > 1 && !(code == "invalid_totp" && len(sts) == 2 && sts["401"] && sts["422"]) {
			t.Errorf("code %s is documented with several statuses: %v", code, sts)
		}
	}
}

// checkOperation enforces the conventions of API.md on one operation.
func checkOperation(t *testing.T, name string, op *openapi3.Operation) {
	t.Helper()
	public := op.Security != nil && (len(*op.Security) == 0 || slices.ContainsFunc(*op.Security, func(r openapi3.SecurityRequirement) bool { return len(r) == 0 }))
	authed := !public && !strings.HasPrefix(name, "POST /api/v1/auth/")
	if authed && op.Responses.Status(401) == nil {
		t.Errorf("%s: an authenticated operation must document 401", name)
	}
	if authed && op.Responses.Status(429) == nil {
		t.Errorf("%s: an authenticated operation must document 429 (per-user rate limit)", name)
	}
	if op.Responses.Status(500) == nil {
		t.Errorf("%s: must document 500 internal", name)
	}
	if strings.Contains(name, "/admin/") && op.Responses.Status(403) == nil {
		t.Errorf("%s: admin operations must document 403 forbidden", name)
	}
	if op.RequestBody != nil {
		for _, st := range []int{400, 413, 415} {
			if op.Responses.Status(st) == nil {
				t.Errorf("%s: an operation with a body must document %d", name, st)
			}
		}
	}
	moneyMoving := slices.Contains([]string{"POST /api/v1/deposits", "POST /api/v1/withdrawals", "POST /api/v1/transfers", "POST /api/v1/orders", "POST /api/v1/fx/exchanges"}, name)
	hasKey := false
	for _, p := range op.Parameters {
		if p.Value.In == "header" && p.Value.Name == "Idempotency-Key" {
			hasKey = p.Value.Required
		}
		if p.Value.In == "query" && (p.Value.Name == "limit" || p.Value.Name == "cursor") && op.Responses.Status(422) == nil {
			t.Errorf("%s: a paginated operation must document 422 invalid_parameter", name)
		}
	}
	if hasKey != moneyMoving {
		t.Errorf("%s: Idempotency-Key required = %v, want %v", name, hasKey, moneyMoving)
	}
	for code, ref := range op.Responses.Map() {
		r := ref.Value
		if r.Headers["X-Request-Id"] == nil {
			t.Errorf("%s %s: every response carries X-Request-Id", name, code)
		}
		if code == "429" && r.Headers["Retry-After"] == nil {
			t.Errorf("%s 429: must carry Retry-After", name)
		}
		if code[0] >= '4' && r.Content.Get("application/problem+json") == nil && !(name == "GET /readyz" && code == "503") {
			t.Errorf("%s %s: errors are application/problem+json", name, code)
		}
	}
}

// routePattern finds "METHOD /path" patterns registered on a ServeMux.
var routePattern = regexp.MustCompile(`\b\w+\.Handle(?:Func)?\(\s*"([A-Z]+) (/[^"]*)"`)

// routedOperations parses the package's Go files (routes.go, routes_*.go,
// and any file with a xxxRoutes(mux) helper) for registered patterns.
func routedOperations(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files: %v", err)
	}
	ops := map[string]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range routePattern.FindAllStringSubmatch(string(src), -1) {
			ops[normalizeOp(m[1]+" "+m[2])] = m[1] + " " + m[2] + " (" + f + ")"
		}
	}
	return ops
}

var pathParam = regexp.MustCompile(`\{[^}]*\}`)

// normalizeOp makes "GET /a/{id}" and "GET /a/{account_id}" compare equal.
func normalizeOp(op string) string { return pathParam.ReplaceAllString(op, "{}") }

func TestOpenAPIRoutes(t *testing.T) {
	doc := loadSpec(t)
	routed := routedOperations(t)
	if len(routed) < 20 {
		t.Fatalf("found only %d routes; is the pattern still mux.Handle(\"METHOD /path\", …)?", len(routed))
	}
	documented := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[normalizeOp(method+" "+path)] = method + " " + path
		}
	}
	pending := map[string]bool{}
	for _, p := range pendingRoutes {
		n := normalizeOp(p)
		pending[n] = true
		if _, ok := documented[n]; !ok {
			t.Errorf("pendingRoutes lists %q, which openapi.json does not document", p)
		}
	}
	for n, where := range routed {
		if _, ok := documented[n]; !ok {
			t.Errorf("route %s is not documented in openapi.json", where)
		}
		if pending[n] {
			t.Logf("route %s is served now: delete it from pendingRoutes", where)
		}
	}
	var waiting []string
	for n, op := range documented {
		if _, ok := routed[n]; ok {
			continue
		}
		if pending[n] {
			waiting = append(waiting, op)
			continue
		}
		t.Errorf("openapi.json documents %s, but no route serves it", op)
	}
	slices.Sort(waiting)
	for _, op := range waiting {
		t.Logf("pending (documented, not routed yet): %s", op)
	}
}

func TestOpenAPIServed(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		r := validated(t, e, req{Method: "GET", Path: "/api/openapi.json"})
		expect(t, r, http.StatusOK, "")
		if !bytes.Equal(r.Body, api.OpenAPI) {
			t.Fatal("the served document differs from internal/api/openapi.json")
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Fatalf("content-type %q", ct)
		}
	})
}

// validated makes the request and checks the response against openapi.json:
// the operation must be documented, and the status, headers and body must
// match it. Every problem document is also scanned for leaked internals.
func validated(t testing.TB, e *env, q req) response {
	t.Helper()
	r := e.do(q)
	checkResponse(t, q, r)
	return r
}

// checkResponse validates a response the test already has.
func checkResponse(t testing.TB, q req, r response) {
	t.Helper()
	checkNoLeak(t, r)
	router, err := specRouter()
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	hr, err := http.NewRequest(q.Method, "http://bankapp.test"+q.Path, nil)
	if err != nil {
		t.Fatal(err)
	}
	route, params, err := router.FindRoute(hr)
	if err != nil {
		t.Errorf("openapi.json has no operation for %s %s: %v", q.Method, q.Path, err)
		return
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.Contains(ct, "json") {
		// Files (CSV, PDF, metrics text): check the media type is documented,
		// not the bytes.
		opts.ExcludeResponseBody = true
		if resp := route.Operation.Responses.Status(r.Status); resp != nil && resp.Value.Content.Get(ct) == nil {
			t.Errorf("%s %s: %d answered with undocumented Content-Type %q", q.Method, q.Path, r.Status, ct)
		}
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: hr, PathParams: params, Route: route},
		Status:                 r.Status,
		Header:                 r.Header,
		Body:                   io.NopCloser(bytes.NewReader(r.Body)),
		Options:                opts,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s → %d does not match openapi.json: %v\nbody: %s", q.Method, q.Path, r.Status, err, truncateBody(r.Body))
	}
}

// leaks are fragments that must never reach a client: SQL, driver errors,
// file paths, stack traces and Go type names.
var leaks = regexp.MustCompile(`(?i)\b(select|insert into|update \w+ set|delete from|where \w+ =|sqlstate|sqlite|pgx|pq:|sql:|constraint|duplicate key|syntax error at)\b` +
	`|goroutine|panic|runtime error|\.go:\d|/(home|root|usr|tmp|internal|src)/|\bjson: |\*?\b(api|store|auth|ledger|bank|market|invest|http|sql|json)\.[A-Z]\w*|map\[|\[\]\w|struct \{|0x[0-9a-f]{6,}`)

func checkNoLeak(t testing.TB, r response) {
	t.Helper()
	if !strings.Contains(r.Header.Get("Content-Type"), "problem+json") {
		return
	}
	if m := leaks.Find(r.Body); m != nil {
		t.Errorf("problem document leaks %q: %s", m, r.Body)
	}
}

func truncateBody(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// TestOpenAPIContractTour calls every routed operation with typical
// successes and errors, so that openapi.json is checked against what the
// server really answers (validated fails on any difference).
func TestOpenAPIContractTour(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		a, b := e.signUp("Tour"), e.signUp("Peer")
		do := func(method, path, token string, body any, hdr ...string) response {
			t.Helper()
			h := map[string]string{}
			for i := 0; i+1 < len(hdr); i += 2 {
				h[hdr[i]] = hdr[i+1]
			}
			return validated(t, e, req{Method: method, Path: path, Token: token, Body: body, Headers: h})
		}
		field := func(r response, obj, name string) string {
			t.Helper()
			v, _ := r.JSON(t)[obj].(map[string]any)[name].(string)
			return v
		}
		accts := do("GET", "/api/v1/accounts", a.Token, nil)
		expect(t, accts, http.StatusOK, "")
		checking := accts.JSON(t)["items"].([]any)[0].(map[string]any)["id"].(string)
		peerAcct := do("GET", "/api/v1/accounts", b.Token, nil).JSON(t)["items"].([]any)[0].(map[string]any)
		peerNumber := peerAcct["number"].(string)

		r := do("POST", "/api/v1/accounts", a.Token, map[string]string{"type": "brokerage", "name": "Stocks"})
		expect(t, r, http.StatusCreated, "")
		brokerage := field(r, "account", "id")
		r = do("POST", "/api/v1/accounts", a.Token, map[string]string{"type": "savings", "currency": "EUR"})
		expect(t, r, http.StatusCreated, "")
		euro := field(r, "account", "id")
		expect(t, do("POST", "/api/v1/accounts", a.Token, map[string]string{"type": "loan"}), http.StatusUnprocessableEntity, "validation_failed")
		expect(t, do("GET", "/api/v1/accounts/"+checking, a.Token, nil), http.StatusOK, "")
		expect(t, do("GET", "/api/v1/accounts/"+checking, b.Token, nil), http.StatusNotFound, "not_found")
		expect(t, do("PATCH", "/api/v1/accounts/"+checking, a.Token, map[string]string{"name": "Everyday"}), http.StatusOK, "")

		key := "tour-deposit-1"
		dep := map[string]any{"account_id": checking, "amount": "500", "description": "paycheck"}
		r = do("POST", "/api/v1/deposits", a.Token, dep, "Idempotency-Key", key)
		expect(t, r, http.StatusCreated, "")
		r = do("POST", "/api/v1/deposits", a.Token, dep, "Idempotency-Key", key)
		expect(t, r, http.StatusCreated, "")
		if r.Header.Get("Idempotent-Replayed") != "true" {
			t.Error("a replay must say Idempotent-Replayed: true")
		}
		expect(t, do("POST", "/api/v1/deposits", a.Token, map[string]any{"account_id": checking, "amount": "501"}, "Idempotency-Key", key), http.StatusUnprocessableEntity, "idempotency_key_reused")
		expect(t, do("POST", "/api/v1/deposits", a.Token, dep), http.StatusBadRequest, "idempotency_key_required")
		expect(t, do("POST", "/api/v1/deposits", a.Token, map[string]any{"account_id": checking, "amount": "1.234"}, "Idempotency-Key", "tour-d2"), http.StatusUnprocessableEntity, "invalid_amount")
		expect(t, do("POST", "/api/v1/deposits", a.Token, map[string]any{"account_id": checking, "amount": 5}, "Idempotency-Key", "tour-d3"), http.StatusUnprocessableEntity, "invalid_amount")
		expect(t, do("POST", "/api/v1/deposits", a.Token, map[string]any{"account_id": checking, "amount": "10000.01"}, "Idempotency-Key", "tour-d4"), http.StatusUnprocessableEntity, "limit_exceeded")
		expect(t, do("POST", "/api/v1/deposits", b.Token, map[string]any{"account_id": checking, "amount": "1"}, "Idempotency-Key", "tour-d5"), http.StatusNotFound, "not_found")

		r = do("POST", "/api/v1/withdrawals", a.Token, map[string]any{"account_id": checking, "amount": "20.05"}, "Idempotency-Key", "tour-w1")
		expect(t, r, http.StatusCreated, "")
		expect(t, do("POST", "/api/v1/withdrawals", a.Token, map[string]any{"account_id": checking, "amount": "99999"}, "Idempotency-Key", "tour-w2"), http.StatusUnprocessableEntity, "insufficient_funds")

		r = do("POST", "/api/v1/transfers", a.Token, map[string]any{"from_account_id": checking, "to_account_number": peerNumber, "amount": "12.5", "description": "lunch"}, "Idempotency-Key", "tour-t1")
		expect(t, r, http.StatusCreated, "")
		transferID := field(r, "transfer", "id")
		if r.JSON(t)["transfer"].(map[string]any)["to_account_id"] != nil {
			t.Error("the sender must not learn the recipient's account id")
		}
		ownNumber := do("GET", "/api/v1/accounts/"+checking, a.Token, nil)
		expect(t, do("POST", "/api/v1/transfers", a.Token, map[string]any{"from_account_id": checking, "to_account_number": field(ownNumber, "account", "number"), "amount": "1"}, "Idempotency-Key", "tour-t2"), http.StatusUnprocessableEntity, "same_account")
		expect(t, do("POST", "/api/v1/transfers", a.Token, map[string]any{"from_account_id": euro, "to_account_number": peerNumber, "amount": "1"}, "Idempotency-Key", "tour-t3"), http.StatusUnprocessableEntity, "currency_mismatch")
		expect(t, do("POST", "/api/v1/transfers", a.Token, map[string]any{"from_account_id": checking, "to_account_number": peerNumber, "amount": "9000"}, "Idempotency-Key", "tour-t6"), http.StatusUnprocessableEntity, "insufficient_funds")
		expect(t, do("POST", "/api/v1/transfers", a.Token, map[string]any{"from_account_id": checking, "to_account_number": "000000000000", "amount": "1"}, "Idempotency-Key", "tour-t4"), http.StatusUnprocessableEntity, "recipient_not_found")
		expect(t, do("GET", "/api/v1/transfers?limit=2", a.Token, nil), http.StatusOK, "")
		expect(t, do("GET", "/api/v1/transfers?limit=0", a.Token, nil), http.StatusUnprocessableEntity, "invalid_parameter")
		expect(t, do("GET", "/api/v1/transfers/"+transferID, a.Token, nil), http.StatusOK, "")
		expect(t, do("GET", "/api/v1/transfers/"+transferID, b.Token, nil), http.StatusOK, "")
		outsider := e.signUp("Outsider")
		expect(t, do("GET", "/api/v1/transfers/"+transferID, outsider.Token, nil), http.StatusNotFound, "not_found")

		base := "/api/v1/accounts/" + checking
		expect(t, do("GET", base+"/transactions?limit=2&type=deposit&q=pay", a.Token, nil), http.StatusOK, "")
		expect(t, do("GET", base+"/transactions?from=2026-01-01&to=2025-01-01", a.Token, nil), http.StatusUnprocessableEntity, "invalid_parameter")
		r = do("GET", base+"/transactions.csv", a.Token, nil)
		expect(t, r, http.StatusOK, "")
		month := e.clock.Now().UTC().Format("2006-01")
		expect(t, do("GET", base+"/statements/"+month+"?format=csv", a.Token, nil), http.StatusOK, "")
		expect(t, do("GET", base+"/statements/"+month, a.Token, nil), http.StatusOK, "")
		expect(t, do("GET", base+"/statements/1999-01", a.Token, nil), http.StatusNotFound, "not_found")
		expect(t, do("GET", base+"/statements/"+month+"?format=doc", a.Token, nil), http.StatusUnprocessableEntity, "invalid_parameter")

		r = do("POST", "/api/v1/payees", a.Token, map[string]string{"name": "Peer", "account_number": peerNumber})
		expect(t, r, http.StatusCreated, "")
		payee := field(r, "payee", "id")
		expect(t, do("POST", "/api/v1/payees", a.Token, map[string]string{"name": "Bad", "account_number": "123"}), http.StatusUnprocessableEntity, "validation_failed")
		expect(t, do("GET", "/api/v1/payees", a.Token, nil), http.StatusOK, "")
		expect(t, do("DELETE", "/api/v1/payees/"+payee, b.Token, nil), http.StatusNotFound, "not_found")
		expect(t, do("DELETE", "/api/v1/payees/"+payee, a.Token, nil), http.StatusNoContent, "")

		expect(t, do("GET", "/api/v1/market/search?q=app", a.Token, nil), http.StatusOK, "")
		expect(t, do("GET", "/api/v1/market/quotes?symbols=AAPL,BTC-USD", a.Token, nil), http.StatusOK, "")
		expect(t, do("GET", "/api/v1/market/quotes?symbols=NOSUCHSYM", a.Token, nil), http.StatusNotFound, "not_found")
		expect(t, do("GET", "/api/v1/market/quotes", a.Token, nil), http.StatusUnprocessableEntity, "invalid_parameter")
		expect(t, do("GET", "/api/v1/market/history/AAPL?range=5d", a.Token, nil), http.StatusOK, "")
		expect(t, do("GET", "/api/v1/market/history/AAPL?range=2w", a.Token, nil), http.StatusUnprocessableEntity, "invalid_parameter")

		expect(t, do("POST", "/api/v1/transfers", a.Token, map[string]any{"from_account_id": checking, "to_account_number": field(do("GET", "/api/v1/accounts/"+brokerage, a.Token, nil), "account", "number"), "amount": "300"}, "Idempotency-Key", "tour-t5"), http.StatusCreated, "")
		r = do("POST", "/api/v1/orders", a.Token, map[string]any{"account_id": brokerage, "symbol": "AAPL", "side": "buy", "quantity": "0.5"}, "Idempotency-Key", "tour-o1")
		expect(t, r, http.StatusCreated, "")
		expect(t, do("POST", "/api/v1/orders", a.Token, map[string]any{"account_id": brokerage, "symbol": "BTC-USD", "side": "buy", "notional": "25"}, "Idempotency-Key", "tour-o2"), http.StatusCreated, "")
		expect(t, do("POST", "/api/v1/orders", a.Token, map[string]any{"account_id": brokerage, "symbol": "AAPL", "side": "sell", "quantity": "100"}, "Idempotency-Key", "tour-o3"), http.StatusUnprocessableEntity, "insufficient_holdings")
		expect(t, do("POST", "/api/v1/orders", a.Token, map[string]any{"account_id": brokerage, "symbol": "AAPL", "side": "buy", "quantity": "-1"}, "Idempotency-Key", "tour-o4"), http.StatusUnprocessableEntity, "invalid_quantity")
		expect(t, do("POST", "/api/v1/orders", a.Token, map[string]any{"account_id": brokerage, "symbol": "AAPL", "side": "buy"}, "Idempotency-Key", "tour-o5"), http.StatusUnprocessableEntity, "validation_failed")
		expect(t, do("GET", "/api/v1/orders?limit=1", a.Token, nil), http.StatusOK, "")
		expect(t, do("GET", "/api/v1/portfolio", a.Token, nil), http.StatusOK, "")
		expect(t, do("GET", "/api/v1/portfolio?account_id="+checking, a.Token, nil), http.StatusUnprocessableEntity, "invalid_parameter")
		expect(t, do("GET", "/api/v1/portfolio/history?range=1mo", a.Token, nil), http.StatusOK, "")
		expect(t, do("PUT", "/api/v1/watchlist/AAPL", a.Token, nil), http.StatusNoContent, "")
		expect(t, do("PUT", "/api/v1/watchlist/NOSUCHSYM", a.Token, nil), http.StatusNotFound, "not_found")
		expect(t, do("GET", "/api/v1/watchlist", a.Token, nil), http.StatusOK, "")
		expect(t, do("DELETE", "/api/v1/watchlist/AAPL", a.Token, nil), http.StatusNoContent, "")
		expect(t, do("DELETE", "/api/v1/watchlist/AAPL", a.Token, nil), http.StatusNotFound, "not_found")

		// A frozen account can receive but not send; admin views.
		admin := e.signUp("TourAdmin")
		setRole(t, e, admin.ID, "admin")
		expect(t, do("POST", "/api/v1/admin/accounts/"+checking+"/freeze", admin.Token, nil), http.StatusOK, "")
		expect(t, do("POST", "/api/v1/withdrawals", a.Token, map[string]any{"account_id": checking, "amount": "1"}, "Idempotency-Key", "tour-w3"), http.StatusLocked, "account_frozen")
		expect(t, do("POST", "/api/v1/deposits", a.Token, map[string]any{"account_id": checking, "amount": "1"}, "Idempotency-Key", "tour-d6"), http.StatusCreated, "")
		expect(t, do("DELETE", "/api/v1/accounts/"+checking, a.Token, nil), http.StatusConflict, "balance_not_zero")
		expect(t, do("POST", "/api/v1/admin/accounts/"+checking+"/unfreeze", admin.Token, nil), http.StatusOK, "")
		expect(t, do("DELETE", "/api/v1/accounts/"+euro, a.Token, nil), http.StatusOK, "")
		expect(t, do("DELETE", "/api/v1/accounts/"+euro, a.Token, nil), http.StatusOK, "")
		expect(t, do("GET", "/api/v1/admin/users?q=tour", admin.Token, nil), http.StatusOK, "")
		expect(t, do("GET", "/api/v1/admin/audit?limit=5", admin.Token, nil), http.StatusOK, "")
		expect(t, do("GET", "/api/v1/admin/ledger/verify", admin.Token, nil), http.StatusOK, "")
	})
}
