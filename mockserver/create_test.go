package mockserver_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// TestCreateOutcomes: every outcome code of phones/create and its key
// (wire-contract.md: outcomes of phones/create, checked in this order).
func TestCreateOutcomes(t *testing.T) {
	const fresh = "name=97100&password=secret"
	cases := []struct {
		name, query string
		code        wire.Code
		key         string
	}{
		{"no credentials", fresh, wire.Unauthorized, ""},
		{"no auth_password", "auth_username=user&" + fresh, wire.Unauthorized, ""},
		{"wrong auth_password", "auth_username=user&auth_password=wrong&" + fresh, wire.Unauthorized, ""},
		{"unknown account", "auth_username=nobody&auth_password=password&" + fresh, wire.Unauthorized, ""},
		{"empty credentials", "auth_username=&auth_password=&" + fresh, wire.Unauthorized, ""},
		{"401 before bad input", "auth_username=user&auth_password=wrong&acr=abc", wire.Unauthorized, ""},
		{"role user", clerkAuth + "&" + fresh, wire.RoleForbidden, ""},
		{"402 before bad input", clerkAuth + "&acr=abc", wire.RoleForbidden, ""},
		{"plan forbids", noPlanAuth + "&" + fresh, wire.PlanForbidden, ""},
		{"403 before bad input", noPlanAuth + "&acr=abc", wire.PlanForbidden, ""},
		{"name missing", adminAuth + "&password=secret", wire.Invalid, "name"},
		{"name empty", adminAuth + "&name=&password=secret", wire.Invalid, "name"},
		{"name in use in own customer", adminAuth + "&name=" + ownLine + "&password=secret", wire.Invalid, "name"},
		{"name in use in another customer", adminAuth + "&name=" + otherLine + "&password=secret", wire.Invalid, "name"},
		{"neither password nor copy_password", adminAuth + "&name=97100", wire.Invalid, "password"},
		{"password empty", adminAuth + "&name=97100&password=", wire.Invalid, "password"},
		{"password and copy_password empty", adminAuth + "&name=97100&password=&copy_password=", wire.Invalid, "password"},
		{"acr empty", adminAuth + "&" + fresh + "&acr=", wire.Invalid, "acr"},
		{"acr decimal", adminAuth + "&" + fresh + "&acr=1.5", wire.Invalid, "acr"},
		{"acr text", adminAuth + "&" + fresh + "&acr=abc", wire.Invalid, "acr"},
		{"acr outside its values", adminAuth + "&" + fresh + "&acr=2", wire.Invalid, "acr"},
		{"call_maximum text", adminAuth + "&" + fresh + "&call_maximum=abc", wire.Invalid, "call_maximum"},
		{"call_maximum exponent", adminAuth + "&" + fresh + "&call_maximum=1e3", wire.Invalid, "call_maximum"},
		{"call_maximum below -1", adminAuth + "&" + fresh + "&call_maximum=-2", wire.Invalid, "call_maximum"},
		{"callerid_external unknown", adminAuth + "&" + fresh + "&callerid_external=bogus", wire.Invalid, "callerid_external"},
		{"delivery unknown", adminAuth + "&" + fresh + "&delivery=bogus", wire.Invalid, "delivery"},
		{"copy_password of another customer", adminAuth + "&name=97100&copy_password=" + otherLine, wire.Invalid, "copy_password"},
		{"copy_password of no line", adminAuth + "&name=97100&copy_password=99999", wire.Invalid, "copy_password"},
		{"copy_password above the wholesaler", wholesaleAuth + "&name=97100&copy_password=" + ownLine, wire.Invalid, "copy_password"},
		{"customer not visible", adminAuth + "&" + fresh + "&customer=2", wire.Invalid, "customer"},
		{"customer unknown", adminAuth + "&" + fresh + "&customer=99", wire.Invalid, "customer"},
		{"customer text", adminAuth + "&" + fresh + "&customer=abc", wire.Invalid, "customer"},
		{"customer above the wholesaler", wholesaleAuth + "&" + fresh + "&customer=1", wire.Invalid, "customer"},
		{"first offending parameter: name before acr", adminAuth + "&password=secret&acr=abc", wire.Invalid, "name"},
		{"first offending parameter: password before acr", adminAuth + "&name=97100&acr=abc", wire.Invalid, "password"},
		{"first offending parameter: empty password before acr", adminAuth + "&acr=abc&password=&name=97100", wire.Invalid, "password"},
		{"first offending parameter: acr before dnd, password from copy_password", adminAuth + "&dnd=7&acr=abc&name=97100&copy_password=" + ownLine, wire.Invalid, "acr"},
		{"first offending parameter: name in use before acr", adminAuth + "&name=" + ownLine + "&password=x&acr=abc", wire.Invalid, "name"},
		{"first offending parameter: acr before cos", adminAuth + "&" + fresh + "&cos=abc&acr=abc", wire.Invalid, "acr"},
		{"first offending parameter: copy_password before customer", adminAuth + "&name=97100&copy_password=99999&customer=2", wire.Invalid, "copy_password"},
		{"validation only", adminAuth + "&" + fresh + "&validation=1", wire.Validated, ""},
		{"validation only, still checked", adminAuth + "&name=97100&validation=1", wire.Invalid, "password"},
		{"validation text", adminAuth + "&" + fresh + "&validation=yes", wire.Invalid, "validation"},
		{"created", adminAuth + "&" + fresh, wire.Created, ""},
		{"created with validation=0", adminAuth + "&" + fresh + "&validation=0", wire.Created, ""},
		{"created by the wholesaler", wholesaleAuth + "&" + fresh, wire.Created, ""},
		{"created in a child customer", adminAuth + "&" + fresh + "&customer=3", wire.Created, ""},
		{"customer 0 is the caller's", adminAuth + "&" + fresh + "&customer=0", wire.Created, ""},
		{"created from copy_password", adminAuth + "&name=97100&copy_password=" + ownLine, wire.Created, ""},
		{"unknown parameter ignored", adminAuth + "&" + fresh + "&colour=blue", wire.Created, ""},
	}
	s := mustNew(t, "")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.Reset(); err != nil {
				t.Fatal(err)
			}
			a := call(t, s, "phones/create", tc.query)
			if a.status != 200 || a.contentType != "application/json" {
				t.Errorf("HTTP %d %s; want 200 application/json", a.status, a.contentType)
			}
			mustOutcome(t, a, tc.code, tc.key)
		})
	}
}

