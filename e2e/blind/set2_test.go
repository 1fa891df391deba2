package blind

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/fixtures"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver"
)

// The default fixtures' accounts (fixtures/default.yaml) and a line the
// way the suite names them (fixtures/profile.yaml: name_prefix 97).
const (
	s2Admin  = "auth_username=user&auth_password=password"
	s2Clerk  = "auth_username=clerk&auth_password=clerk-secret"
	s2NoPlan = "auth_username=noplan&auth_password=noplan-secret"
	s2Line   = "name=9700001&password=Abcdefghij1234567890"
)

// s2Seen is what one request got back.
type s2Seen struct {
	status int
	ct     string
	body   []byte
	out    wire.Outcome
	err    error // the body is not an envelope
}

// String is the outcome: its code, and its key when there is one.
func (s s2Seen) String() string {
	switch {
	case s.err != nil:
		return "not an envelope"
	case s.out.Key != "":
		return string(s.out.Code) + " key=" + s.out.Key
	}
	return string(s.out.Code)
}

// field is data's member name as JSON text, or "missing".
func (s s2Seen) field(name string) string {
	var data map[string]json.RawMessage
	_ = json.Unmarshal(s.out.Data, &data)
	if v, ok := data[name]; ok {
		return string(v)
	}
	return "missing"
}

// rawCode is the first response's code as JSON text.
func (s s2Seen) rawCode() string {
	var env struct {
		Responses []map[string]json.RawMessage `json:"responses"`
	}
	if json.Unmarshal(s.body, &env) != nil || len(env.Responses) == 0 {
		return "none"
	}
	return string(env.Responses[0]["code"])
}

