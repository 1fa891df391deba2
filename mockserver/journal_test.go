package mockserver_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver"
	"github.com/enswitch-kit/phones/mockserver/admin"
)

// TestJournalMasksSecrets: the journal keeps each request's function,
// method, parameters and outcome, newest last; every secret parameter
// (x-enswitch-secret) reads as the mask, names the function does not have
// are counted, never shown, and no admin answer carries a secret.
func TestJournalMasksSecrets(t *testing.T) {
	s := mustNewWith(t, mockserver.Options{Fixtures: mustSecretFixtures(t)})
	login := "auth_username=user&auth_password=" + secretAdmin
	requests := []struct{ method, target, body string }{
		{"GET", "/api/json/phones/create/?" + login + "&name=96001&password=" + secretLine + "&ringtime=20&" + secretGuess + "=1", ""},
		{"POST", "/api/json/phones/create/", login + ";name=96002;copy_password=1001;typo=" + secretLine},
		{"GET", "/api/json/phones/get/?" + login + "&name=96001&password=1", ""},
		{"GET", "/api/json/phones/create/?auth_username=user&auth_password=" + secretGuess + "&name=96003&password=" + secretLine, ""},
		{"GET", "/api/json/phones/" + secretLine + "/?" + login, ""},
		{"GET", "/" + secretGuess, ""},
	}
	for _, r := range requests {
		serve(t, s, r.method, r.target, r.body)
	}
	page := mustRequests(t, s, "")
	if len(page.Requests) != len(requests) || page.Dropped != 0 || page.Size != admin.DefaultJournalSize {
		t.Fatalf("journal = %d entries, %d dropped, size %d; want %d, 0, %d", len(page.Requests), page.Dropped, page.Size, len(requests), admin.DefaultJournalSize)
	}
	first := page.Requests[0]
	want := map[string]string{"auth_username": "user", "auth_password": admin.Masked, "name": "96001", "password": admin.Masked, "ringtime": "20"}
	if fmt.Sprint(first.Params) != fmt.Sprint(want) || first.Ignored != 1 {
		t.Errorf("first entry params = %v, %d ignored; want %v, 1", first.Params, first.Ignored, want)
	}
	if first.Function != "phones/create" || first.Method != "GET" || first.Status != 200 || first.Code != "204" || first.Key != "" || first.Account != "user" || first.ID != 1 {
		t.Errorf("first entry = %+v; want phones/create GET 200 204 by user, id 1", first)
	}
	checks := []struct {
		i                      int
		function, method, code string
		param, value, account  string
	}{
		{1, "phones/create", "POST", "204", "copy_password", admin.Masked, "user"},
		{2, "phones/get", "GET", "200", "password", "1", "user"},
		{3, "phones/create", "GET", "401", "auth_password", admin.Masked, ""},
		{4, "unknown", "GET", "404", "", "", ""},
		{5, "unknown", "GET", "404", "", "", ""},
	}
	for _, c := range checks {
		e := page.Requests[c.i]
		if e.Function != c.function || e.Method != c.method || e.Code != c.code || e.Params[c.param] != c.value || e.Account != c.account {
			t.Errorf("entry %d = %+v; want %s %s code %s, %s=%q, account %q", c.i, e, c.function, c.method, c.code, c.param, c.value, c.account)
		}
	}
	var v admin.Match
	answers := []answer{
		adminCall(t, s, http.MethodGet, "/_mock/requests", "", ""),
		adminCall(t, s, http.MethodPost, "/_mock/verify", `{"function":"phones/create","params":{"password":"`+secretLine+`"}}`, ""),
		adminCall(t, s, http.MethodGet, "/_mock/lines", "", ""),
		adminCall(t, s, http.MethodGet, "/_mock/lines/96001", "", ""),
	}
	if err := jsonUnmarshal(answers[1].outcome.Data, &v); err != nil || v.Matched || len(v.NearMisses) == 0 {
		t.Errorf("verify with the real password = %s; want no match (the journal keeps the mask), with near misses", answers[1])
	}
	for _, a := range answers {
		for _, secret := range []string{secretAdmin, secretLine, secretFixture, secretGuess} {
			if strings.Contains(a.String(), secret) {
				t.Errorf("admin answer %s holds the secret %q", a, secret)
			}
		}
	}
}

