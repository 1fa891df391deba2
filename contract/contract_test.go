package contract_test

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/contract"
)

// vendorRow is one row of the vendor's table, verbatim.
type vendorRow struct{ name, typ, required, def string }

func mustReadTSV(tb testing.TB, path string) [][]string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			rows = append(rows, strings.Split(line, "\t"))
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	return rows
}

func mustVendorTable(tb testing.TB) []vendorRow {
	tb.Helper()
	var out []vendorRow
	for _, r := range mustReadTSV(tb, "testdata/vendor-4.4.tsv") {
		if len(r) != 4 {
			tb.Fatalf("vendor table row %q: want 4 cells", r)
		}
		out = append(out, vendorRow{r[0], r[1], r[2], r[3]})
	}
	return out
}

func mustView(tb testing.TB, c *contract.Contract, version string) *contract.View {
	tb.Helper()
	v, err := contract.ParseVersion(version)
	if err != nil {
		tb.Fatal(err)
	}
	view, err := c.At(v)
	if err != nil {
		tb.Fatal(err)
	}
	return view
}

// TestDocumentMatchesVendorTable checks the 4.4 view against the vendor's
// table, row by row: name and order, type, required, default.
func TestDocumentMatchesVendorTable(t *testing.T) {
	table := mustVendorTable(t)
	view := mustView(t, contract.MustLoad(), "4.4")
	params := view.Params()
	if len(params) != len(table) {
		t.Fatalf("4.4 has %d parameters; the vendor table has %d", len(params), len(table))
	}
	for i, row := range table {
		t.Run(row.name, func(t *testing.T) {
			p := params[i]
			if p.Name != row.name {
				t.Fatalf("parameter %d = %s; want %s", i, p.Name, row.name)
			}
			checkType(t, p, row.typ)
			checkRequired(t, p, row.required)
			checkDefault(t, p, row.def)
		})
	}
}

func checkType(t *testing.T, p contract.Param, vendor string) {
	t.Helper()
	want := map[string]string{"String": "string", "Integer": "integer", "Decimal": "number"}[vendor]
	if p.Type != want {
		t.Errorf("type(%s) = %s; want %s (vendor: %s)", p.Name, p.Type, want, vendor)
	}
}

func checkRequired(t *testing.T, p contract.Param, vendor string) {
	t.Helper()
	switch {
	case vendor == "Yes":
		if !p.Required || p.RequiredUnless != "" {
			t.Errorf("required(%s) = %v unless %q; want required", p.Name, p.Required, p.RequiredUnless)
		}
	case vendor == "No":
		if p.Required || p.RequiredUnless != "" {
			t.Errorf("required(%s) = %v unless %q; want optional", p.Name, p.Required, p.RequiredUnless)
		}
	case strings.HasPrefix(vendor, "Yes, unless "):
		other := strings.Fields(strings.TrimPrefix(vendor, "Yes, unless "))[0]
		if p.Required || p.RequiredUnless != other {
			t.Errorf("required(%s) = %v unless %q; want required unless %s", p.Name, p.Required, p.RequiredUnless, other)
		}
	default:
		t.Fatalf("vendor table: unknown required %q", vendor)
	}
}

func checkDefault(t *testing.T, p contract.Param, vendor string) {
	t.Helper()
	switch {
	case vendor == "":
		if p.HasDefault || p.DefaultFrom != "" {
			t.Errorf("default(%s) = %q; the vendor documents none", p.Name, p.Default)
		}
	case vendor == "Customer of authentication user.":
		if p.HasDefault || p.DefaultFrom != contract.DefaultCallerCustomer {
			t.Errorf("default(%s) = %q from %q; want from %s", p.Name, p.Default, p.DefaultFrom, contract.DefaultCallerCustomer)
		}
	default:
		want := strings.Trim(vendor, `"`)
		if vendor == "Empty string." {
			want = ""
		}
		if !p.HasDefault || p.Default != want {
			t.Errorf("default(%s) = %q (documented %v); want %q", p.Name, p.Default, p.HasDefault, want)
		}
	}
}

// historyFact is one line of testdata/history.tsv.
type historyFact struct {
	version contract.Version
	kind    string // added, value, default
	param   string
	args    []string
}

func mustHistory(tb testing.TB) []historyFact {
	tb.Helper()
	var out []historyFact
	for _, r := range mustReadTSV(tb, "testdata/history.tsv") {
		v, err := contract.ParseVersion(r[0])
		if err != nil || len(r) < 3 {
			tb.Fatalf("history row %q: %v", r, err)
		}
		out = append(out, historyFact{v, r[1], r[2], r[3:]})
	}
	return out
}