// s2Do sends one request to h; header holds name, value pairs.
func s2Do(t *testing.T, h http.Handler, method, target, body string, header ...string) s2Seen {
	t.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if method == http.MethodPost {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	res := w.Result()
	b, _ := io.ReadAll(res.Body)
	s := s2Seen{status: res.StatusCode, ct: res.Header.Get("Content-Type"), body: b}
	s.out, s.err = wire.Decode(b)
	return s
}

// s2Fn sends a GET of function fn with query.
func s2Fn(t *testing.T, h http.Handler, fn, query string) s2Seen {
	t.Helper()
	return s2Do(t, h, http.MethodGet, wire.Path(fn)+"?"+query, "")
}

func s2Create(t *testing.T, h http.Handler, query string) s2Seen {
	t.Helper()
	return s2Fn(t, h, contract.Create, query)
}

// s2Read is phones/get of name by the admin account, with password=1
// when withPassword.
func s2Read(t *testing.T, h http.Handler, name string, withPassword bool) s2Seen {
	t.Helper()
	q := s2Admin + "&name=" + name
	if withPassword {
		q += "&password=1"
	}
	return s2Fn(t, h, contract.Get, q)
}

// s2Burst sends n creates of query at once and returns their outcomes.
func s2Burst(t *testing.T, h http.Handler, n int, query string) []string {
	var wg sync.WaitGroup
	start := make(chan struct{})
	seen := make([]string, n)
	for i := range n {
		wg.Go(func() {
			<-start
			seen[i] = s2Create(t, h, query).String()
		})
	}
	close(start)
	wg.Wait()
	return seen
}

// s2CreateRead is a proof that creates line 9700001 with name=value and
// reads name back: the create's outcome | the value read.
func s2CreateRead(name, value string) func(t *testing.T, h http.Handler) string {
	return func(t *testing.T, h http.Handler) string {
		created := s2Create(t, h, s2Admin+"&"+name+"="+value+"&"+s2Line)
		return s2Join(created, s2Read(t, h, "9700001", false).field(name))
	}
}

func s2Join(parts ...any) string {
	var s []string
	for _, p := range parts {
		s = append(s, fmt.Sprint(p))
	}
	return strings.Join(s, " | ")
}

// s2Case shows one server's defect: run sends a short sequence and
// describes what came back; want is what docs/ say (the clean mock), got
// what the broken server answers instead.
type s2Case struct {
	run       func(t *testing.T, h http.Handler) string
	want, got string
}

var s2Cases = map[string]s2Case{
	"auth-password-case-insensitive": {
		run: func(t *testing.T, h http.Handler) string {
			return s2Create(t, h, "auth_username=user&auth_password=PASSWORD&"+s2Line).String()
		},
		want: "401", got: "204",
	},
	"auth-empty-password": {
		run: func(t *testing.T, h http.Handler) string {
			missing := s2Create(t, h, "auth_username=user&name=9700001&password=Abcdefghij1234567890")
			empty := s2Create(t, h, "auth_username=user&auth_password=&name=9700002&password=Abcdefghij1234567890")
			return s2Join(missing, empty)
		},
		want: "401 | 401", got: "204 | 204",
	},
	"role-checked-before-password": {
		run: func(t *testing.T, h http.Handler) string {
			clerk := s2Create(t, h, "auth_username=clerk&auth_password=wrong&"+s2Line)
			noplan := s2Create(t, h, "auth_username=noplan&auth_password=wrong&"+s2Line)
			return s2Join(clerk, noplan)
		},
		want: "401 | 401", got: "402 | 403",
	},
	"validation-skips-role": {
		run: func(t *testing.T, h http.Handler) string {
			return s2Join(s2Create(t, h, s2Clerk+"&validation=1&"+s2Line), s2Create(t, h, s2NoPlan+"&validation=1&"+s2Line))
		},
		want: "402 | 403", got: "201 | 201",
	},
	"plan-checked-after-input": {
		run: func(t *testing.T, h http.Handler) string {
			return s2Create(t, h, s2NoPlan+"&acr=7&"+s2Line).String()
		},
		want: "403", got: "400 key=acr",
	},
	"validation-ignores-name-in-use": {
		run: func(t *testing.T, h http.Handler) string {
			return s2Create(t, h, s2Admin+"&validation=1&name=1001&password=Abcdefghij1234567890").String()
		},
		want: "400 key=name", got: "201",
	},
	"validation-zero-validates": {
		run: func(t *testing.T, h http.Handler) string {
			return s2Join(s2Create(t, h, s2Admin+"&validation=0&"+s2Line), s2Read(t, h, "9700001", false))
		},
		want: "204 | 200", got: "201 | 404 key=name",
	},
	"refused-create-kept": {
		run: func(t *testing.T, h http.Handler) string {
			return s2Join(s2Create(t, h, s2Admin+"&ringtime=20&acr=7&"+s2Line), s2Read(t, h, "9700001", false))
		},
		want: "400 key=acr | 404 key=name", got: "400 key=acr | 200",
	},
	"customer-outside-subtree": {
		run: func(t *testing.T, h http.Handler) string {
			created := s2Create(t, h, s2Admin+"&customer=2&"+s2Line)
			stored := s2Do(t, h, http.MethodGet, "/_mock/lines/9700001", "")
			return s2Join(created, stored.field("customer"))
		},
		want: "400 key=customer | missing", got: "204 | 2",
	},
	"get-other-customer": {
		run: func(t *testing.T, h http.Handler) string {
			return s2Read(t, h, "2001", false).String()
		},
		want: "404 key=name", got: "200",
	},
	"delete-other-customer": {
		run: func(t *testing.T, h http.Handler) string {
			deleted := s2Fn(t, h, contract.Delete, s2Admin+"&name=2001")
			return s2Join(deleted, s2Do(t, h, http.MethodGet, "/_mock/lines/2001", ""))
		},
		want: "404 key=name | 200", got: "204 | 404 key=name",
	},
	"copy-password-any-customer": {
		run: func(t *testing.T, h http.Handler) string {
			created := s2Create(t, h, s2Admin+"&name=9700001&copy_password=2001")
			return s2Join(created, s2Read(t, h, "9700001", true).field("password"))
		},
		want: "400 key=copy_password | missing", got: `204 | "other-secret"`,
	},
	"copy-password-overridden": {
		run: func(t *testing.T, h http.Handler) string {
			created := s2Create(t, h, s2Admin+"&copy_password=1001&"+s2Line)
			return s2Join(created, s2Read(t, h, "9700001", true).field("password"))
		},
		want: `204 | "line-secret"`, got: `204 | "Abcdefghij1234567890"`,
	},
	"soft-delete-blocks-recreate": {
		run: func(t *testing.T, h http.Handler) string {
			first := s2Create(t, h, s2Admin+"&"+s2Line)
			deleted := s2Fn(t, h, contract.Delete, s2Admin+"&name=9700001")
			return s2Join(first, deleted, s2Read(t, h, "9700001", false), s2Create(t, h, s2Admin+"&"+s2Line))
		},
		want: "204 | 204 | 404 key=name | 204", got: "204 | 204 | 404 key=name | 400 key=name",
	},
	"get-cache-stale": {
		run: func(t *testing.T, h http.Handler) string {
			created := s2Create(t, h, s2Admin+"&"+s2Line)
			read := s2Read(t, h, "9700001", false)
			deleted := s2Fn(t, h, contract.Delete, s2Admin+"&name=9700001")
			return s2Join(created, read, deleted, s2Read(t, h, "9700001", false))
		},
		want: "204 | 200 | 204 | 404 key=name", got: "204 | 200 | 204 | 200",
	},
	"duplicate-overwrites": {
		run: func(t *testing.T, h http.Handler) string {
			first := s2Create(t, h, s2Admin+"&name=9700001&password=FirstPassword1234567&ringtime=20")
			again := s2Create(t, h, s2Admin+"&name=9700001&password=OtherPassword1234567&ringtime=30")
			read := s2Read(t, h, "9700001", true)
			return s2Join(first, again, read.field("password"), read.field("ringtime"))
		},
		want: `204 | 400 key=name | "FirstPassword1234567" | 20`,
		got:  `204 | 400 key=name | "OtherPassword1234567" | 30`,
	},
	"create-race": {
		// Bursts of parallel creates of one name: the clean mock's every
		// burst has one 204; a burst on a loaded machine may miss the
		// broken server's window, so it gets five.
		run: func(t *testing.T, h http.Handler) string {
			var seen []string
			for burst := range 5 {
				seen = s2Burst(t, h, 8, fmt.Sprintf("%s&name=970000%d&password=Abcdefghij1234567890", s2Admin, burst))
				if created := slices.Index(seen, "204"); created >= 0 && slices.Contains(seen[created+1:], "204") {
					return "several 204"
				}
			}
			if slices.Contains(seen, "204") && len(slices.DeleteFunc(seen, func(s string) bool { return s == "204" || s == "400 key=name" })) == 0 {
				return "one 204, the others 400 key=name"
			}
			return fmt.Sprint(seen)
		},
		want: "one 204, the others 400 key=name", got: "several 204",
	},
	"delete-always-204": {
		run: func(t *testing.T, h http.Handler) string {
			return s2Fn(t, h, contract.Delete, s2Admin+"&name=9799999").String()
		},
		want: "404 key=name", got: "204",
	},
	"semicolon-not-a-separator": {
		run: func(t *testing.T, h http.Handler) string {
			return s2Create(t, h, "auth_username=user;auth_password=password;name=9700001;password=Abcdefghij1234567890").String()
		},
		want: "204", got: "401",
	},
	"last-duplicate-wins": {
		run: func(t *testing.T, h http.Handler) string {
			created := s2Create(t, h, s2Admin+"&ringtime=20&ringtime=30&"+s2Line)
			return s2Join(created, s2Read(t, h, "9700001", false).field("ringtime"))
		},
		want: "204 | 20", got: "204 | 30",
	},
	"post-ignores-query": {
		run: func(t *testing.T, h http.Handler) string {
			return s2Do(t, h, http.MethodPost, wire.Path(contract.Create)+"?"+s2Admin, s2Line).String()
		},
		want: "204", got: "401",
	},
	"form-charset-refused": {
		run: func(t *testing.T, h http.Handler) string {
			s := s2Do(t, h, http.MethodPost, wire.Path(contract.Create), s2Admin+"&"+s2Line, "Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
			return s2Join(s.status, s)
		},
		want: "200 | 204", got: "415 | 400",
	},
	"values-decoded-twice": {
		run:  s2CreateRead("callerid_external", "%2B441234567"),
		want: `204 | "+441234567"`, got: "400 key=callerid_external | missing",
	},
	"latin1-connection": {
		run: func(t *testing.T, h http.Handler) string {
			s2Create(t, h, s2Admin+"&description=Caf%C3%A9+Lobby&"+s2Line)
			return s2Read(t, h, "9700001", false).field("description")
		},
		want: `"Café Lobby"`, got: `"CafÃ© Lobby"`,
	},
	"get-leaks-password": {
		run: func(t *testing.T, h http.Handler) string {
			s2Create(t, h, s2Admin+"&"+s2Line)
			return s2Read(t, h, "9700001", false).field("password")
		},
		want: "missing", got: `"Abcdefghij1234567890"`,
	},
	"code-number-on-400": {
		run: func(t *testing.T, h http.Handler) string {
			return s2Create(t, h, s2Admin+"&acr=7&"+s2Line).rawCode()
		},
		want: `"400"`, got: "400",
	},
	"html-content-type-on-401": {
		run: func(t *testing.T, h http.Handler) string {
			s := s2Create(t, h, "auth_username=user&auth_password=wrong&"+s2Line)
			return s2Join(s, s.ct)
		},
		want: "401 | application/json", got: "401 | text/html; charset=UTF-8",
	},
	"key-on-204": {
		run: func(t *testing.T, h http.Handler) string {
			return s2Create(t, h, s2Admin+"&"+s2Line).String()
		},
		want: "204", got: "204 key=9700001",
	},
	"get-omits-empty-text": {
		run: func(t *testing.T, h http.Handler) string {
			s2Create(t, h, s2Admin+"&"+s2Line)
			read := s2Read(t, h, "9700001", false)
			return s2Join(read.field("description"), read.field("pin"))
		},
		want: `"" | ""`, got: "missing | missing",
	},
	"tinyint-booleans": {
		run: func(t *testing.T, h http.Handler) string {
			s2Create(t, h, s2Admin+"&acr=1&"+s2Line)
			read := s2Read(t, h, "9700001", false)
			return s2Join(read.field("acr"), read.field("dnd"))
		},
		want: "1 | 0", got: "true | false",
	},
	"get-empty-name-404": {
		run: func(t *testing.T, h http.Handler) string {
			return s2Join(s2Fn(t, h, contract.Get, s2Admin), s2Fn(t, h, contract.Get, s2Admin+"&name="))
		},
		want: "400 key=name | 400 key=name", got: "404 key=name | 404 key=name",
	},
	"cos-default-stale": {
		run: func(t *testing.T, h http.Handler) string {
			s2Create(t, h, s2Admin+"&"+s2Line)
			return s2Read(t, h, "9700001", false).field("cos")
		},
		want: "0", got: "1",
	},
	"expect-registered-2-early": {
		run:  s2CreateRead("expect_registered", "2"),
		want: "400 key=expect_registered | missing", got: "204 | 2",
	},
	"use-forwarding-early": {
		run:  s2CreateRead("use_forwarding", "0"),
		want: "204 | missing", got: "204 | 0",
	},
	"presentation-internal-dropped": {
		run:  s2CreateRead("presentation_internal", "7"),
		want: "204 | 7", got: "204 | 1",
	},
	"later-params-refused": {
		run: func(t *testing.T, h http.Handler) string {
			return s2Create(t, h, s2Admin+"&allowed_ua=Polycom&"+s2Line).String()
		},
		want: "204", got: "400 key=allowed_ua",
	},
	"matched-called-refused": {
		run: func(t *testing.T, h http.Handler) string {
			return s2Create(t, h, s2Admin+"&callerid_external=matched_called&"+s2Line).String()
		},
		want: "204", got: "400 key=callerid_external",
	},
	"direct-default-false": {
		run: func(t *testing.T, h http.Handler) string {
			s2Create(t, h, s2Admin+"&"+s2Line)
			return s2Read(t, h, "9700001", false).field("direct")
		},
		want: "1", got: "0",
	},
	"integer-decimal-truncated": {
		run:  s2CreateRead("ringtime", "1.5"),
		want: "400 key=ringtime | missing", got: "204 | 1",
	},
	"perl-or-default": {
		run: func(t *testing.T, h http.Handler) string {
			zero := s2Create(t, h, s2Admin+"&direct=0&"+s2Line)
			empty := s2Create(t, h, s2Admin+"&acr=&name=9700002&password=Abcdefghij1234567890")
			return s2Join(zero, s2Read(t, h, "9700001", false).field("direct"), empty)
		},
		want: "204 | 0 | 400 key=acr", got: "204 | 1 | 204",
	},
	"call-maximum-integer-only": {
		run:  s2CreateRead("call_maximum", "2.50"),
		want: "204 | 2.5", got: "400 key=call_maximum | missing",
	},
	"enum-case-insensitive": {
		run: func(t *testing.T, h http.Handler) string {
			return s2Create(t, h, s2Admin+"&media=FAX&"+s2Line).String()
		},
		want: "400 key=media", got: "204",
	},
}

// s2Mocks are mocks a finished test gave back, by version: building one
// parses the contract, most of a case's time.
var s2Mocks = struct {
	sync.Mutex
	free map[string][]*mockserver.Server
}{free: map[string][]*mockserver.Server{}}

// s2Mock is a mock of version on the default fixtures, as fresh as the one
// e2e hands to Build: a used one gets the default data back whole
// (docs/admin-api.md: fixtures at run time, mode=replace), accounts and
// lines alike.
func s2Mock(t *testing.T, version string) http.Handler {
	t.Helper()
	s2Mocks.Lock()
	free := s2Mocks.free[version]
	var s *mockserver.Server
	if n := len(free); n > 0 {
		s, s2Mocks.free[version] = free[n-1], free[:n-1]
	}
	s2Mocks.Unlock()
	if s == nil {
		v, err := contract.ParseVersion(version)
		if err != nil {
			t.Fatal(err)
		}
		if s, err = mockserver.New(mockserver.Options{Version: v}); err != nil {
			t.Fatal(err)
		}
	} else if err := s.LoadFixtures(fixtures.Default, false); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s2Mocks.Lock()
		s2Mocks.free[version] = append(s2Mocks.free[version], s)
		s2Mocks.Unlock()
	})
	return s
}