// TestJournalKeepsNoSecretInMemory: what the journal holds is masked when
// recorded, so a verify that gives the real password never matches it.
func TestJournalKeepsNoSecretInMemory(t *testing.T) {
	s := mustNew(t, "")
	call(t, s, "phones/create", adminAuth+"&name=96001&password=s3cret")
	if v := mustVerify(t, s, `{"params":{"password":"s3cret"}}`); v.Matched {
		t.Errorf("verify on the real password = %+v; want no match", v)
	}
	if v := mustVerify(t, s, `{"params":{"password":"`+admin.Masked+`"}}`); !v.Matched {
		t.Errorf("verify on the mask = %+v; want a match (a password was given)", v)
	}
}

// TestJournalFilters: the journal filters by function, parameter value,
// outcome code and key, and time; a filter it does not know is a 400
// naming it.
func TestJournalFilters(t *testing.T) {
	s := mustNew(t, "")
	before := time.Now()
	mustCreate(t, s, "name=96001&password=x&ringtime=20")
	mustCreate(t, s, "name=96002&password=x&ringtime=30")
	call(t, s, "phones/create", adminAuth+"&name=96001&password=x")
	call(t, s, "phones/get", adminAuth+"&name=96001")
	after := time.Now()
	mustCreate(t, s, "name=96003&password=x")
	cases := []struct {
		query string
		want  []uint64 // entry IDs
	}{
		{"", []uint64{1, 2, 3, 4, 5}},
		{"function=phones/create", []uint64{1, 2, 3, 5}},
		{"function=phones/get", []uint64{4}},
		{"param=ringtime=20", []uint64{1}},
		{"param=name=96001", []uint64{1, 3, 4}},
		{"param=name=96001&param=ringtime=20", []uint64{1}},
		{"param=ringtime=", nil},
		{"code=400", []uint64{3}},
		{"code=400&key=name", []uint64{3}},
		{"code=204&key=", []uint64{1, 2, 5}},
		{"function=phones/create&code=204&param=ringtime=30", []uint64{2}},
		{"since=" + url.QueryEscape(before.Format(time.RFC3339Nano)) + "&until=" + url.QueryEscape(after.Format(time.RFC3339Nano)), []uint64{1, 2, 3, 4}},
		{"since=" + url.QueryEscape(after.Format(time.RFC3339Nano)), []uint64{5}},
	}
	for _, tc := range cases {
		page := mustRequests(t, s, tc.query)
		var got []uint64
		for _, e := range page.Requests {
			got = append(got, e.ID)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("requests?%s = ids %v; want %v", tc.query, got, tc.want)
		}
	}
	for _, tc := range []struct{ query, key string }{
		{"name=96001", "name"},
		{"since=yesterday", "since"},
		{"until=2026-13-01", "until"},
		{"param=ringtime", "param"},
	} {
		a := adminCall(t, s, http.MethodGet, "/_mock/requests?"+tc.query, "", "")
		if a.status != http.StatusBadRequest || a.outcome.Code != wire.Invalid || a.outcome.Key != tc.key {
			t.Errorf("requests?%s = HTTP %d %s; want HTTP 400, code 400, key %s", tc.query, a.status, a, tc.key)
		}
	}
}

