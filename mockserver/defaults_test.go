package mockserver_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/enswitch-kit/phones/contract"
)

// notFields are the create parameters phones/get does not return as fields
// (wire-contract.md: reading back), with customer and password, returned
// apart.
var notFields = map[string]bool{
	"auth_username": true, "auth_password": true, "copy_password": true,
	"validation": true, "password": true, "customer": true,
}

// TestDefaultsReadBack: on every version, a line created with the required
// parameters only reads back with every documented default of that version;
// a parameter without one is absent. Expectations come from the contract.
func TestDefaultsReadBack(t *testing.T) {
	c := theContract()
	for _, v := range c.Versions() {
		t.Run(v.String(), func(t *testing.T) {
			s := mustNew(t, v.String())
			mustCreate(t, s, "name=97100&password=secret")
			data := mustGet(t, s, "97100")
			view, _ := c.At(v)
			for _, p := range view.Params() {
				if notFields[p.Name] {
					continue
				}
				got, ok := data[p.Name]
				switch {
				case p.Name == "name":
					if got != "97100" {
						t.Errorf("name = %v; want 97100", got)
					}
				case !p.HasDefault:
					if ok {
						t.Errorf("%s = %v; the vendor documents no default, want it absent", p.Name, got)
					}
				default:
					checkDefault(t, p, got)
				}
			}
			if got := data["customer"]; fmt.Sprint(got) != "1" {
				t.Errorf("customer = %v; want 1, the caller's (x-enswitch-default: caller-customer)", got)
			}
			// wire-contract.md: settled point 7, phones/get has password=1
			// only from the version that added it.
			getParams, _ := view.Operation(contract.GetPath)
			readsPassword := slices.ContainsFunc(getParams, func(p contract.Param) bool { return p.Name == "password" })
			want := len(fieldsOf(view)) + 1
			if readsPassword {
				want++
				if got := data["password"]; got != "secret" {
					t.Errorf("password (password=1) = %v; want the one given", got)
				}
			} else if got, ok := data["password"]; ok {
				t.Errorf("password (password=1) = %v on %s; want it absent, password=1 is not a parameter there", got, v)
			}
			if len(data) != want {
				t.Errorf("get returns %d members; want %d (fields with defaults, name, customer, and password where password=1 exists)", len(data), want)
			}
		})
	}
}

// checkDefault compares a read-back value with p's default, typed as the
// contract types p: integers and decimals as JSON numbers, text as strings.
func checkDefault(t *testing.T, p contract.Param, got any) {
	t.Helper()
	want, err := p.Decode(p.Default)
	if err != nil {
		t.Fatalf("contract default of %s: %v", p.Name, err)
	}
	switch p.Type {
	case "integer", "number":
		n, ok := got.(json.Number)
		if !ok {
			t.Errorf("%s = %#v; want the JSON number %v", p.Name, got, want)
			return
		}
		if f, _ := n.Float64(); f != toFloat(want) {
			t.Errorf("default(%s) = %s; want %v", p.Name, n, want)
		}
	default:
		if got != want {
			t.Errorf("default(%s) = %#v; want %q", p.Name, got, want)
		}
	}
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return -1e300
}

// fieldsOf lists the view's parameters that read back with a default or
// name.
func fieldsOf(view *contract.View) []string {
	var out []string
	for _, p := range view.Params() {
		if !notFields[p.Name] && (p.HasDefault || p.Name == "name") {
			out = append(out, p.Name)
		}
	}
	return out
}

// TestDefaultsSpotChecks: a few defaults written out, as the vendor's page
// and history state them, so a wrong contract cannot hide behind itself.
func TestDefaultsSpotChecks(t *testing.T) {
	cases := []struct {
		version, param string
		want           any // nil: absent
	}{
		{"3.13", "cos", "1"},
		{"3.14", "cos", "0"},
		{"4.4", "cos", "0"},
		{"3.13", "aoc", nil},
		{"3.14", "aoc", "0"},
		{"3.14", "use_forwarding", nil},
		{"4.0", "use_forwarding", "1"},
		{"4.3", "presentation_internal", nil},
		{"4.4", "presentation_internal", "1"},
		{"4.4", "allowed_ua", nil},
		{"4.4", "unumber_group", nil},
		{"4.4", "btype", "hangup"},
		{"4.4", "call_maximum", "-1"},
		{"4.4", "ringtime", "15"},
		{"4.4", "callerid_external", "default"},
		{"4.4", "delivery", "register"},
		{"4.4", "media", "voice"},
		{"4.4", "expect_registered", "1"},
		{"4.4", "totalmaximum", "-1"},
		{"4.4", "description", ""},
	}
	servers := map[string]map[string]any{}
	for _, tc := range cases {
		t.Run(tc.version+"/"+tc.param, func(t *testing.T) {
			data, ok := servers[tc.version]
			if !ok {
				s := mustNew(t, tc.version)
				mustCreate(t, s, "name=97100&password=secret")
				data = mustGet(t, s, "97100")
				servers[tc.version] = data
			}
			got, present := data[tc.param]
			switch {
			case tc.want == nil && present:
				t.Errorf("%s on %s = %v; want absent", tc.param, tc.version, got)
			case tc.want != nil && fmt.Sprint(got) != tc.want:
				t.Errorf("%s on %s = %v; want %v", tc.param, tc.version, got, tc.want)
			}
		})
	}
}

// TestGivenValuesReadBack: given values are stored as given, typed per the
// contract (numbers canonical, text verbatim).
func TestGivenValuesReadBack(t *testing.T) {
	s := mustNew(t, "4.4")
	mustCreate(t, s, "name=97100&password=secret&acr=1&call_maximum=2.50&ringtime=%2B20&description=Front+desk%3B+2nd&allowed_ua=Yealink&unumber_group=1&customer=3&cos=2")
	data := mustGet(t, s, "97100")
	for param, want := range map[string]string{
		"acr": "1", "call_maximum": "2.5", "ringtime": "20", "description": "Front desk; 2nd",
		"allowed_ua": "Yealink", "unumber_group": "1", "customer": "3", "cos": "2",
	} {
		if got := fmt.Sprint(data[param]); got != want {
			t.Errorf("%s = %s; want %s", param, got, want)
		}
	}
	if _, ok := data["acr"].(json.Number); !ok {
		t.Errorf("acr = %#v; want a JSON number", data["acr"])
	}
}
