package mocktest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/mockserver"
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
	verdict := mock.Verify(rec, mockserver.Verification{Pattern: mockserver.Pattern{Function: "phones/create", Params: map[string]string{"ringtime": "20"}}})
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
	if v := mock.Verify(rec, mockserver.Verification{Pattern: mockserver.Pattern{Function: "phones/create"}}); !v.Matched || len(rec.errors) != 0 {
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
