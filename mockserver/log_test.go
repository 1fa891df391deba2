package mockserver_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/mockserver"
)

// TestLogsNamePasswordsNever: one log line per request with function,
// outcome code, key and duration; no password, query or body in any of them.
func TestLogsNamePasswordsNever(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := mockserver.NewWithContract(theContract(), mockserver.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{"whole-secret", "clerk-secret", "noplan-secret", "wr0ng-guess", "s3cret-line-pw", "line-secret", "private-note"}
	requests := []struct{ method, target, body, want string }{
		{"GET", "/api/json/phones/create/?" + wholesaleAuth + "&name=97100&password=s3cret-line-pw&description=private-note", "", "function=phones/create method=GET status=200 code=204 key=\"\""},
		{"GET", "/api/json/phones/create/?auth_username=whole&auth_password=wr0ng-guess&name=97101&password=s3cret-line-pw", "", "code=401"},
		{"GET", "/api/json/phones/create/?" + clerkAuth + "&name=97101&password=s3cret-line-pw", "", "code=402"},
		{"GET", "/api/json/phones/create/?" + noPlanAuth + "&name=97101&password=s3cret-line-pw", "", "code=403"},
		{"POST", "/api/json/phones/create/", wholesaleAuth + "&name=97101&password=s3cret-line-pw&acr=abc", "code=400 key=acr"},
		{"GET", "/api/json/phones/create/?" + adminAuth + "&name=97102&copy_password=" + ownLine + "&validation=1", "", "code=201"},
		{"GET", "/api/json/phones/get/?" + wholesaleAuth + "&name=97100&password=1", "", "function=phones/get method=GET status=200 code=200"},
		{"GET", "/api/json/phones/delete/?" + wholesaleAuth + "&name=97100", "", "function=phones/delete method=GET status=200 code=204"},
		{"GET", "/api/json/phones/create/?" + adminAuth + "&name=%zz&password=s3cret-line-pw", "", "status=400 code=400"},
	}
	for _, r := range requests {
		buf.Reset()
		serve(t, s, r.method, r.target, r.body)
		got := buf.String()
		if n := strings.Count(got, "\n"); n != 1 {
			t.Errorf("%s %s logged %d lines; want 1:\n%s", r.method, r.target, n, got)
		}
		for _, want := range []string{r.want, "duration="} {
			if !strings.Contains(got, want) {
				t.Errorf("log %q lacks %q", got, want)
			}
		}
		for _, secret := range secrets {
			if strings.Contains(got, secret) {
				t.Errorf("log %q contains the secret %q", got, secret)
			}
		}
	}
}
