package e2e_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/answertest"
	"github.com/enswitch-kit/phones/internal/wire"
)

// call sends fn with params to h directly, as a GET, and decodes the
// answer: what a broken wrapper asks the mock behind it.
func call(h http.Handler, fn string, params wire.Values) wire.Outcome {
	pairs := make([]wire.Pair, 0, len(params))
	for k, v := range params {
		pairs = append(pairs, wire.Pair{Name: k, Value: v})
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].Name < pairs[j].Name })
	rec := answertest.Record(h, httptest.NewRequest(http.MethodGet, wire.Path(fn)+"?"+wire.Encode(pairs, '&'), nil))
	out, _ := wire.Decode(rec.Body)
	return out
}

// withoutValidation is params as a real create.
func withoutValidation(params wire.Values) wire.Values {
	out := wire.Values{}
	for k, v := range params {
		if k != "validation" {
			out[k] = v
		}
	}
	return out
}

// overwriteOnDuplicate: a refused duplicate (400 key=name) still replaces
// the line already there with the refused request's fields and password.
func overwriteOnDuplicate(mock http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		params := paramsOf(r)
		rec := answertest.Record(mock, r)
		if function(r) == "phones/create" && strings.Contains(string(rec.Body), `"code":"400","key":"name"`) && strings.HasPrefix(params["name"], "97") {
			call(mock, "phones/delete", wire.Values{"auth_username": params["auth_username"], "auth_password": params["auth_password"], "name": params["name"]})
			call(mock, "phones/create", withoutValidation(params))
		}
		rec.Send(w)
	})
}

// passwordOnDuplicate: a refused duplicate keeps the line's fields but
// stores its password (phones/get with password=1 returns it).
func passwordOnDuplicate(mock http.Handler) http.Handler {
	var mu sync.Mutex
	refused := map[string]string{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		params := paramsOf(r)
		rec := answertest.Record(mock, r)
		switch function(r) {
		case "phones/create":
			if p, ok := params["password"]; ok && strings.Contains(string(rec.Body), `"code":"400","key":"name"`) {
				mu.Lock()
				refused[params["name"]] = p
				mu.Unlock()
			}
		case "phones/get":
			mu.Lock()
			p, ok := refused[params["name"]]
			mu.Unlock()
			if ok && params["password"] == "1" {
				rec.Edit(func(_, data map[string]any) { data["password"] = p })
			}
		}
		rec.Send(w)
	})
}

// racyCreate checks whether the name is free, waits, then creates: creates
// of one name that arrive together all find it free, and each replaces the
// line the one before it made (last writer wins, every one answered 204).
func racyCreate(mock http.Handler) http.Handler {
	var mu sync.Mutex
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		params := paramsOf(r)
		if function(r) != "phones/create" || params["validation"] == "1" {
			mock.ServeHTTP(w, r)
			return
		}
		login := wire.Values{"auth_username": params["auth_username"], "auth_password": params["auth_password"], "name": params["name"]}
		free := call(mock, "phones/get", login).Code == wire.NotFound
		time.Sleep(200 * time.Millisecond) // the window a check-then-act server leaves open
		if !free {
			mock.ServeHTTP(w, r)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		call(mock, "phones/delete", login)
		mock.ServeHTTP(w, r)
	})
}

// storeBefore answers phones/get with the value a create gave param, as
// if the server stored a parameter its version does not have.
func storeBefore(mock http.Handler, param string) http.Handler {
	var mu sync.Mutex
	sent := map[string]string{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		params := paramsOf(r)
		switch function(r) {
		case "phones/create":
			if v, ok := params[param]; ok {
				mu.Lock()
				sent[params["name"]] = v
				mu.Unlock()
			}
			mock.ServeHTTP(w, r)
		case "phones/get":
			rec := answertest.Record(mock, r)
			mu.Lock()
			v, ok := sent[params["name"]]
			mu.Unlock()
			if ok {
				rec.Edit(func(_, data map[string]any) {
					if data != nil {
						data[param] = v
					}
				})
			}
			rec.Send(w)
		default:
			mock.ServeHTTP(w, r)
		}
	})
}