// TestCreateRecordIDs: every parameter of kind id (from the contract, not a
// hand list) takes 0 and the fixtures' ids, and refuses an id no record has.
func TestCreateRecordIDs(t *testing.T) {
	s := mustNew(t, "")
	for _, p := range theContract().Latest().Params() {
		if p.Kind != contract.KindID || p.Name == "customer" {
			continue
		}
		t.Run(p.Name, func(t *testing.T) {
			for value, want := range map[string]wire.Code{"0": wire.Validated, "1": wire.Validated, "9999": wire.Invalid} {
				a := call(t, s, "phones/create", adminAuth+"&name=97100&password=x&validation=1&"+p.Name+"="+value)
				key := ""
				if want == wire.Invalid {
					key = p.Name
				}
				mustOutcome(t, a, want, key)
			}
		})
	}
}

// TestCreateValueSets: on every version, each named value a parameter
// accepts is accepted, and a value outside the set is refused with that
// parameter as key (contract: value sets, per version).
func TestCreateValueSets(t *testing.T) {
	c := theContract()
	for _, v := range c.Versions() {
		s := mustNew(t, v.String())
		view, _ := c.At(v)
		for _, p := range view.Params() {
			if len(p.Values) == 0 {
				continue
			}
			for _, value := range append(p.Values, "zz-bogus") {
				t.Run(fmt.Sprintf("%s/%s=%s", v, p.Name, value), func(t *testing.T) {
					a := call(t, s, "phones/create", adminAuth+"&name=97100&password=x&"+p.Name+"="+value+"&validation=1")
					if p.Name == "validation" {
						// validation=0 creates; its other values validate only.
						if value == "0" {
							mustOutcome(t, a, wire.Created, "")
							_ = s.Reset()
							return
						}
					}
					switch {
					case value == "zz-bogus":
						mustOutcome(t, a, wire.Invalid, p.Name)
					default:
						mustOutcome(t, a, wire.Validated, "")
					}
				})
			}
		}
	}
}

