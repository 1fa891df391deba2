package e2e_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/fixtures"
	"github.com/enswitch-kit/phones/internal/answertest"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver"
)

// variant is the mock with one rule broken, and what the suite must say.
type variant struct {
	name    string
	version string
	broken  func(mock http.Handler) http.Handler
	filter  string   // labels that reach the broken rule, to stay fast
	want    []string // distinctive text naming the broken rule
}

func isNumber(v any, want string) bool {
	switch x := v.(type) {
	case json.Number:
		return x.String() == want
	case string:
		return x == want
	}
	return false
}

var variants = []variant{
	{
		name: "wrong default read back (ringtime 20)", version: "4.4", filter: "defaults",
		broken: func(mock http.Handler) http.Handler {
			return answerWith(mock, "phones/get", func(_ wire.Values, _, data map[string]any) {
				if isNumber(data["ringtime"], "15") {
					data["ringtime"] = 20
				}
			})
		},
		want: []string{"vendor page: default of ringtime is 15", "phones/get returned ringtime = 20 (JSON number); want 15"},
	},
	{
		name: "wrong code (200 instead of 204)", version: "4.4", filter: "codes",
		broken: func(mock http.Handler) http.Handler {
			return answerWith(mock, "phones/create", func(_ wire.Values, resp, _ map[string]any) {
				if resp["code"] == "204" {
					resp["code"] = "200"
				}
			})
		},
		want: []string{"vendor page: 204 Success", "want code 204; got code 200"},
	},
	{
		name: "missing check (accepts acr=7)", version: "4.4", filter: "validation",
		broken: func(mock http.Handler) http.Handler {
			return paramsWith(mock, "phones/create", func(name, value string) (string, bool) {
				return "0", name == "acr" && regexp.MustCompile(`^-?[0-9]+$`).MatchString(value) && value != "0" && value != "1"
			})
		},
		want: []string{"acr=2 on 4.4 → 400 key=acr", "vendor page: acr accepts one of 0, 1", "want code 400 with key \"acr\"; got code 201"},
	},
	{
		name: "version rule off by one (matched_called accepted on 4.0)", version: "4.0", filter: "version-history",
		broken: func(mock http.Handler) http.Handler {
			return paramsWith(mock, "phones/create", func(name, value string) (string, bool) {
				return "default", name == "callerid_external" && value == "matched_called"
			})
		},
		want: []string{"vendor page, change history 4.4: callerid_external: matched_called added to the accepted values; wire-contract.md: a value added in 4.4 is a 400 before 4.4"},
	},
	{
		name: "version rule off by one (matched_called refused on 4.4)", version: "4.4", filter: "version-history",
		broken: func(mock http.Handler) http.Handler {
			return refuse(mock, "phones/create", "callerid_external", func(p wire.Values) bool { return p["callerid_external"] == "matched_called" })
		},
		want: []string{"callerid_external=matched_called on 4.4 → 201", "a value added in 4.4 is valid from 4.4"},
	},
	{
		name: "parameter checked before its version (aoc on 3.13)", version: "3.13", filter: "version-history",
		broken: func(mock http.Handler) http.Handler {
			return refuse(mock, "phones/create", "aoc", func(p wire.Values) bool { v, ok := p["aoc"]; return ok && v != "0" && v != "1" })
		},
		want: []string{"vendor page, change history 3.14: aoc parameter added", "ignored like any unknown parameter before 3.14"},
	},
	{
		name: "old default after a change (cos 1 on 4.4)", version: "4.4", filter: "defaults || version-history",
		broken: func(mock http.Handler) http.Handler {
			return answerWith(mock, "phones/get", func(_ wire.Values, _, data map[string]any) {
				if isNumber(data["cos"], "0") {
					data["cos"] = 1
				}
			})
		},
		want: []string{"vendor page: default of cos is 0", "a default that changed in 3.14 follows the target's version"},
	},
	{
		name: "documented value refused (screen=2)", version: "4.4", filter: "validation",
		broken: func(mock http.Handler) http.Handler {
			return refuse(mock, "phones/create", "screen", func(p wire.Values) bool { return p["screen"] == "2" })
		},
		want: []string{"screen=2 on 4.4 → 201", "vendor page: screen accepts one of 0, 1, 2"},
	},
	{
		name: "wrong key on 400 (totalmaximum blamed on call_maximum)", version: "4.4", filter: "validation",
		broken: func(mock http.Handler) http.Handler {
			return answerWith(mock, "phones/create", func(_ wire.Values, resp, _ map[string]any) {
				if resp["key"] == "totalmaximum" {
					resp["key"] = "call_maximum"
				}
			})
		},
		want: []string{`want code 400 with key "totalmaximum"; got key "call_maximum"`},
	},
	{
		name: "HTTP 204 with no body", version: "4.4", filter: "codes",
		broken: func(mock http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rec := answertest.Record(mock, r)
				if function(r) == "phones/create" && strings.Contains(string(rec.Body), `"code":"204"`) {
					w.WriteHeader(http.StatusNoContent)
					return
				}
				rec.Send(w)
			})
		},
		want: []string{"wire-contract.md: every answer is HTTP 200; got HTTP 204"},
	},
	{
		name: "duplicate name accepted", version: "4.4", filter: "codes",
		broken: func(mock http.Handler) http.Handler {
			return answerWith(mock, "phones/create", func(p wire.Values, resp, _ map[string]any) {
				if resp["code"] == "400" && resp["key"] == "name" && p["name"] != "" {
					resp["code"], resp["key"] = "204", ""
					if p["validation"] == "1" {
						resp["code"] = "201"
					}
				}
			})
		},
		want: []string{"wire-contract.md: name already in use → 400 key name"},
	},
	{
		name: "outcome order (400 before 401)", version: "4.4", filter: "codes",
		broken: func(mock http.Handler) http.Handler {
			return refuse(mock, "phones/create", "acr", func(p wire.Values) bool { v, ok := p["acr"]; return ok && v != "0" && v != "1" })
		},
		want: []string{"wire-contract.md: outcomes are checked in the order 401, 402, 403, 400"},
	},
	{
		name: "validation=1 creates the line", version: "4.4", filter: "codes",
		broken: func(mock http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if function(r) == "phones/create" && paramsOf(r)["validation"] == "1" {
					created := r.Clone(r.Context())
					created.Body = r.Body
					body, _ := io.ReadAll(r.Body)
					created.Body = io.NopCloser(strings.NewReader(string(body)))
					editParams(created, func(name, _ string) (string, bool) { return "0", name == "validation" })
					if rec := answertest.Record(mock, created); strings.Contains(string(rec.Body), `"code":"204"`) {
						w.Header().Set("Content-Type", "application/json")
						_, _ = io.WriteString(w, `{"responses":[{"code":"201","key":"","message":"OK"}]}`)
						return
					}
					r.Body = io.NopCloser(strings.NewReader(string(body)))
				}
				mock.ServeHTTP(w, r)
			})
		},
		want: []string{"vendor page: with validation=1 nothing is created (phones/get answers 404)"},
	},
	{
		name: "';' not understood", version: "4.4", filter: "transport",
		broken: func(mock http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				r.URL.RawQuery = strings.ReplaceAll(r.URL.RawQuery, ";", "%3B")
				mock.ServeHTTP(w, r)
			})
		},
		want: []string{"pairs separated by & or ; (GET with ';')"},
	},
	{
		name: "trailing slash required", version: "4.4", filter: "transport",
		broken: func(mock http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !strings.HasSuffix(r.URL.Path, "/") {
					http.NotFound(w, r)
					return
				}
				mock.ServeHTTP(w, r)
			})
		},
		want: []string{"with or without a trailing slash", "got HTTP 404"},
	},
	{
		name: "unknown parameter refused", version: "4.4", filter: "transport",
		broken: func(mock http.Handler) http.Handler {
			known := contract.MustLoad().Latest()
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for name := range paramsOf(r) {
					if _, ok := known.Param(name); !ok && function(r) == "phones/create" {
						refuse(mock, "phones/create", name, func(wire.Values) bool { return true }).ServeHTTP(w, r)
						return
					}
				}
				mock.ServeHTTP(w, r)
			})
		},
		want: []string{"wire-contract.md: unknown parameter names are ignored"},
	},
	{
		name: "text cut short (found by fuzzing, shrunk)", version: "4.4", filter: "fuzz",
		broken: func(mock http.Handler) http.Handler { return truncateText(mock, 24) },
		want:   []string{"wire-contract.md: reading back — phones/get returns each value as it was created", "read back as", "shrunk to"},
	},
}