// answerFor replaces the answer of fn for the line name with body.
func answerFor(mock http.Handler, fn, name, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if function(r) == fn && paramsOf(r)["name"] == name {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, body)
			return
		}
		mock.ServeHTTP(w, r)
	})
}

// onPost runs edit on every POST before the mock sees it.
func onPost(mock http.Handler, edit func(r *http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			edit(r)
		}
		mock.ServeHTTP(w, r)
	})
}

// editBody rewrites a request's body.
func editBody(r *http.Request, edit func(string) string) {
	body, _ := io.ReadAll(r.Body)
	out := edit(string(body))
	r.Body = io.NopCloser(strings.NewReader(out))
	r.ContentLength = int64(len(out))
}

// lastValueWins keeps the last of repeated pairs in a form body.
func lastValueWins(body string) string {
	pairs := strings.FieldsFunc(body, func(r rune) bool { return r == '&' || r == ';' })
	last := map[string]int{}
	for i, p := range pairs {
		name, _, _ := strings.Cut(p, "=")
		last[name] = i
	}
	var out []string
	for i, p := range pairs {
		name, _, _ := strings.Cut(p, "=")
		if last[name] == i {
			out = append(out, p)
		}
	}
	return strings.Join(out, "&")
}

// acceptsBorrowedValues lets a create through when a parameter holds a
// word it refuses but another parameter names (callerid_location=default,
// media=register): a server that checks words against one shared list.
// Only faults drawn from the whole value space find it.
func acceptsBorrowedValues(mock http.Handler, version string) http.Handler {
	v, _ := contract.ParseVersion(version)
	view, _ := contract.MustLoad().At(v)
	params := view.Params()
	return paramsWith(mock, "phones/create", func(name, value string) (string, bool) {
		p, ok := view.Param(name)
		if !ok || p.Check(value) == nil || value == "" {
			return "", false
		}
		if _, err := strconv.ParseFloat(value, 64); err == nil {
			return "", false // only words, which no type's own stand-in borrows
		}
		for _, other := range params {
			if other.Name != name && slices.Contains(other.Values, value) {
				return p.Default, p.HasDefault
			}
		}
		return "", false
	})
}

