package mockserver_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver"
)

// TestVerifyMatches: a verify answers matched when the count of matching
// requests is within its bounds (at least one when none are given).
func TestVerifyMatches(t *testing.T) {
	s := mustNew(t, "")
	mustCreate(t, s, "name=96001&password=x&ringtime=20")
	mustCreate(t, s, "name=96002&password=x&ringtime=20")
	cases := []struct {
		body  string
		count int
	}{
		{`{"function":"phones/create","params":{"ringtime":"20"},"count":{"min":1}}`, 2},
		{`{"function":"phones/create","params":{"ringtime":"20"}}`, 2},
		{`{"function":"phones/create","params":{"ringtime":"20","name":"96002"},"count":{"min":1,"max":1}}`, 1},
		{`{"function":"phones/create","code":"204","key":""}`, 2},
		{`{"function":"phones/get","count":{"max":0}}`, 0},
	}
	for _, tc := range cases {
		v := mustVerify(t, s, tc.body)
		if !v.Matched || v.Count != tc.count || len(v.NearMisses) != 0 {
			t.Errorf("verify %s = %+v; want matched, count %d, no near misses", tc.body, v, tc.count)
		}
	}
}

// TestVerifyMisses: a verify that too few requests match answers not
// matched, with the nearest requests and what differs, nearest first; one
// that too many match answers not matched, without near misses.
func TestVerifyMisses(t *testing.T) {
	s := mustNew(t, "")
	mustCreate(t, s, "name=96001&password=x&ringtime=30")
	call(t, s, "phones/get", adminAuth+"&name=96001")
	call(t, s, "phones/create", adminAuth+"&name=96001&password=x&ringtime=20")
	call(t, s, "phones/create", adminAuth+"&name=96001&password=x&ringtime=25")
	v := mustVerify(t, s, `{"function":"phones/create","params":{"ringtime":"20"},"code":"204"}`)
	if v.Matched || v.Count != 0 || len(v.NearMisses) != 3 {
		t.Fatalf("verify = %+v; want not matched, count 0, 3 near misses", v)
	}
	// Requests 1 and 3 each fail one criterion of three (the newer first),
	// request 4 two; request 2 fails every one and is no near miss.
	want := []struct {
		id    uint64
		diffs string
	}{
		{3, `[code: want "204", got "400"]`},
		{1, `[params.ringtime: want "20", got "30"]`},
		{4, `[params.ringtime: want "20", got "25" code: want "204", got "400"]`},
	}
	for i, w := range want {
		m := v.NearMisses[i]
		if m.Request.ID != w.id || fmt.Sprint(m.Differences) != w.diffs {
			t.Errorf("near miss %d = request %d, %v; want request %d, %s", i, m.Request.ID, m.Differences, w.id, w.diffs)
		}
	}
	if v.NearMisses[0].Distance >= v.NearMisses[2].Distance {
		t.Errorf("distances %v, %v; want the nearest first", v.NearMisses[0].Distance, v.NearMisses[2].Distance)
	}
	v = mustVerify(t, s, `{"function":"phones/create","count":{"max":1}}`)
	if v.Matched || v.Count != 3 || len(v.NearMisses) != 0 {
		t.Errorf("verify at most one create = %+v; want not matched, count 3, no near misses", v)
	}
}

// TestVerifyRefusesBadBodies: a body that is not a verification is a 400
// naming what is wrong.
func TestVerifyRefusesBadBodies(t *testing.T) {
	s := mustNew(t, "")
	for _, tc := range []struct{ body, key string }{
		{``, "body"},
		{`not json`, "body"},
		{`{"function":"phones/create","unknown":1}`, "body"},
		{`{"params":{"ringtime":20}}`, "body"},
		{`{"count":{"min":-1}}`, "count.min"},
		{`{"count":{"max":-1}}`, "count.max"},
		{`{"count":{"min":2,"max":1}}`, "count"},
	} {
		a := adminCall(t, s, http.MethodPost, "/_mock/verify", tc.body, "")
		if a.status != http.StatusBadRequest || a.outcome.Code != wire.Invalid || a.outcome.Key != tc.key {
			t.Errorf("verify %s = HTTP %d %s; want HTTP 400, code 400, key %s", tc.body, a.status, a, tc.key)
		}
	}
}

