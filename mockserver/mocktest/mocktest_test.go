package mocktest_test

import (
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/mockserver"
	"github.com/enswitch-kit/phones/mockserver/admin"
	"github.com/enswitch-kit/phones/mockserver/mocktest"
)

// recorder is a testing.TB that keeps what Errorf reports instead of
// failing the test.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// TestVerifyFailsWithNearMisses: a verify that finds too few requests
// fails the test, and the failure names the count and what differs in the
// nearest requests.
func TestVerifyFailsWithNearMisses(t *testing.T) {
	mock := mocktest.Start(t, mockserver.Options{})
	res, err := http.Get(mock.URL + "/api/json/phones/create/?auth_username=user&auth_password=password&name=4711&password=x&ringtime=30")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	rec := &recorder{TB: t}
	verdict := mock.Verify(rec, admin.Verification{Pattern: admin.Pattern{Function: "phones/create", Params: map[string]string{"ringtime": "20"}}})
	if verdict.Matched || len(rec.errors) != 1 {
		t.Fatalf("Verify = %+v, errors %q; want no match and one error", verdict, rec.errors)
	}
	for _, want := range []string{"want at least 1 request(s) matching", `"ringtime":"20"`, "; 0 matched", "request 1: GET phones/create, code 204", `params.ringtime: want "20", got "30"`} {
		if !strings.Contains(rec.errors[0], want) {
			t.Errorf("failure %q lacks %q", rec.errors[0], want)
		}
	}
	if strings.Contains(rec.errors[0], "password=password") || strings.Contains(rec.errors[0], `"password"`) {
		t.Errorf("failure %q shows a password", rec.errors[0])
	}
	rec.errors = nil
	if v := mock.Verify(rec, admin.Verification{Pattern: admin.Pattern{Function: "phones/create"}}); !v.Matched || len(rec.errors) != 0 {
		t.Errorf("Verify of the create = %+v, errors %q; want a match and none", v, rec.errors)
	}
}

// TestResetAndRequests: Reset restores the fixtures' lines; Requests
// filters the journal.
func TestResetAndRequests(t *testing.T) {
	mock := mocktest.Start(t, mockserver.Options{JournalSize: new(10)})
	for _, q := range []string{"phones/create/?auth_username=user&auth_password=password&name=4711&password=x", "phones/get/?auth_username=user&auth_password=password&name=4711"} {
		res, err := http.Get(mock.URL + "/api/json/" + q)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	if got := mock.Requests(t, nil); len(got) != 2 || got[1].Function != "phones/get" || got[1].Code != "200" {
		t.Errorf("Requests = %+v; want the create then the get", got)
	}
	mock.Reset(t)
	res, err := http.Get(mock.URL + "/api/json/phones/get/?auth_username=user&auth_password=password&name=4711")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := mock.Requests(t, map[string][]string{"code": {"404"}}); len(got) != 1 {
		t.Errorf("Requests(code=404) after Reset = %+v; want the get of the line Reset removed", got)
	}
}

// fatalRecorder is a recorder whose Fatalf ends the calling goroutine, as
// testing.TB's does, keeping the message.
type fatalRecorder struct {
	recorder
}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
	runtime.Goexit()
}

// TestCountHelpers: Exactly, AtLeast and AtMost verify the number of
// matching requests, and a miss names the count wanted.
func TestCountHelpers(t *testing.T) {
	mock := mocktest.Start(t, mockserver.Options{})
	for _, name := range []string{"4711", "4712"} {
		res, err := http.Get(mock.URL + "/api/json/phones/create/?auth_username=user&auth_password=password&password=x&name=" + name)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	creates := admin.Pattern{Function: "phones/create"}
	cases := []struct {
		count   *admin.Count
		matched bool
		text    string
	}{
		{mocktest.Exactly(2), true, ""},
		{mocktest.Exactly(1), false, "want exactly 1 request(s)"},
		{mocktest.AtLeast(2), true, ""},
		{mocktest.AtLeast(3), false, "want at least 3 request(s)"},
		{mocktest.AtMost(2), true, ""},
		{mocktest.AtMost(0), false, "want at most 0 request(s)"},
	}
	for _, tc := range cases {
		rec := &recorder{TB: t}
		verdict := mock.Verify(rec, admin.Verification{Pattern: creates, Count: tc.count})
		if verdict.Matched != tc.matched || verdict.Count != 2 || (tc.text == "") != (len(rec.errors) == 0) {
			t.Errorf("Verify(%s) = %+v, errors %q; want matched %t over 2 requests", tc.text, verdict, rec.errors, tc.matched)
		}
		if tc.text != "" && (len(rec.errors) != 1 || !strings.Contains(rec.errors[0], tc.text)) {
			t.Errorf("Verify errors = %q; want %q", rec.errors, tc.text)
		}
	}
}

// TestVersion: mocktest.Version starts a mock of an older version in one
// line, and fails the test on a version openapi.yaml does not describe.
func TestVersion(t *testing.T) {
	mock := mocktest.Start(t, mockserver.Options{Version: mocktest.Version(t, "3.13")})
	res, err := http.Get(mock.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), `"version":"3.13"`) {
		t.Errorf("GET /healthz = %s; want version 3.13", body)
	}
	for _, bad := range []string{"9.9", "x"} {
		rec := &fatalRecorder{recorder{TB: t}}
		done := make(chan struct{})
		go func() { defer close(done); mocktest.Version(rec, bad) }()
		<-done
		if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], `mocktest: version "`+bad+`"`) {
			t.Errorf("Version(%q) errors = %q; want the test failed, naming the version", bad, rec.errors)
		}
	}
}