// TestSuiteCatchesBrokenServers: each variant breaks one rule of the
// contract; the suite must fail and its output must name that rule.
func TestSuiteCatchesBrokenServers(t *testing.T) {
	expectCaught(t, variants, 100)
}

// TestSuiteToleratesWhatTheContractAllows: servers that differ from the
// mock only where the contract lets them must still pass.
func TestSuiteToleratesWhatTheContractAllows(t *testing.T) {
	allowed := []struct {
		name   string
		wrap   func(http.Handler) http.Handler
		filter string
	}{
		{"numbers as numeric strings in phones/get", func(mock http.Handler) http.Handler {
			return answerWith(mock, "phones/get", func(_ wire.Values, _, data map[string]any) {
				for k, v := range data {
					if n, ok := v.(json.Number); ok {
						data[k] = n.String()
					}
				}
			})
		}, "defaults || round-trip || fuzz || version-history"},
		{"a charset on the content type", func(mock http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rec := answertest.Record(mock, r)
				rec.Header.Set("Content-Type", "application/json; charset=utf-8")
				rec.Send(w)
			})
		}, "transport || codes"},
		{"hardware fields not read back on 4.3", func(mock http.Handler) http.Handler {
			return answerWith(mock, "phones/get", func(_ wire.Values, _, data map[string]any) {
				for k := range data {
					if slices.Contains([]string{"hardware_address", "provision1", "provisioning"}, k) {
						delete(data, k)
					}
				}
			})
		}, "defaults || round-trip || fuzz"},
	}
	profilePath := mustProfile(t)
	for _, a := range allowed {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			r := run(t, a.wrap(mustMock(t, "4.3")), "4.3", profilePath, "--label-filter", a.filter, "--fuzz-cases", "100")
			if r.code != 0 {
				t.Fatalf("exit %d against a server the contract allows\n%s", r.code, r.tail())
			}
		})
	}
}