// TestAdminLines: the stored lines as phones/get shows them to an
// administrator, by name, passwords left out; one line by name, or 404.
func TestAdminLines(t *testing.T) {
	s := mustNew(t, "")
	mustCreate(t, s, "name=96001&password=new-secret&ringtime=20")
	var all struct{ Lines []map[string]any }
	mustAdmin(t, s, http.MethodGet, "/_mock/lines", "", &all)
	var names []string
	for _, l := range all.Lines {
		names = append(names, fmt.Sprint(l["name"]))
		if _, ok := l["password"]; ok {
			t.Errorf("line %v shows its password", l["name"])
		}
	}
	if fmt.Sprint(names) != "[1001 2001 96001]" {
		t.Errorf("lines = %v; want [1001 2001 96001]", names)
	}
	var one map[string]any
	mustAdmin(t, s, http.MethodGet, "/_mock/lines/96001", "", &one)
	got := mustGet(t, s, "96001")
	delete(got, "password")
	if fmt.Sprint(one) != fmt.Sprint(got) {
		t.Errorf("/_mock/lines/96001 = %v; want phones/get's %v", one, got)
	}
	a := adminCall(t, s, http.MethodGet, "/_mock/lines/99999", "", "")
	if a.status != http.StatusNotFound || a.outcome.Code != wire.NotFound || a.outcome.Key != "name" {
		t.Errorf("/_mock/lines/99999 = HTTP %d %s; want HTTP 404, code 404, key name", a.status, a)
	}
}

// TestAdminRoutes: an unknown admin path is a 404, a method a route does
// not take a 405 naming those it does.
func TestAdminRoutes(t *testing.T) {
	s := mustNew(t, "")
	cases := []struct {
		method, target string
		status         int
		allow          string
	}{
		{http.MethodGet, "/_mock/nothing", http.StatusNotFound, ""},
		{http.MethodGet, "/_mock/requests/1", http.StatusNotFound, ""},
		{http.MethodGet, "/_mock/reset", http.StatusMethodNotAllowed, "POST"},
		{http.MethodPost, "/_mock/requests", http.StatusMethodNotAllowed, "GET, DELETE"},
		{http.MethodGet, "/_mock/verify", http.StatusMethodNotAllowed, "POST"},
		{http.MethodDelete, "/_mock/lines", http.StatusMethodNotAllowed, "GET"},
		{http.MethodGet, "/_mock/fixtures", http.StatusMethodNotAllowed, "POST"},
	}
	for _, tc := range cases {
		r := httptest.NewRequest(tc.method, tc.target, nil)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		a := decode(t, w.Result())
		if a.status != tc.status || w.Header().Get("Allow") != tc.allow {
			t.Errorf("%s %s = HTTP %d, Allow %q; want %d, %q", tc.method, tc.target, a.status, w.Header().Get("Allow"), tc.status, tc.allow)
		}
	}
}

// TestAdminWrongMethodSaysWhichMethods: a method an admin route does not
// take is answered 405, the envelope's code 400, and a message naming the
// method(s) it takes, as its Allow header does, on every route.
func TestAdminWrongMethodSaysWhichMethods(t *testing.T) {
	s := mustNew(t, "")
	for _, tc := range []struct{ method, target, says string }{
		{http.MethodGet, "/_mock/verify", "use POST"},
		{http.MethodGet, "/_mock/reset", "use POST"},
		{http.MethodPut, "/_mock/requests", "use GET or DELETE"},
		{http.MethodPost, "/_mock/lines", "use GET"},
		{http.MethodDelete, "/_mock/lines/1001", "use GET"},
		{http.MethodGet, "/_mock/fixtures", "use POST"},
	} {
		a := adminCall(t, s, tc.method, tc.target, "", "")
		if a.status != http.StatusMethodNotAllowed || a.outcome.Code != wire.Invalid || !strings.Contains(a.outcome.Message, tc.says) {
			t.Errorf("%s %s = HTTP %d %s; want HTTP 405, code 400, a message saying %q", tc.method, tc.target, a.status, a, tc.says)
		}
	}
}