// TestSet2Defects: for every server, its sequence gets what docs/ say from
// the clean mock, and the defect from the broken server.
func TestSet2Defects(t *testing.T) {
	for _, srv := range Set2 {
		t.Run(srv.Name, func(t *testing.T) {
			t.Parallel()
			c, ok := s2Cases[srv.Name]
			if !ok {
				t.Fatalf("no case shows %s's defect", srv.Name)
			}
			if got := c.run(t, s2Mock(t, srv.Version)); got != c.want {
				t.Errorf("clean mock %s: %s; want (docs) %s", srv.Version, got, c.want)
			}
			if got := c.run(t, srv.Build(s2Mock(t, srv.Version))); got != c.got {
				t.Errorf("broken server: %s; want the defect %s (docs say %s)", got, c.got, c.want)
			}
			if c.want == c.got {
				t.Errorf("the case shows no difference: %s", c.want)
			}
		})
	}
}

var s2KebabCase = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// TestSet2: names unique and kebab-case, each with a defect citing docs/
// or openapi.yaml, a version the contract describes, a Build, and a case
// in s2Cases; at least 22 of them, in several versions.
func TestSet2(t *testing.T) {
	if len(Set2) < 22 {
		t.Errorf("Set2 has %d servers; want at least 22", len(Set2))
	}
	versions := contract.MustLoad().Versions()
	names := map[string]bool{}
	perVersion := map[string]int{}
	for _, srv := range Set2 {
		switch {
		case names[srv.Name]:
			t.Errorf("%s: name given twice", srv.Name)
		case !s2KebabCase.MatchString(srv.Name):
			t.Errorf("%s: name is not kebab-case", srv.Name)
		case srv.Build == nil:
			t.Errorf("%s: no Build", srv.Name)
		case !strings.Contains(srv.Defect, ".md") && !strings.Contains(srv.Defect, "openapi.yaml"):
			t.Errorf("%s: Defect %q names no line of docs/ or openapi.yaml", srv.Name, srv.Defect)
		}
		names[srv.Name] = true
		v, err := contract.ParseVersion(srv.Version)
		if err != nil || !slices.Contains(versions, v) || v.String() != srv.Version {
			t.Errorf("%s: version %q is not one openapi.yaml describes", srv.Name, srv.Version)
		}
		perVersion[srv.Version]++
	}
	for name := range s2Cases {
		if !names[name] {
			t.Errorf("case %s shows no server of Set2", name)
		}
	}
	if len(perVersion) < 4 || perVersion["4.4"] < len(Set2)/3 {
		t.Errorf("versions %v: want most at 4.4 and some at others", perVersion)
	}
}

