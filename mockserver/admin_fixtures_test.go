package mockserver_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver/admin"
)

// lineNames is the names GET /_mock/lines lists.
func lineNames(tb testing.TB, h http.Handler) string {
	tb.Helper()
	var all struct{ Lines []map[string]any }
	mustAdmin(tb, h, http.MethodGet, "/_mock/lines", "", &all)
	var names []string
	for _, l := range all.Lines {
		names = append(names, fmt.Sprint(l["name"]))
	}
	return fmt.Sprint(names)
}

// TestFixturesReplaced: a document posted without mode (or mode=replace)
// becomes the whole fixture world: its accounts only, its lines only;
// reset then goes back to it.
func TestFixturesReplaced(t *testing.T) {
	for _, target := range []string{"/_mock/fixtures", "/_mock/fixtures?mode=replace"} {
		s := mustNew(t, "")
		mustCreate(t, s, "name=96001&password=x")
		doc := "customers: [{id: 7, name: Own}]\nrate_plans: [{id: 1, name: Standard, create_lines: true}]\n" +
			"accounts: [{username: ops, password: ops-pw, role: administrator, customer: 7, rate_plan: 1}]\n" +
			"lines: [{name: \"5001\", customer: 7, password: line-pw}]\n"
		var loaded admin.Loaded
		mustAdmin(t, s, http.MethodPost, target, doc, &loaded)
		if loaded != (admin.Loaded{Mode: "replace", Customers: 1, Accounts: 1, Lines: 1}) {
			t.Errorf("POST %s = %+v; want replace, 1 customer, 1 account, 1 line", target, loaded)
		}
		if got := lineNames(t, s); got != "[5001]" {
			t.Errorf("lines after replace = %s; want [5001]", got)
		}
		mustOutcome(t, call(t, s, "phones/get", adminAuth+"&name=5001"), wire.Unauthorized, "")
		ops := "auth_username=ops&auth_password=ops-pw"
		mustOutcome(t, call(t, s, "phones/create", ops+"&name=5002&password=x"), wire.Created, "")
		mustOutcome(t, call(t, s, "phones/create", ops+"&name=5003&password=x&cos=1"), wire.Invalid, "cos") // no records now
		mustAdmin(t, s, http.MethodPost, "/_mock/reset", "", nil)
		if got := lineNames(t, s); got != "[5001]" {
			t.Errorf("lines after reset = %s; want the loaded document's, [5001]", got)
		}
	}
}

// TestFixturesMerged: a document posted with mode=merge adds to the
// fixtures and replaces entries of the same id, username or name; lines
// created since are kept; reset then goes back to the merged fixtures.
// References may name what the fixtures already hold.
func TestFixturesMerged(t *testing.T) {
	s := mustNew(t, "")
	mustCreate(t, s, "name=96001&password=x")
	doc := "accounts: [{username: seller, password: seller-pw, role: wholesale, customer: 3, rate_plan: 1}]\n" +
		"lines:\n  - {name: \"5002\", customer: 3, password: p5002}\n  - {name: \"1001\", customer: 1, password: replaced-pw}\n"
	var loaded admin.Loaded
	mustAdmin(t, s, http.MethodPost, "/_mock/fixtures?mode=merge", doc, &loaded)
	if loaded != (admin.Loaded{Mode: "merge", Customers: 3, Accounts: 5, Lines: 3}) {
		t.Errorf("merge = %+v; want 3 customers, 5 accounts, 3 lines", loaded)
	}
	if got := lineNames(t, s); got != "[1001 2001 5002 96001]" {
		t.Errorf("lines after merge = %s; want [1001 2001 5002 96001]", got)
	}
	if got := mustGet(t, s, "1001")["password"]; got != "replaced-pw" {
		t.Errorf("line 1001's password = %v; want the merged document's", got)
	}
	seller := "auth_username=seller&auth_password=seller-pw"
	mustOutcome(t, call(t, s, "phones/create", seller+"&name=5003&password=x&cos=1"), wire.Created, "")
	mustOutcome(t, call(t, s, "phones/get", adminAuth+"&name=5003"), wire.OK, "")
	// A second merge over a merged world: the kept entries still count as
	// complete.
	mustAdmin(t, s, http.MethodPost, "/_mock/fixtures?mode=merge", "rate_plans: [{id: 1, name: Standard, create_lines: false}]\n", nil)
	mustOutcome(t, call(t, s, "phones/create", seller+"&name=5004&password=x"), wire.PlanForbidden, "")
	mustAdmin(t, s, http.MethodPost, "/_mock/reset", "", nil)
	if got := lineNames(t, s); got != "[1001 2001 5002]" {
		t.Errorf("lines after reset = %s; want the merged fixtures', [1001 2001 5002]", got)
	}
}