// TestAdminToken: with a token, every admin request needs it as a bearer
// token (401 otherwise, with WWW-Authenticate); the functions and /healthz
// do not. The token is never in an answer.
func TestAdminToken(t *testing.T) {
	const token = "T0ken-For-Admins-8c1d"
	s := mustNewWith(t, mockserver.Options{AdminToken: token})
	routes := []struct{ method, target string }{
		{http.MethodGet, "/_mock/requests"},
		{http.MethodDelete, "/_mock/requests"},
		{http.MethodPost, "/_mock/verify"},
		{http.MethodGet, "/_mock/lines"},
		{http.MethodGet, "/_mock/lines/1001"},
		{http.MethodPost, "/_mock/fixtures"},
		{http.MethodPost, "/_mock/reset"},
		{http.MethodGet, "/_mock/nothing"},
	}
	for _, route := range routes {
		for _, header := range []string{"", "Bearer wrong", "Bearer " + token + "x", "Basic " + token, token, "Bearer"} {
			r := httptest.NewRequest(route.method, route.target, strings.NewReader(`{}`))
			if header != "" {
				r.Header.Set("Authorization", header)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			a := decode(t, w.Result())
			if a.status != http.StatusUnauthorized || a.outcome.Code != wire.Unauthorized || !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s %s with Authorization %q = HTTP %d %s; want 401 and WWW-Authenticate: Bearer", route.method, route.target, header, a.status, a)
			}
			if strings.Contains(a.String(), token) {
				t.Errorf("answer %s holds the token", a)
			}
		}
	}
	if a := adminCall(t, s, http.MethodGet, "/_mock/lines", "", token); a.status != http.StatusOK {
		t.Errorf("GET /_mock/lines with the token = HTTP %d %s; want 200", a.status, a)
	}
	r := httptest.NewRequest(http.MethodPost, "/_mock/reset", nil)
	r.Header.Set("Authorization", "bearer "+token)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Errorf("POST /_mock/reset with a lower-case scheme = HTTP %d; want 200", w.Code)
	}
	mustOutcome(t, call(t, s, "phones/get", adminAuth+"&name="+ownLine), wire.OK, "")
	if a := serve(t, s, http.MethodGet, "/healthz", ""); a.status != http.StatusOK {
		t.Errorf("/healthz = HTTP %d; want 200 without a token", a.status)
	}
}

// TestAdminOpenWithoutToken: without a token the admin API is open (the
// command sets one wherever other machines may reach the mock).
func TestAdminOpenWithoutToken(t *testing.T) {
	s := mustNew(t, "")
	if a := adminCall(t, s, http.MethodGet, "/_mock/requests", "", "whatever"); a.status != http.StatusOK {
		t.Errorf("GET /_mock/requests = HTTP %d %s; want 200", a.status, a)
	}
}

// TestAdminConcurrent: the admin API read and written while the functions
// are called (run with -race): every create is answered 204 and journaled,
// fixtures merge and reset meanwhile, and nothing panics or is lost.
func TestAdminConcurrent(t *testing.T) {
	s := mustNewWith(t, mockserver.Options{JournalSize: new(50)})
	const creators, each = 4, 25
	var wg sync.WaitGroup
	for g := range creators {
		wg.Go(func() {
			for i := range each {
				mustCreate(t, s, fmt.Sprintf("name=9%d%03d&password=x", g, i))
			}
		})
	}
	wg.Go(func() {
		for i := range 20 {
			doc := fmt.Sprintf("accounts: [{username: extra%d, password: pw, role: wholesale, customer: 3, rate_plan: 1}]\n", i)
			mustAdmin(t, s, http.MethodPost, "/_mock/fixtures?mode=merge", doc, nil)
			mustRequests(t, s, "function=phones/create")
			mustAdmin(t, s, http.MethodGet, "/_mock/lines", "", nil)
			mustVerify(t, s, `{"function":"phones/create","count":{"min":0}}`)
		}
	})
	wg.Wait()
	page := mustRequests(t, s, "")
	if len(page.Requests) != 50 || page.Dropped != creators*each-50 {
		t.Errorf("journal = %d entries, %d dropped; want 50 and %d", len(page.Requests), page.Dropped, creators*each-50)
	}
	mustOutcome(t, call(t, s, "phones/get", "auth_username=extra19&auth_password=pw&name=1001"), wire.NotFound, "name")
}

// TestAdminLogsNoMadeUpPath: the log names an admin route, never a path a
// client made up, with or without the token.
func TestAdminLogsNoMadeUpPath(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	for _, token := range []string{"", "a-token"} {
		s := mustNewWith(t, mockserver.Options{Logger: log, AdminToken: token})
		logs.Reset()
		adminCall(t, s, http.MethodGet, "/_mock/"+secretGuess+"/x", "", "")
		adminCall(t, s, http.MethodGet, "/_mock/lines/"+ownLine, "", "")
		if strings.Contains(logs.String(), secretGuess) || !strings.Contains(logs.String(), "function=unknown") {
			t.Errorf("token %q: log %q; want function=unknown, not the path", token, logs.String())
		}
	}
}