// TestViewsFollowChangeHistory checks every version's view against every
// line of the change history, on both sides of each change.
func TestViewsFollowChangeHistory(t *testing.T) {
	c := contract.MustLoad()
	facts := mustHistory(t)
	for _, v := range c.Versions() {
		view, err := c.At(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range facts {
			after := !v.Less(f.version)
			p, has := view.Param(f.param)
			switch f.kind {
			case "added":
				if has != after {
					t.Errorf("%s: has %s = %v; want %v (added in %s)", v, f.param, has, after, f.version)
				}
			case "value":
				if err := p.Check(f.args[0]); (err == nil) != after {
					t.Errorf("%s: %s=%s accepted = %v; want %v (since %s)", v, f.param, f.args[0], err == nil, after, f.version)
				}
			case "default":
				want := f.args[0]
				if after {
					want = f.args[1]
				}
				if p.Default != want {
					t.Errorf("%s: default(%s) = %q; want %q", v, f.param, p.Default, want)
				}
			default:
				t.Fatalf("history: unknown fact %q", f.kind)
			}
		}
	}
}

// TestNoHistoryBeyondTheVendors checks the other way: every since and change
// in the document is a line of the change history.
func TestNoHistoryBeyondTheVendors(t *testing.T) {
	facts := mustHistory(t)
	known := func(kind, param string, v contract.Version) bool {
		return slices.ContainsFunc(facts, func(f historyFact) bool {
			return f.param == param && f.version == v && (kind == "" || f.kind == kind)
		})
	}
	for _, p := range contract.MustLoad().Latest().Params() {
		if !p.Since.IsZero() && !known("added", p.Name, p.Since) {
			t.Errorf("%s: since %s is not in the change history", p.Name, p.Since)
		}
		for _, ch := range p.Changes {
			if !known("", p.Name, ch.Version) {
				t.Errorf("%s: change in %s is not in the change history", p.Name, ch.Version)
			}
		}
	}
}

// TestUnchangedVersionsFollowNearestLower: 4.1–4.3 list no change and
// behave as 4.0 (wire-contract.md: versions).
func TestUnchangedVersionsFollowNearestLower(t *testing.T) {
	c := contract.MustLoad()
	base := mustView(t, c, "4.0")
	for _, version := range []string{"4.1", "4.2", "4.3"} {
		view := mustView(t, c, version)
		if got, want := names(view), names(base); !slices.Equal(got, want) {
			t.Errorf("%s parameters = %v; want 4.0's %v", version, got, want)
		}
		for _, p := range base.Params() {
			q, _ := view.Param(p.Name)
			if q.Default != p.Default || !slices.Equal(q.Values, p.Values) {
				t.Errorf("%s: %s = %q %v; want 4.0's %q %v", version, p.Name, q.Default, q.Values, p.Default, p.Values)
			}
		}
	}
}

func names(v *contract.View) []string {
	var out []string
	for _, p := range v.Params() {
		out = append(out, p.Name)
	}
	return out
}

func TestAtUnknownVersion(t *testing.T) {
	if _, err := contract.MustLoad().At(contract.Version{Major: 3, Minor: 15}); err == nil {
		t.Fatal("At(3.15) = nil error; want an error naming the known versions")
	}
}

// TestWriteTableReproducesVendorTable: the 4.4 table printed from the
// document is the vendor's, cell for cell.
func TestWriteTableReproducesVendorTable(t *testing.T) {
	var b strings.Builder
	if err := mustView(t, contract.MustLoad(), "4.4").WriteTable(&b, false); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")[2:]
	table := mustVendorTable(t)
	if len(lines) != len(table) {
		t.Fatalf("table has %d rows; want %d", len(lines), len(table))
	}
	for i, row := range table {
		want := "| " + strings.Join([]string{row.name, row.typ, row.required, row.def}, " | ") + " |"
		if lines[i] != want {
			t.Errorf("row %d = %s; want %s", i, lines[i], want)
		}
	}
}

// BenchmarkLoad: loading and validating the embedded document with
// kin-openapi and building the newest version's view, a mock's start-up.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := contract.Load(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPlumbingIsMarkedOnce: on every version, each operation's plumbing
// roles (phones/get's password from the version it came in) are marked on
// exactly one parameter each, and the secrets are the
// credentials and the line's password (x-enswitch-role, x-enswitch-secret).
func TestPlumbingIsMarkedOnce(t *testing.T) {
	auth := []contract.Role{contract.RoleAuthUsername, contract.RoleAuthPassword}
	want := map[string][]contract.Role{
		contract.CreatePath: append(auth, contract.RoleName, contract.RolePassword, contract.RoleCopyPassword, contract.RoleCustomer, contract.RoleValidation),
		contract.GetPath:    append(auth, contract.RoleName, contract.RoleReadPassword),
		contract.DeletePath: append(auth, contract.RoleName),
	}
	secret := map[contract.Role]bool{contract.RoleAuthPassword: true, contract.RolePassword: true, contract.RoleCopyPassword: true}
	c := contract.MustLoad()
	for _, v := range c.Versions() {
		view, err := c.At(v)
		if err != nil {
			t.Fatal(err)
		}
		for path, roles := range want {
			params, _ := view.Operation(path)
			if since, _ := contract.ParseVersion("3.14"); path == contract.GetPath && v.Less(since) {
				// settled point 7: phones/get's password came in 3.14.
				roles = slices.DeleteFunc(slices.Clone(roles), func(r contract.Role) bool { return r == contract.RoleReadPassword })
			}
			var got []contract.Role
			for _, p := range params {
				if p.IsPlumbing() {
					got = append(got, p.Role)
				}
				if p.Secret != secret[p.Role] {
					t.Errorf("%s %s %s: secret %v; want %v", v, path, p.Name, p.Secret, secret[p.Role])
				}
			}
			slices.Sort(got)
			sorted := slices.Sorted(slices.Values(roles))
			if !slices.Equal(got, sorted) {
				t.Errorf("%s %s: roles %v; want %v", v, path, got, sorted)
			}
		}
	}
}
