package mail_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/bankapp/bankapp/internal/mail"
)

// fakeSES speaks the SES API v2 (REST-JSON) SendEmail operation:
// POST /v2/email/outbound-emails with a JSON body, SigV4-signed for the
// service "ses"; 200 {"MessageId"} or an error named by X-Amzn-ErrorType.
type fakeSES struct {
	t *testing.T

	mu     sync.Mutex
	bodies []map[string]any
	fail   []sesFailure // one per request, in order; then success
}

type sesFailure struct {
	status int
	typ    string
	msg    string
}

func newFakeSES(t *testing.T) (*fakeSES, *httptest.Server) {
	f := &fakeSES{t: t}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeSES) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v2/email/outbound-emails" {
		f.error(w, sesFailure{404, "NotFoundException", "no route " + r.Method + " " + r.URL.Path})
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		f.error(w, sesFailure{400, "BadRequestException", "content type " + ct})
		return
	}
	if a := r.Header.Get("Authorization"); !strings.HasPrefix(a, "AWS4-HMAC-SHA256 Credential=AKIDTEST/") || !strings.Contains(a, "/eu-west-1/ses/aws4_request") {
		f.error(w, sesFailure{403, "UnrecognizedClientException", "bad signature " + a})
		return
	}
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		f.error(w, sesFailure{400, "BadRequestException", err.Error()})
		return
	}
	f.mu.Lock()
	f.bodies = append(f.bodies, body)
	var fail *sesFailure
	if len(f.fail) > 0 {
		fail = &f.fail[0]
		f.fail = f.fail[1:]
	}
	f.mu.Unlock()
	if fail != nil {
		f.error(w, *fail)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"MessageId": "0100018c-test"})
}

func (f *fakeSES) error(w http.ResponseWriter, e sesFailure) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", e.typ)
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(map[string]string{"message": e.msg})
}

func (f *fakeSES) requests() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.bodies...)
}

func sesSender(t *testing.T, endpoint, configSet string) mail.Sender {
	t.Helper()
	return newSender(t, mail.Config{Driver: "ses", Region: "eu-west-1", SESConfigurationSet: configSet,
		SESEndpointURL: endpoint, AWSCredentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", "")})
}

// at walks a decoded JSON body: at(body, "Content", "Simple", "Subject", "Data").
func at(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func TestSESSendsSimpleContentWithTheConfigurationSet(t *testing.T) {
	f, srv := newFakeSES(t)
	s := sesSender(t, srv.URL, "bankapp-prod")
	m := resetMessage(t, "jane@example.com", "k")
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	b := reqs[0]
	checks := []struct {
		path []string
		want any
	}{
		{[]string{"FromEmailAddress"}, "BankApp <no-reply@bank.example>"},
		{[]string{"ConfigurationSetName"}, "bankapp-prod"},
		{[]string{"Content", "Simple", "Subject", "Data"}, m.Subject},
		{[]string{"Content", "Simple", "Subject", "Charset"}, "UTF-8"},
		{[]string{"Content", "Simple", "Body", "Text", "Data"}, m.Text},
		{[]string{"Content", "Simple", "Body", "Text", "Charset"}, "UTF-8"},
		{[]string{"Content", "Simple", "Body", "Html", "Data"}, m.HTML},
	}
	for _, c := range checks {
		if got := at(b, c.path...); got != c.want {
			t.Errorf("%s = %v, want %v", strings.Join(c.path, "."), got, c.want)
		}
	}
	if to, _ := at(b, "Destination", "ToAddresses").([]any); len(to) != 1 || to[0] != "jane@example.com" {
		t.Errorf("Destination.ToAddresses = %v", at(b, "Destination", "ToAddresses"))
	}
	tags, _ := at(b, "EmailTags").([]any)
	if len(tags) != 1 || at(tags[0], "Name") != "kind" || at(tags[0], "Value") != "password_reset" {
		t.Errorf("EmailTags = %v", tags)
	}
}

func TestSESErrorsArePermanentOrTemporary(t *testing.T) {
	cases := []struct {
		fail      sesFailure
		permanent bool
	}{
		{sesFailure{400, "MessageRejected", "Email address is not verified: jane@example.com"}, true},
		{sesFailure{400, "MailFromDomainNotVerifiedException", "not verified"}, true},
		{sesFailure{404, "NotFoundException", "Configuration set <bankapp-prod> does not exist."}, true},
		{sesFailure{400, "SendingPausedException", "paused"}, true},
		{sesFailure{403, "AccessDeniedException", "not authorized to perform ses:SendEmail"}, true},
		{sesFailure{400, "LimitExceededException", "Daily message quota exceeded."}, false},
		{sesFailure{429, "TooManyRequestsException", "Maximum sending rate exceeded."}, false},
		{sesFailure{500, "InternalFailure", "oops"}, false},
		{sesFailure{503, "ServiceUnavailable", "later"}, false},
	}
	for _, c := range cases {
		f, srv := newFakeSES(t)
		f.fail = []sesFailure{c.fail}
		err := sesSender(t, srv.URL, "").Send(context.Background(), resetMessage(t, "jane@example.com", "k"))
		name := c.fail.typ
		// One request per attempt: retrying is the job queue's business.
		if n := len(f.requests()); n != 1 {
			t.Errorf("%s: %d requests, want 1", name, n)
		}
		var se *mail.SendError
		if !errors.As(err, &se) || se.Code != c.fail.status || mail.IsPermanent(err) != c.permanent {
			t.Errorf("%s: %v (code %d), want permanent=%v code %d", name, err, codeOf(se), c.permanent, c.fail.status)
			continue
		}
		if !strings.Contains(err.Error(), name) || strings.Contains(err.Error(), "jane@example.com") {
			t.Errorf("%s: error text %q", name, err)
		}
	}

	// A connection that fails is temporary.
	_, srv := newFakeSES(t)
	srv.Close()
	err := sesSender(t, srv.URL, "").Send(context.Background(), resetMessage(t, "jane@example.com", "k"))
	if err == nil || mail.IsPermanent(err) {
		t.Fatalf("SES unreachable: %v, want temporary", err)
	}
}

func codeOf(se *mail.SendError) int {
	if se == nil {
		return -1
	}
	return se.Code
}