// TestCreateVersionHistory: the same request on both sides of each change
// the vendor's history lists, the expectation read from the contract.
func TestCreateVersionHistory(t *testing.T) {
	c := theContract()
	cases := []struct{ param, value string }{
		{"cos", "0"},
		{"expect_registered", "2"},
		{"callerid_external", "matched_called"},
		{"aoc", "1"},
		{"use_forwarding", "0"},
		{"presentation_internal", "0"},
		{"allowed_ua", "Yealink"},
	}
	for _, v := range c.Versions() {
		s := mustNew(t, v.String())
		view, _ := c.At(v)
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%s/%s=%s", v, tc.param, tc.value), func(t *testing.T) {
				want := wire.Validated
				key := ""
				if p, ok := view.Param(tc.param); ok && p.Check(tc.value) != nil {
					want, key = wire.Invalid, tc.param
				}
				a := call(t, s, "phones/create", adminAuth+"&name=97100&password=x&validation=1&"+tc.param+"="+tc.value)
				mustOutcome(t, a, want, key)
			})
		}
	}
	// Literal spot checks of the history (vendor page: change history).
	for _, tc := range []struct {
		version, query string
		code           wire.Code
	}{
		{"3.13", "cos=0", wire.Invalid},
		{"3.14", "cos=0", wire.Validated},
		{"3.13", "expect_registered=2", wire.Invalid},
		{"3.14", "expect_registered=2", wire.Validated},
		{"4.3", "callerid_external=matched_called", wire.Invalid},
		{"4.4", "callerid_external=matched_called", wire.Validated},
		{"3.13", "aoc=abc", wire.Validated}, // ignored before 3.14
		{"3.14", "aoc=abc", wire.Invalid},
		{"3.14", "use_forwarding=abc", wire.Validated}, // ignored before 4.0
		{"4.0", "use_forwarding=abc", wire.Invalid},
	} {
		t.Run("literal "+tc.version+" "+tc.query, func(t *testing.T) {
			a := call(t, mustNew(t, tc.version), "phones/create", adminAuth+"&name=97100&password=x&validation=1&"+tc.query)
			if a.outcome.Code != tc.code {
				t.Errorf("%s on %s = %s; want %s", tc.query, tc.version, a, tc.code)
			}
		})
	}
}

// TestCreateIgnoresParametersOfLaterVersions: a parameter the version does
// not have is ignored like an unknown one, whatever its value, and is not
// stored (wire-contract.md: versions).
func TestCreateIgnoresParametersOfLaterVersions(t *testing.T) {
	c := theContract()
	for _, v := range c.Versions() {
		s := mustNew(t, v.String())
		view, _ := c.At(v)
		var absent []string
		for _, p := range c.Latest().Params() {
			if _, ok := view.Param(p.Name); !ok {
				absent = append(absent, p.Name)
			}
		}
		t.Run(v.String(), func(t *testing.T) {
			q := adminAuth + "&name=97100&password=x"
			for _, name := range absent {
				q += "&" + name + "=zz-bogus"
			}
			mustOutcome(t, call(t, s, "phones/create", q), wire.Created, "")
			data := mustGet(t, s, "97100")
			for _, name := range absent {
				if _, ok := data[name]; ok {
					t.Errorf("get on %s returns %s; the version has no such parameter", v, name)
				}
			}
			if got := strings.Join(absent, ","); v == c.Latest().Version() && got != "" {
				t.Errorf("newest version lacks %s", got)
			}
		})
	}
}