// settledVariants break one settled point of the wire contract, or one
// rule of its transport section on one way of sending, each.
var settledVariants = []variant{
	{
		name: "settled 1: key blames a parameter that is not at fault", version: "4.4", filter: "settled:1",
		broken: func(mock http.Handler) http.Handler {
			return answerWith(mock, "phones/create", func(_ wire.Values, resp, _ map[string]any) {
				if resp["code"] == "400" {
					resp["key"] = "auth_username"
				}
			})
		},
		want: []string{"settled point 1, a request with several invalid parameters is a 400 whose key names one of them", "want code 400 with key one of"},
	},
	{
		name: "settled 2: key on a 204", version: "4.4", filter: "codes",
		broken: func(mock http.Handler) http.Handler {
			return answerWith(mock, "phones/create", func(_ wire.Values, resp, _ map[string]any) {
				if resp["code"] == "204" {
					resp["key"] = "name"
				}
			})
		},
		want: []string{"settled point 2, key is empty on a 2xx", `got key "name" with code 204`},
	},
	{
		name: "settled 3: create in another customer accepted", version: "4.4", filter: "settled:3",
		broken: func(mock http.Handler) http.Handler {
			return paramsWith(mock, "phones/create", func(name, value string) (string, bool) { return "0", name == "customer" && value == "2" })
		},
		want: []string{"settled point 3, customer set to a customer the account may not act on → 400 key customer"},
	},
	{
		name: "settled 3: phones/get shows another customer's line", version: "4.4", filter: "settled:3",
		broken: func(mock http.Handler) http.Handler {
			return answerFor(mock, "phones/get", "2001", `{"responses":[{"code":"200","key":"","message":"OK"}],"data":{"name":"2001","customer":2}}`)
		},
		want: []string{"settled point 3, phones/get of existing.other_customer_line answers 404", "want code 404; got code 200"},
	},
	{
		name: "settled 3: phones/delete removes another customer's line", version: "4.4", filter: "settled:3",
		broken: func(mock http.Handler) http.Handler {
			return answerFor(mock, "phones/delete", "2001", `{"responses":[{"code":"204","key":"","message":"OK"}]}`)
		},
		want: []string{"settled point 3, deleting existing.other_customer_line answers 404 and leaves that line in place", "want code 404; got code 204"},
	},
	{
		name: "settled 8: a refused duplicate overwrites the line", version: "4.4", filter: "settled:8",
		broken: overwriteOnDuplicate,
		want:   []string{"settled point 8, a refused create changes nothing: the first line keeps every field and its password", "changed: "},
	},
	{
		name: "settled 8: a refused duplicate stores its password", version: "4.4", filter: "settled:8",
		broken: passwordOnDuplicate,
		want:   []string{"settled point 8, a refused create changes nothing: the first line keeps every field and its password", "phones/get returned password = ***** (another value)"},
	},
	{
		name: "settled 10: cleanup answers 204 for a line already gone", version: "4.4", filter: "cleanup",
		broken: func(mock http.Handler) http.Handler {
			return answerWith(mock, "phones/delete", func(_ wire.Values, resp, _ map[string]any) {
				if resp["code"] == "404" {
					resp["code"], resp["key"] = "204", ""
				}
			})
		},
		want: []string{"settled point 10, the cleanup function answers 404 for a line already gone"},
	},
	{
		name: "settled 13: a parameter stored before its version (aoc on 3.13)", version: "3.13", filter: "version-history",
		broken: func(mock http.Handler) http.Handler { return storeBefore(mock, "aoc") },
		want:   []string{"aoc parameter added", "settled point 13, before its version a parameter is not stored", "the value given; want it ignored"},
	},
	{
		name: "settled 14: racing creates of one name all succeed", version: "4.4", filter: "settled:14",
		broken: racyCreate,
		want:   []string{"settled point 14, concurrent creates of one name: exactly one of them answers 204", "204, 204"},
	},
	{
		name: "faults from the whole space: a value valid for another parameter accepted", version: "4.4", filter: "fuzz",
		broken: func(mock http.Handler) http.Handler { return acceptsBorrowedValues(mock, "4.4") },
		want:   []string{"single-fault variants failed", "want code 400 with key"},
	},
	{
		name: "transport: ';' not understood in a POST body", version: "4.4", filter: "transport",
		broken: func(mock http.Handler) http.Handler {
			return onPost(mock, func(r *http.Request) { editBody(r, func(b string) string { return strings.ReplaceAll(b, ";", "%3B") }) })
		},
		want: []string{"pairs separated by & or ; (POST form with ';')"},
	},
	{
		name: "transport: query string ignored on a POST", version: "4.4", filter: "transport",
		broken: func(mock http.Handler) http.Handler {
			return onPost(mock, func(r *http.Request) { r.URL.RawQuery = "" })
		},
		want: []string{"wire-contract.md: query string parameters on a POST count too"},
	},
	{
		name: "transport: the last value wins in a POST body", version: "4.4", filter: "transport",
		broken: func(mock http.Handler) http.Handler {
			return onPost(mock, func(r *http.Request) { editBody(r, lastValueWins) })
		},
		want: []string{"takes the first value of a repeated parameter", "POST form", "wire-contract.md: a parameter given twice: the first value counts"},
	},
	{
		name: "transport: values decoded twice ('%41' arrives as 'A', '+' as a space)", version: "4.4", filter: "transport",
		broken: func(mock http.Handler) http.Handler {
			return paramsWith(mock, "phones/create", func(_, value string) (string, bool) {
				twice, err := url.QueryUnescape(value)
				return twice, err == nil && twice != value
			})
		},
		want: []string{"values arrive byte for byte"},
	},
}

// TestSuiteCatchesBrokenSettledPoints: each variant breaks one settled
// point or transport rule; the suite must fail naming it.
func TestSuiteCatchesBrokenSettledPoints(t *testing.T) {
	expectCaught(t, settledVariants, 100)
}

