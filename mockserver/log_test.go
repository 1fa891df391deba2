package mockserver_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/mockserver"
)

// TestLogsNamePasswordsNever: one log line per request with function,
// method, outcome code, account and duration, and the HTTP status, key and
// reason when there are any; no password, query or body in any of them.
func TestLogsNamePasswordsNever(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := mockserver.NewWithContract(theContract(), mockserver.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{"whole-secret", "clerk-secret", "noplan-secret", "wr0ng-guess", "s3cret-line-pw", "line-secret", "private-note"}
	requests := []struct {
		method, target, body string
		want                 []string
	}{
		{"GET", "/api/json/phones/create/?" + wholesaleAuth + "&name=97100&password=s3cret-line-pw&description=private-note", "", []string{"function=phones/create method=GET code=204 account=whole duration="}},
		{"GET", "/api/json/phones/create/?auth_username=whole&auth_password=wr0ng-guess&name=97101&password=s3cret-line-pw", "", []string{"code=401"}},
		{"GET", "/api/json/phones/create/?" + clerkAuth + "&name=97101&password=s3cret-line-pw", "", []string{"code=402"}},
		{"GET", "/api/json/phones/create/?" + noPlanAuth + "&name=97101&password=s3cret-line-pw", "", []string{"code=403"}},
		{"POST", "/api/json/phones/create/", wholesaleAuth + "&name=97101&password=s3cret-line-pw&acr=abc", []string{"code=400 account=whole duration=", "key=acr reason="}},
		{"GET", "/api/json/phones/create/?" + adminAuth + "&name=97102&copy_password=" + ownLine + "&validation=1", "", []string{"code=201"}},
		{"GET", "/api/json/phones/get/?" + wholesaleAuth + "&name=97100&password=1", "", []string{"function=phones/get method=GET code=200 account=whole"}},
		{"GET", "/api/json/phones/delete/?" + wholesaleAuth + "&name=97100", "", []string{"function=phones/delete method=GET code=204 account=whole"}},
		{"GET", "/api/json/phones/create/?" + adminAuth + "&name=%zz&password=s3cret-line-pw", "", []string{"code=400 duration=", "status=400 reason="}},
	}
	for _, r := range requests {
		buf.Reset()
		serve(t, s, r.method, r.target, r.body)
		got := buf.String()
		if n := strings.Count(got, "\n"); n != 1 {
			t.Errorf("%s %s logged %d lines; want 1:\n%s", r.method, r.target, n, got)
		}
		for _, want := range append(r.want, "duration=") {
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