// TestJournalBounded: a full journal drops its oldest entries first and
// counts them; DELETE empties it and the count.
func TestJournalBounded(t *testing.T) {
	s := mustNewWith(t, mockserver.Options{JournalSize: new(3)})
	for i := range 5 {
		call(t, s, "phones/get", adminAuth+"&name=9600"+fmt.Sprint(i))
	}
	page := mustRequests(t, s, "")
	var names []string
	for _, e := range page.Requests {
		names = append(names, e.Params["name"])
	}
	if fmt.Sprint(names) != "[96002 96003 96004]" || page.Dropped != 2 || page.Size != 3 {
		t.Errorf("journal = %v, %d dropped, size %d; want [96002 96003 96004], 2, 3", names, page.Dropped, page.Size)
	}
	var cleared map[string]int
	mustAdmin(t, s, http.MethodDelete, "/_mock/requests", "", &cleared)
	if cleared["cleared"] != 3 {
		t.Errorf("DELETE /_mock/requests = %v; want cleared 3", cleared)
	}
	if page := mustRequests(t, s, ""); len(page.Requests) != 0 || page.Dropped != 0 {
		t.Errorf("journal after DELETE = %d entries, %d dropped; want none", len(page.Requests), page.Dropped)
	}
	call(t, s, "phones/get", adminAuth+"&name=96009")
	if page := mustRequests(t, s, ""); len(page.Requests) != 1 || page.Requests[0].ID != 6 {
		t.Errorf("journal after one more request = %+v; want one entry, id 6", page.Requests)
	}
}

// TestJournalCutsLongValues: a value over the journal's bound is kept cut,
// marked, on a character boundary.
func TestJournalCutsLongValues(t *testing.T) {
	s := mustNew(t, "")
	long := strings.Repeat("é", 2000)
	call(t, s, "phones/create", adminAuth+"&name=96001&password=x&description="+url.QueryEscape(long))
	got := mustRequests(t, s, "").Requests[0].Params["description"]
	if len(got) > 1024 || !strings.HasSuffix(got, "…") || !strings.HasPrefix(long, strings.TrimSuffix(got, "…")) {
		t.Errorf("description kept as %d bytes %q…; want at most 1024, a cut of the value, ending in …", len(got), got[:min(len(got), 20)])
	}
}

// TestJournalOff: with no journal, reading it or verifying is refused
// (HTTP 409) rather than answered as if nothing had been received.
func TestJournalOff(t *testing.T) {
	s := mustNewWith(t, mockserver.Options{JournalSize: new(0)})
	mustCreate(t, s, "name=96001&password=x")
	for _, r := range []struct{ method, target, body string }{
		{http.MethodGet, "/_mock/requests", ""},
		{http.MethodDelete, "/_mock/requests", ""},
		{http.MethodPost, "/_mock/verify", `{"function":"phones/create"}`},
	} {
		if a := adminCall(t, s, r.method, r.target, r.body, ""); a.status != http.StatusConflict {
			t.Errorf("%s %s without a journal = HTTP %d %s; want 409", r.method, r.target, a.status, a)
		}
	}
}

// TestJournalSizeMeansWhatTheFlagMeans: Options.JournalSize counts as
// --journal-size does: nil the default, 0 none, a negative size an error.
func TestJournalSizeMeansWhatTheFlagMeans(t *testing.T) {
	if _, err := mockserver.New(mockserver.Options{JournalSize: new(-1)}); err == nil {
		t.Error("New(JournalSize -1) = nil error; want one")
	}
	s := mustNewWith(t, mockserver.Options{})
	if page := mustRequests(t, s, ""); page.Size != admin.DefaultJournalSize {
		t.Errorf("journal size with JournalSize nil = %d; want %d", page.Size, admin.DefaultJournalSize)
	}
}

// TestJournalLeavesOutTheAdminAPI: the admin API's requests and /healthz
// are not journaled.
func TestJournalLeavesOutTheAdminAPI(t *testing.T) {
	s := mustNew(t, "")
	serve(t, s, http.MethodGet, "/healthz", "")
	mustAdmin(t, s, http.MethodPost, "/_mock/reset", "", nil)
	mustAdmin(t, s, http.MethodGet, "/_mock/lines", "", nil)
	mustRequests(t, s, "")
	if page := mustRequests(t, s, ""); len(page.Requests) != 0 {
		t.Errorf("journal = %+v; want nothing", page.Requests)
	}
}