// strongPassword is a strict password policy: 12 characters or more, with
// a lower case letter, an upper case letter and a digit.
func strongPassword(p string) bool {
	return len(p) >= 12 && strings.ContainsAny(p, "abcdefghijklmnopqrstuvwxyz") &&
		strings.ContainsAny(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") && strings.ContainsAny(p, "0123456789")
}

// TestSuiteToleratesTheSettledPoints: servers that differ from the mock
// only where a settled point lets them must pass, every label run.
func TestSuiteToleratesTheSettledPoints(t *testing.T) {
	allowed := []struct {
		name    string
		version string
		wrap    func(http.Handler) http.Handler
	}{
		{"settled 2: key names the parameter concerned on 401 and 404", "4.4", func(mock http.Handler) http.Handler {
			return answerWith(answerWith(mock, "phones/get", func(_ wire.Values, resp, _ map[string]any) {
				if resp["code"] == "404" {
					resp["key"] = "name"
				}
			}), "phones/create", func(_ wire.Values, resp, _ map[string]any) {
				if resp["code"] == "401" {
					resp["key"] = "auth_password"
				}
			})
		}},
		{"settled 4: refuses text over 64 characters and numbers over 12 digits", "4.4", func(mock http.Handler) http.Handler {
			return refuseAny(mock, func(k, v string) bool {
				return k != "name" && k != "copy_password" && (utf8.RuneCountInString(v) > 64 || strings.Trim(v, "0123456789") == "" && len(v) > 12)
			})
		}},
		{"settled 5: refuses ltype=phone without lnumber", "4.4", func(mock http.Handler) http.Handler {
			return refuse(mock, "phones/create", "ltype", func(p wire.Values) bool { return p["ltype"] == "phone" && p["lnumber"] == "" })
		}},
		{"settled 6: null for empty text in phones/get", "4.4", func(mock http.Handler) http.Handler {
			return answerWith(mock, "phones/get", func(_ wire.Values, _, data map[string]any) {
				for k, v := range data {
					if v == "" {
						data[k] = nil
					}
				}
			})
		}},
		{"settled 7: phones/get ignores password=1 on 3.13", "3.13", func(mock http.Handler) http.Handler {
			return answerWith(mock, "phones/get", func(_ wire.Values, _, data map[string]any) { delete(data, "password") })
		}},
		{"settled 9: data {} on 204, null on 201", "4.4", func(mock http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rec := answertest.Record(mock, r)
				if function(r) == "phones/create" {
					body := string(rec.Body)
					switch {
					case strings.Contains(body, `"code":"204"`):
						rec.Body = []byte(strings.TrimSuffix(strings.TrimSpace(body), "}") + `,"data":{}}`)
					case strings.Contains(body, `"code":"201"`):
						rec.Body = []byte(strings.TrimSuffix(strings.TrimSpace(body), "}") + `,"data":null}`)
					}
				}
				rec.Send(w)
			})
		}},
		{"settled 11: a strict password policy", "4.4", func(mock http.Handler) http.Handler {
			return refuseValid(mock, "phones/create", "password", func(p wire.Values) bool { v, ok := p["password"]; return ok && !strongPassword(v) })
		}},
		{"settled 12: trims text and refuses characters above U+FFFF", "4.4", func(mock http.Handler) http.Handler {
			trimmed := paramsWith(mock, "phones/create", func(_, v string) (string, bool) { return strings.TrimSpace(v), strings.TrimSpace(v) != v })
			return refuseAny(trimmed, func(_, v string) bool { return strings.ContainsFunc(v, func(r rune) bool { return r > 0xFFFF }) })
		}},
	}
	profilePath := mustProfile(t)
	for _, a := range allowed {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			r := run(t, a.wrap(mustMock(t, a.version)), a.version, profilePath, "--fuzz-cases", "200", "--seed", "3")
			if r.code != 0 {
				t.Fatalf("exit %d against a server the contract allows\n%s", r.code, r.tail())
			}
		})
	}
}

// refuseAny answers 400 naming the first parameter of a create (in name
// order) that bad selects, before the mock sees it.
func refuseAny(mock http.Handler, bad func(name, value string) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if function(r) == "phones/create" {
			params := paramsOf(r)
			names := make([]string, 0, len(params))
			for k := range params {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, k := range names {
				if !strings.HasPrefix(k, "auth_") && bad(k, params[k]) {
					refuse(mock, "phones/create", k, func(wire.Values) bool { return true }).ServeHTTP(w, r)
					return
				}
			}
		}
		mock.ServeHTTP(w, r)
	})
}