// TestFixturesRefused: a bad document, replacing or merging, is a 400
// naming its line and field, and changes nothing: accounts, records and
// lines stay as they were, created lines included.
func TestFixturesRefused(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(fixtureTestdata, "*.yaml"))
	if err != nil || len(files) < 2 {
		t.Fatalf("testdata: %v files, %v", len(files), err)
	}
	type refused struct{ name, mode, doc, want string }
	var cases []refused
	for _, file := range files {
		if filepath.Base(file) == "clean.yaml" {
			continue
		}
		data, want := mustFixture(t, file)
		cases = append(cases, refused{filepath.Base(file), "replace", string(data), want})
	}
	cases = append(cases,
		refused{"merge: no such customer", "merge", "accounts: [{username: x, password: y, role: administrator, customer: 9, rate_plan: 1}]\n", "line 1: accounts[0].customer: no customer 9"},
		refused{"merge: a field missing", "merge", "lines:\n  - {name: \"5001\", customer: 1}\n", "line 2: lines[0].password: missing"},
		refused{"merge: an unknown field", "merge", "accounts: [{username: x, passwd: y}]\n", "accounts[0].passwd"},
		refused{"merge: a loop with a kept customer", "merge", "customers: [{id: 1, name: Top, parent: 3}]\n", "customers[0].parent"},
		refused{"merge: listed twice", "merge", "lines:\n  - {name: \"5001\", customer: 1, password: x}\n  - {name: \"5001\", customer: 1, password: x}\n", "line 3: lines[1].name"},
		refused{"not YAML", "merge", "accounts: [", "not YAML"},
	)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := mustNew(t, "")
			mustCreate(t, s, "name=96001&password=x")
			before := lineNames(t, s)
			a := adminCall(t, s, http.MethodPost, "/_mock/fixtures?mode="+tc.mode, tc.doc, "")
			if a.status != http.StatusBadRequest || a.outcome.Code != wire.Invalid || a.outcome.Key != "fixtures" || !strings.Contains(a.outcome.Message, tc.want) {
				t.Fatalf("POST fixtures = HTTP %d %s; want HTTP 400, key fixtures, naming %q", a.status, a, tc.want)
			}
			if strings.Contains(a.String(), fixtureSecret) {
				t.Errorf("answer %s quotes a password", a)
			}
			if got := lineNames(t, s); got != before {
				t.Errorf("lines after a refused document = %s; want %s", got, before)
			}
			mustOutcome(t, call(t, s, "phones/create", adminAuth+"&name=96002&password=x&cos=1"), wire.Created, "")
			mustOutcome(t, call(t, s, "phones/create", "auth_username=x&auth_password=y"), wire.Unauthorized, "")
			mustAdmin(t, s, http.MethodPost, "/_mock/reset", "", nil)
			if got := lineNames(t, s); got != "[1001 2001]" {
				t.Errorf("lines after reset = %s; want the fixtures' [1001 2001]", got)
			}
		})
	}
}

// TestFixturesMode: a mode other than replace or merge is a 400 naming it.
func TestFixturesMode(t *testing.T) {
	s := mustNew(t, "")
	data, err := os.ReadFile(filepath.Join(fixtureTestdata, "clean.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	a := adminCall(t, s, http.MethodPost, "/_mock/fixtures?mode=append", string(data), "")
	if a.status != http.StatusBadRequest || a.outcome.Key != "mode" {
		t.Errorf("mode=append = HTTP %d %s; want HTTP 400, key mode", a.status, a)
	}
}
