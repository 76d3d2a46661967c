package awsconfig_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakeAWS speaks the awsJson1_1 protocol of Secrets Manager and SSM: POST /,
// X-Amz-Target names the operation, JSON in and out, SigV4-signed.
type fakeAWS struct {
	t        *testing.T
	secrets  map[string]string // secret id -> SecretString (AWSCURRENT)
	staged   map[string]string // secret id + "/" + stage -> SecretString of other staging labels
	params   []param           // in listing order
	pageSize int

	mu    sync.Mutex
	calls []call
}

type param struct{ Name, Value, Type string }

type call struct {
	Target string
	Body   map[string]any
}

func newFakeAWS(t *testing.T) (*fakeAWS, *httptest.Server) {
	f := &fakeAWS{t: t, secrets: map[string]string{}, staged: map[string]string{}, pageSize: 10}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		http.Error(w, "bad request line", http.StatusBadRequest)
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		f.fail(w, 400, "SerializationException", "content type "+ct)
		return
	}
	if auth := r.Header.Get("Authorization"); !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKIDTEST/") {
		f.fail(w, 403, "UnrecognizedClientException", "unsigned request")
		return
	}
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		f.fail(w, 400, "SerializationException", err.Error())
		return
	}
	target := r.Header.Get("X-Amz-Target")
	f.mu.Lock()
	f.calls = append(f.calls, call{Target: target, Body: body})
	f.mu.Unlock()
	switch target {
	case "secretsmanager.GetSecretValue":
		id, _ := body["SecretId"].(string)
		s, ok := f.secrets[id]
		if stage, _ := body["VersionStage"].(string); stage != "" && stage != "AWSCURRENT" {
			s, ok = f.staged[id+"/"+stage]
		}
		if !ok {
			f.fail(w, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
			return
		}
		f.reply(w, map[string]any{"ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + id, "Name": id, "SecretString": s, "VersionId": "v1"})
	case "AmazonSSM.GetParametersByPath":
		f.listParameters(w, body)
	default:
		f.fail(w, 400, "UnknownOperationException", target)
	}
}

func (f *fakeAWS) listParameters(w http.ResponseWriter, body map[string]any) {
	p, _ := body["Path"].(string)
	start := 0
	if tok, ok := body["NextToken"].(string); ok {
		fmt.Sscanf(tok, "page-%d", &start)
	}
	var match []param
	f.mu.Lock()
	params := f.params
	f.mu.Unlock()
	for _, prm := range params {
		if strings.HasPrefix(prm.Name, p+"/") {
			match = append(match, prm)
		}
	}
	end := min(start+f.pageSize, len(match))
	out := map[string]any{"Parameters": []map[string]any{}}
	var page []map[string]any
	for _, prm := range match[start:end] {
		v := prm.Value
		if prm.Type == "SecureString" && body["WithDecryption"] != true {
			v = "ciphertext"
		}
		page = append(page, map[string]any{"Name": prm.Name, "Value": v, "Type": prm.Type, "Version": 1})
	}
	if page != nil {
		out["Parameters"] = page
	}
	if end < len(match) {
		out["NextToken"] = fmt.Sprintf("page-%d", end)
	}
	f.reply(w, out)
}

func (f *fakeAWS) reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		f.t.Error(err)
	}
}

func (f *fakeAWS) fail(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-ErrorType", typ)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": typ, "message": msg})
}

func (f *fakeAWS) targets() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, len(f.calls))
	for i, c := range f.calls {
		out[i] = c.Target
	}
	return out
}

// setParams replaces the parameters while requests may be under way.
func (f *fakeAWS) setParams(p []param) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.params = p
}
