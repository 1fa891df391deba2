package e2e_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/enswitch-kit/phones/internal/answertest"
	"github.com/enswitch-kit/phones/internal/wire"
)

// nearMissVariants break one rule the near-miss, way-by-way and state
// checks cover, each.
var nearMissVariants = []variant{
	{
		name: "near-miss: a named value accepted in other letter case (media=VOICE)", version: "4.4", filter: "near-miss",
		broken: func(mock http.Handler) http.Handler {
			return paramsWith(mock, "phones/create", func(name, value string) (string, bool) {
				return strings.ToLower(value), name == "media" && strings.ToLower(value) != value
			})
		},
		want: []string{"media=VOICE on 4.4 → 400 key=media", "written as the page writes them (letter case included)"},
	},
	{
		name: "near-miss: a 0/1 flag takes true (acr=true)", version: "3.13", filter: "near-miss",
		broken: func(mock http.Handler) http.Handler {
			return paramsWith(mock, "phones/create", func(name, value string) (string, bool) { return "1", name == "acr" && value == "true" })
		},
		want: []string{"acr=true on 3.13 → 400 key=acr", "a word (true, yes, on) is invalid input"},
	},
	{
		name: "ways: a POST form drops screen", version: "4.4", filter: "validation || round-trip",
		broken: func(mock http.Handler) http.Handler {
			return onPost(mock, func(r *http.Request) {
				editBody(r, func(b string) string {
					var keep []string
					for _, pair := range strings.FieldsFunc(b, func(r rune) bool { return r == '&' || r == ';' }) {
						if !strings.HasPrefix(pair, "screen=") {
							keep = append(keep, pair)
						}
					}
					return strings.Join(keep, "&")
				})
			})
		},
		want: []string{"by POST form", "whichever way the request travels"},
	},
	{
		name: "ways: the password compared without letter case", version: "4.4", filter: "codes",
		broken: func(mock http.Handler) http.Handler {
			return paramsWith(mock, "phones/create", func(name, value string) (string, bool) {
				return strings.ToLower(value), name == "auth_password" && strings.ToLower(value) != value
			})
		},
		want: []string{"auth_password in other letter case → 401", "a password differing in letter case is wrong"},
	},
	{
		name: "state: a name created again keeps the deleted line's fields", version: "4.4", filter: "defaults",
		broken: keepOnRecreate,
		want:   []string{"a name created again after a delete is a new line"},
	},
	{
		name: "state: a refused create reserves the name", version: "4.4", filter: "codes",
		broken: reserveOnRefusal,
		want:   []string{"settled point 8, a refused create changes nothing: the name stays free"},
	},
	{
		name: "storage: text normalised to NFC", version: "4.4", filter: "round-trip",
		broken: func(mock http.Handler) http.Handler {
			return paramsWith(mock, "phones/create", func(_, value string) (string, bool) {
				n := norm.NFC.String(value)
				return n, n != value
			})
		},
		want: []string{"up to 64 characters (not bytes) read back exactly, byte for byte"},
	},
	{
		name: "storage: 0 stored as the default (direct=0 reads back 1)", version: "4.4", filter: "round-trip",
		broken: func(mock http.Handler) http.Handler {
			return paramsWith(mock, "phones/create", func(name, value string) (string, bool) { return "1", name == "direct" && value == "0" })
		},
		want: []string{"0 given is stored as 0, not replaced by the default 1"},
	},
	{
		name: "read back: the password returned for password=0", version: "4.4", filter: "codes",
		broken: func(mock http.Handler) http.Handler {
			return answerWith(mock, "phones/get", func(p wire.Values, _, data map[string]any) {
				if p["password"] == "0" && data != nil {
					data["password"] = "leaked"
				}
			})
		},
		want: []string{"phones/get returns the password only for password=1 (here password=0)"},
	},
	{
		name: "transport: an empty first value skipped in a GET", version: "4.4", filter: "codes",
		broken: func(mock http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet {
					var keep []string
					for _, pair := range strings.FieldsFunc(r.URL.RawQuery, func(r rune) bool { return r == '&' || r == ';' }) {
						if !strings.HasSuffix(pair, "=") {
							keep = append(keep, pair)
						}
					}
					r.URL.RawQuery = strings.Join(keep, "&")
				}
				mock.ServeHTTP(w, r)
			})
		},
		want: []string{"the first value counts, even when it is empty"},
	},
}