// TestSet2Passthrough: what is not a call of a function reaches the mock
// as it came: /healthz names the server's version, an unknown function
// is a 404 and another method a 405.
func TestSet2Passthrough(t *testing.T) {
	for _, srv := range Set2 {
		h := srv.Build(s2Mock(t, srv.Version))
		health := s2Do(t, h, http.MethodGet, "/healthz", "")
		unknown := s2Do(t, h, http.MethodGet, "/api/json/phones/nope/?"+s2Admin, "")
		put := s2Do(t, h, http.MethodPut, wire.Path(contract.Create), s2Admin)
		got := s2Join(health.status, health.field("version"), unknown.status, put.status)
		if want := s2Join(200, `"`+srv.Version+`"`, 404, 405); got != want {
			t.Errorf("%s: %s; want %s", srv.Name, got, want)
		}
	}
}

// TestSet2Helpers: the parsers and encoders the servers imitate.
func TestSet2Helpers(t *testing.T) {
	if got := s2PHPDecode("%2B44+1%4"); got != "+44 1%4" {
		t.Errorf("s2PHPDecode = %q", got)
	}
	if got := s2Latin1("Café"); got != "CafÃ©" {
		t.Errorf("s2Latin1 = %q", got)
	}
	pairs := []wire.Pair{{Name: "a", Value: "1"}, {Name: "b", Value: "2"}, {Name: "a", Value: "3"}}
	if got := s2Last(pairs); !slices.Equal(got, []wire.Pair{{Name: "a", Value: "3"}, {Name: "b", Value: "2"}}) {
		t.Errorf("s2Last = %v", got)
	}
	if got := s2First(pairs); !slices.Equal(got, pairs[:2]) {
		t.Errorf("s2First = %v", got)
	}
	if got := s2Without(s2With(pairs, "c", "4"), "a"); !slices.Equal(got, []wire.Pair{{Name: "b", Value: "2"}, {Name: "c", Value: "4"}}) {
		t.Errorf("s2With, s2Without = %v", got)
	}
}