// TestSecretsNeverPrinted: a server that echoes every request into its
// messages, failing everything, still gets no secret into the output.
func TestSecretsNeverPrinted(t *testing.T) {
	const secret = "Adm1n-Sekr1t-Zz"
	data := strings.Replace(string(fixtures.Default), "{username: user, password: password,", "{username: user, password: "+secret+",", 1)
	if data == string(fixtures.Default) {
		t.Fatal("fixtures/default.yaml no longer has the admin account this test edits")
	}
	m, err := mockserver.New(mockserver.Options{Version: mustVersion(t, "4.4"), Fixtures: []byte(data)})
	if err != nil {
		t.Fatal(err)
	}
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		params := paramsOf(r)
		raw, _ := json.Marshal(params)
		rec := answertest.Record(m, r)
		rec.Edit(func(resp, data map[string]any) {
			resp["message"] = "you sent " + r.URL.RawQuery + " " + string(raw)
			if resp["code"] == "204" {
				resp["code"] = "200" // fail every create, so every request is printed
			}
		})
		rec.Send(w)
	})
	r := run(t, echo, "4.4", mustProfile(t, "{username: user,   password: password}", "{username: user, password: "+secret+"}"),
		"--fuzz-cases", "40")
	if r.code == 0 {
		t.Fatalf("exit 0 against a server that fails every create\n%s", r.tail())
	}
	if strings.Contains(r.out, secret) {
		t.Errorf("output contains the admin password")
	}
	if m := regexp.MustCompile(`Cf[0-9][0-9a-f]{17}`).FindString(r.out); m != "" {
		t.Errorf("output contains a line password %q", m)
	}
	if !strings.Contains(r.out, "auth_password=*****") {
		t.Errorf("output shows no masked request\n%s", r.tail())
	}
}

// expectCaught runs the suite, with fuzzCases fuzz cases, against each
// variant in parallel: it must fail, and its output must name the broken
// rule with every text of the variant's want.
func expectCaught(t *testing.T, variants []variant, fuzzCases int) {
	t.Helper()
	profilePath := mustProfile(t)
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			r := run(t, v.broken(mustMock(t, v.version)), v.version, profilePath,
				"--label-filter", v.filter, "--fuzz-cases", strconv.Itoa(fuzzCases), "--seed", "99")
			if r.code == 0 {
				t.Fatalf("exit 0 against a server that breaks %q; want a failure\n%s", v.name, r.tail())
			}
			for _, want := range v.want {
				if !strings.Contains(r.out, want) {
					t.Errorf("output does not name the broken rule: lacks %q\n%s", want, r.tail())
				}
			}
		})
	}
}