// keepOnRecreate: a line created again after a delete comes back with the
// deleted line's fields where the new create leaves them out.
func keepOnRecreate(mock http.Handler) http.Handler {
	var mu sync.Mutex
	old := map[string]map[string]any{}
	given := map[string]wire.Values{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		params := paramsOf(r)
		name := params["name"]
		switch function(r) {
		case "phones/delete":
			login := wire.Values{"auth_username": params["auth_username"], "auth_password": params["auth_password"], "name": name}
			rec := answertest.Record(mock, httptestGet("phones/get", login))
			rec.Edit(func(_, data map[string]any) {
				mu.Lock()
				old[name] = data
				mu.Unlock()
			})
		case "phones/create":
			mu.Lock()
			given[name] = params
			mu.Unlock()
		case "phones/get":
			rec := answertest.Record(mock, r)
			mu.Lock()
			fields, g := old[name], given[name]
			mu.Unlock()
			rec.Edit(func(_, data map[string]any) {
				for k, v := range fields {
					if _, ok := g[k]; !ok && data != nil {
						data[k] = v
					}
				}
			})
			rec.Send(w)
			return
		}
		mock.ServeHTTP(w, r)
	})
}

// reserveOnRefusal: a real create refused with 400 (not for its name)
// keeps the name taken.
func reserveOnRefusal(mock http.Handler) http.Handler {
	var mu sync.Mutex
	reserved := map[string]bool{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		params := paramsOf(r)
		if function(r) != "phones/create" {
			mock.ServeHTTP(w, r)
			return
		}
		mu.Lock()
		taken := reserved[params["name"]]
		mu.Unlock()
		if taken {
			refuse(mock, "phones/create", "name", func(wire.Values) bool { return true }).ServeHTTP(w, r)
			return
		}
		rec := answertest.Record(mock, r)
		if o, _ := wire.Decode(rec.Body); o.Code == wire.Invalid && o.Key != "name" && params["validation"] != "1" {
			mu.Lock()
			reserved[params["name"]] = true
			mu.Unlock()
		}
		rec.Send(w)
	})
}

// httptestGet is fn with params as a GET request to the mock.
func httptestGet(fn string, params wire.Values) *http.Request {
	var pairs []wire.Pair
	for k, v := range params {
		pairs = append(pairs, wire.Pair{Name: k, Value: v})
	}
	r, _ := http.NewRequest(http.MethodGet, wire.Path(fn)+"?"+wire.Encode(pairs, '&'), nil)
	return r
}

// TestSuiteCatchesNearMissesWaysAndState: each variant breaks one rule the
// near-miss, way-by-way or state checks cover; the suite must fail naming it.
func TestSuiteCatchesNearMissesWaysAndState(t *testing.T) {
	expectCaught(t, nearMissVariants, 20)
}

// TestSuiteToleratesWhatTheNearMissesLeaveOpen: servers that differ from the
// mock only where the contract leaves a near-miss open must pass every
// label.
func TestSuiteToleratesWhatTheNearMissesLeaveOpen(t *testing.T) {
	allowed := []struct {
		name    string
		version string
		wrap    func(http.Handler) http.Handler
	}{
		{"extra fields in phones/get (display)", "4.4", func(mock http.Handler) http.Handler {
			return answerWith(mock, "phones/get", func(_ wire.Values, _, data map[string]any) {
				if data != nil {
					data["display"] = "Reception"
				}
			})
		}},
		{"auth_username compared without letter case", "4.4", func(mock http.Handler) http.Handler {
			return paramsWith(mock, "phones/create", func(name, value string) (string, bool) {
				return strings.ToLower(value), name == "auth_username" && strings.ToLower(value) != value
			})
		}},
		{"integers written 01, +1 and 1e0 accepted", "3.13", func(mock http.Handler) http.Handler {
			return paramsWith(mock, "phones/create", func(_, value string) (string, bool) {
				if v, ok := strings.CutSuffix(value, "e0"); ok && v != "" && strings.Trim(v, "0123456789") == "" {
					return v, true
				}
				return "", false
			})
		}},
		{"numbers as strings, null for empty text, trimmed values", "4.4", func(mock http.Handler) http.Handler {
			trimmed := paramsWith(mock, "phones/create", func(_, v string) (string, bool) { return strings.TrimSpace(v), strings.TrimSpace(v) != v })
			return answerWith(trimmed, "phones/get", func(_ wire.Values, _, data map[string]any) {
				for k, v := range data {
					switch x := v.(type) {
					case string:
						if x == "" {
							data[k] = nil
						}
					default:
						if n, ok := v.(interface{ String() string }); ok {
							data[k] = n.String()
						}
					}
				}
			})
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
