package blind

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver"
)

// linePW is the password of the lines the proofs create: 20 letters and
// digits, as the suite's (wire-contract.md: settled point 11).
const linePW = "Pw1234567890abcdefGH"

// A proof is a short request sequence that shows a server's defect: run
// returns a transcript, clean is the clean mock's (what docs/ say) and
// broken the broken server's.
type proof struct {
	run           func(c *client) string
	clean, broken string
}

var proofs = map[string]proof{
	"semicolon-body-not-split": {
		run: func(c *client) string {
			return c.post(fnGet, "", "auth_username=user;auth_password=password;name=1001").String()
		},
		clean: "200", broken: "401",
	},
	"last-value-wins": {
		run:   func(c *client) string { return c.admin(fnGet, "name", "1001", "name", "9999").String() },
		clean: "200", broken: "404 name",
	},
	"body-before-query": {
		run: func(c *client) string {
			return c.post(fnGet, "auth_username=user&auth_password=password&name=1001", "name=9999").String()
		},
		clean: "200", broken: "404 name",
	},
	"plus-kept-in-body": {
		run: func(c *client) string {
			r := c.post(fnCreate, "", "auth_username=user&auth_password=password&name=9701&password="+linePW+"&description=Front+desk")
			return join(r.String(), c.field("9701", "description"))
		},
		clean: "204 | Front desk", broken: "204 | Front+desk",
	},
	"charset-form-not-read": {
		run: func(c *client) string {
			return c.send(c.plain, http.MethodPost, wire.Path(fnGet), "", "auth_username=user&auth_password=password&name=1001",
				"Content-Type", "application/x-www-form-urlencoded; charset=UTF-8").String()
		},
		clean: "200", broken: "401",
	},
	"slash-redirect": {
		run: func(c *client) string {
			const auth = "auth_username=user&auth_password=password&name=1001"
			get := c.send(c.plain, http.MethodGet, "/api/json/phones/get", auth, "")
			post := c.send(c.follow, http.MethodPost, "/api/json/phones/get", "", auth)
			return join(get.String(), post.String())
		},
		clean: "200 | 200", broken: "HTTP 301 no envelope | 401",
	},
	"any-method-is-post": {
		run: func(c *client) string {
			put := c.send(c.plain, http.MethodPut, wire.Path(fnCreate), "", "auth_username=user&auth_password=password&name=9701&password="+linePW)
			return join(put.String(), c.admin(fnGet, "name", "9701").String())
		},
		clean: "HTTP 405 400 | 404 name", broken: "204 | 200",
	},
	"double-urldecode": {
		run:   createRead("callerid_external", "+441234567"),
		clean: "204 | +441234567", broken: "400 callerid_external | 404 name",
	},
	"missing-auth-is-400": {
		run:   func(c *client) string { return c.call(fnCreate, "name", "9701", "password", linePW).String() },
		clean: "401", broken: "400 auth_username",
	},
	"role-before-password": {
		run: func(c *client) string {
			return c.call(fnCreate, "auth_username", "clerk", "auth_password", "wrong", "name", "9701", "password", linePW).String()
		},
		clean: "401", broken: "402",
	},
	"role-after-validation": {
		run: func(c *client) string {
			clerk := []string{"auth_username", "clerk", "auth_password", "clerk-secret", "name", "9701", "password", linePW}
			return join(c.call(fnCreate, append(clerk, "ringtime", "abc")...).String(), c.call(fnCreate, clerk...).String())
		},
		clean: "402 | 402", broken: "400 ringtime | 402",
	},
	"plan-checked-at-insert": {
		run: func(c *client) string {
			noplan := []string{"auth_username", "noplan", "auth_password", "noplan-secret", "name", "9701", "password", linePW}
			return join(c.call(fnCreate, append(noplan, "ringtime", "abc")...).String(),
				c.call(fnCreate, append(noplan, "validation", "1")...).String(),
				c.call(fnCreate, noplan...).String())
		},
		clean: "403 | 403 | 403", broken: "400 ringtime | 201 | 403",
	},
	"wholesale-refused": {
		run: func(c *client) string {
			return c.call(fnCreate, "auth_username", "whole", "auth_password", "whole-secret", "name", "9701", "password", linePW, "validation", "1").String()
		},
		clean: "201", broken: "402",
	},
	"password-collation": {
		run: func(c *client) string {
			return c.call(fnGet, "auth_username", "user", "auth_password", "PASSWORD", "name", "1001").String()
		},
		clean: "401", broken: "200",
	},
	"http-401-status": {
		run: func(c *client) string {
			return c.call(fnGet, "auth_username", "user", "auth_password", "wrong", "name", "1001").String()
		},
		clean: "401", broken: "HTTP 401 401",
	},
	"customer-zero-refused": {
		run:   createRead("customer", "0"),
		clean: "204 | 1", broken: "400 customer | 404 name",
	},
	"administrator-any-customer": {
		run:   func(c *client) string { return join(c.create("9701", "customer", "2"), c.stored("9701")) },
		clean: "400 customer | none", broken: "204 | customer 2",
	},
	"copy-password-any-customer": {
		run: func(c *client) string {
			r := c.admin(fnCreate, "name", "9701", "copy_password", "2001")
			return join(r.String(), c.field("9701", "password", "password", "1"))
		},
		clean: "400 copy_password | 404 name", broken: "204 | other-secret",
	},
	"copy-password-takes-name": {
		run: func(c *client) string {
			first := c.create("9701")
			r := c.admin(fnCreate, "name", "9702", "copy_password", "9701")
			return join(first, r.String(), c.field("9702", "password", "password", "1"))
		},
		clean: "204 | 204 | " + linePW, broken: "204 | 204 | 9701",
	},
	"refused-create-keeps-line": {
		run: func(c *client) string {
			return join(c.create("9701", "ringtime", "abc"), c.admin(fnGet, "name", "9701").String())
		},
		clean: "400 ringtime | 404 name", broken: "400 ringtime | 200",
	},
	"duplicate-replaces": {
		run: func(c *client) string {
			first := c.create("9701")
			second := c.admin(fnCreate, "name", "9701", "password", "Other1234567890abcXY")
			return join(first, second.String(), c.field("9701", "password", "password", "1"))
		},
		clean: "204 | 400 name | " + linePW, broken: "204 | 204 | Other1234567890abcXY",
	},
	"validation-skips-name-in-use": {
		run:   func(c *client) string { return c.create("1001", "validation", "1") },
		clean: "400 name", broken: "201",
	},
	"concurrent-duplicates": {
		// Three bursts of six parallel creates of one name: "several" when
		// any burst had more than one 204.
		run: func(c *client) string {
			most := 0
			for _, name := range []string{"9701", "9702", "9703"} {
				most = max(most, c.burst(name, 6))
			}
			if most == 1 {
				return "one 204 a burst"
			}
			return "several 204"
		},
		clean: "one 204 a burst", broken: "several 204",
	},
	"soft-delete-keeps-name": {
		run: func(c *client) string {
			return join(c.create("9701"), c.admin(fnDelete, "name", "9701").String(),
				c.admin(fnGet, "name", "9701").String(), c.create("9701"))
		},
		clean: "204 | 204 | 404 name | 204", broken: "204 | 204 | 404 name | 400 name",
	},
	"delete-by-prefix": {
		run: func(c *client) string {
			return join(c.create("9712"), c.create("97123"), c.admin(fnDelete, "name", "9712").String(),
				c.admin(fnGet, "name", "97123").String())
		},
		clean: "204 | 204 | 204 | 200", broken: "204 | 204 | 204 | 404 name",
	},
	"delete-any-customer": {
		run:   func(c *client) string { return join(c.admin(fnDelete, "name", "2001").String(), c.stored("2001")) },
		clean: "404 name | customer 2", broken: "204 | none",
	},
	"get-cached": {
		run: func(c *client) string {
			return join(c.create("9701", "description", "first"), c.field("9701", "description"),
				c.admin(fnDelete, "name", "9701").String(), c.admin(fnGet, "name", "9701").String(),
				c.create("9701", "description", "second"), c.field("9701", "description"))
		},
		clean:  "204 | first | 204 | 404 name | 204 | second",
		broken: "204 | first | 204 | 200 | 204 | first",
	},
	"get-password-if-present": {
		run:   func(c *client) string { return c.field("1001", "password", "password", "0") },
		clean: "-", broken: "line-secret",
	},
	"get-password-lenient": {
		run:   func(c *client) string { return c.admin(fnGet, "name", "1001", "password", "2").String() },
		clean: "400 password", broken: "200",
	},
	"empty-name-not-found": {
		run: func(c *client) string {
			return join(c.admin(fnGet).String(), c.admin(fnDelete, "name", "").String())
		},
		clean: "400 name | 400 name", broken: "404 name | 404 name",
	},
	"get-without-customer": {
		run:   func(c *client) string { return c.field("1001", "customer") },
		clean: "1", broken: "-",
	},
	"hardware-fields-dropped-early": {
		run:   createRead("hardware_address", "001122334455"),
		clean: "204 | 001122334455", broken: "204 | -",
	},
	"not-found-carries-line": {
		run: func(c *client) string {
			r := c.admin(fnGet, "name", "2001")
			var line struct{ Name, Customer json.Number }
			if json.Unmarshal(r.out.Data, &line) != nil {
				return join(r.String(), "no data")
			}
			return join(r.String(), "data: line "+line.Name.String()+" of customer "+line.Customer.String())
		},
		clean: "404 name | no data", broken: "404 name | data: line 2001 of customer 2",
	},
	"code-number-on-400": {
		run: func(c *client) string {
			r := c.admin(fnCreate, "password", linePW)
			var raw struct{ Responses []map[string]json.RawMessage }
			_ = json.Unmarshal(r.body, &raw)
			return join(r.String(), "code "+string(raw.Responses[0]["code"]))
		},
		clean: `400 name | code "400"`, broken: "no envelope | code 400",
	},
	"key-on-201": {
		run:   func(c *client) string { return c.create("9701", "validation", "1") },
		clean: "201", broken: "201 validation",
	},
	"delete-html-content-type": {
		run: func(c *client) string {
			r := c.admin(fnDelete, "name", "9999")
			return join(r.String(), r.ctype)
		},
		clean: "404 name | application/json", broken: "404 name | text/html; charset=UTF-8",
	},
	"intval-integers": {
		run:   createRead("ringtime", "20abc"),
		clean: "400 ringtime | 404 name", broken: "204 | 20",
	},
	"zero-means-default": {
		run:   createRead("direct", "0"),
		clean: "204 | 0", broken: "204 | 1",
	},
	"call-maximum-rounded": {
		run:   createRead("call_maximum", "2.5"),
		clean: "204 | 2.5", broken: "204 | 3",
	},
	"cos-default-not-migrated": {
		run:   func(c *client) string { return join(c.create("9701"), c.field("9701", "cos")) },
		clean: "204 | 0", broken: "204 | 1",
	},
	"expect-registered-2-refused": {
		run:   createRead("expect_registered", "2"),
		clean: "204 | 2", broken: "400 expect_registered | 404 name",
	},
	"matched-called-early": {
		run:   createRead("callerid_external", "matched_called"),
		clean: "400 callerid_external | 404 name", broken: "204 | matched_called",
	},
	"aoc-before-its-version": {
		run:   createRead("aoc", "1"),
		clean: "204 | -", broken: "204 | 1",
	},
	"newer-params-refused": {
		run:   createRead("presentation_internal", "1"),
		clean: "204 | -", broken: "400 presentation_internal | 404 name",
	},
	"latin1-mojibake": {
		run:   createRead("description", "Café"),
		clean: "204 | Café", broken: "204 | CafÃ©",
	},
}

func TestSet1(t *testing.T) {
	if len(Set1) < 22 {
		t.Errorf("Set1 holds %d servers; want at least 22", len(Set1))
	}
	var versions []string
	for _, v := range contract.MustLoad().Versions() {
		versions = append(versions, v.String())
	}
	kebab := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	cites := regexp.MustCompile(`\(.*(\.md|openapi\.yaml).*\)`)
	seen := map[string]bool{}
	for _, s := range Set1 {
		switch {
		case !kebab.MatchString(s.Name):
			t.Errorf("%q: name is not kebab-case", s.Name)
		case seen[s.Name]:
			t.Errorf("%q: name given twice", s.Name)
		case !cites.MatchString(s.Defect):
			t.Errorf("%s: Defect %q cites no line of docs/ or openapi.yaml", s.Name, s.Defect)
		case !strings.Contains(strings.Join(versions, " "), s.Version) || s.Version == "":
			t.Errorf("%s: version %q is not one of %v", s.Name, s.Version, versions)
		case s.Build == nil:
			t.Errorf("%s: no Build", s.Name)
		}
		seen[s.Name] = true
		if _, ok := proofs[s.Name]; !ok {
			t.Errorf("%s: no proof", s.Name)
		}
	}
	for name := range proofs {
		if !seen[name] {
			t.Errorf("proof %q names no server", name)
		}
	}
}

// TestSet1Servers runs each server's proof on the clean mock, then on the
// broken server built on that mock with its lines reset: a mock in the
// state of a fresh one, which costs far less than a new one.
func TestSet1Servers(t *testing.T) {
	for _, s := range Set1 {
		p, ok := proofs[s.Name]
		if !ok {
			continue // TestSet1 reports it
		}
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			mock := newMock(t, s.Version)
			if got := p.run(serve(t, mock)); got != p.clean {
				t.Errorf("clean mock %s: %s\nwant %s", s.Version, got, p.clean)
			}
			if err := mock.Reset(); err != nil {
				t.Fatal(err)
			}
			if got := p.run(serve(t, s.Build(mock))); got != p.broken {
				t.Errorf("broken server: %s\nwant %s", got, p.broken)
			}
		})
	}
}

// client sends requests to one server over HTTP.
type client struct {
	t    *testing.T
	base string
	// plain follows no redirect; follow does, as Go's client does.
	plain, follow *http.Client
}

// newMock is a mock of version on the default fixtures.
func newMock(t *testing.T, version string) *mockserver.Server {
	v, err := contract.ParseVersion(version)
	if err != nil {
		t.Fatal(err)
	}
	mock, err := mockserver.New(mockserver.Options{Version: v})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mock.Close() })
	return mock
}

// serve serves h over HTTP until the test ends.
func serve(t *testing.T, h http.Handler) *client {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	plain := &http.Client{
		Transport:     srv.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &client{t: t, base: srv.URL, plain: plain, follow: srv.Client()}
}

// result is one answer.
type result struct {
	status int
	ctype  string
	body   []byte
	out    wire.Outcome
	err    error // the body is not an envelope
}

// String is the answer in short: "204", "400 ringtime", with "HTTP 405 "
// before it when the HTTP status is not 200 and "no envelope" for a body
// that is not one.
func (r result) String() string {
	s := ""
	if r.status != http.StatusOK {
		s = fmt.Sprintf("HTTP %d ", r.status)
	}
	if r.err != nil {
		return s + "no envelope"
	}
	s += string(r.out.Code)
	if r.out.Key != "" {
		s += " " + r.out.Key
	}
	return s
}

// send sends a request: query and body as written, a form body's
// Content-Type unless header (name, value, …) sets another.
func (c *client) send(hc *http.Client, method, path, query, body string, header ...string) result {
	u := c.base + path
	if query != "" {
		u += "?" + query
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		c.t.Error(err)
		return result{err: err}
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := hc.Do(req)
	if err != nil {
		c.t.Error(err)
		return result{err: err}
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	out, err := wire.Decode(b)
	return result{status: res.StatusCode, ctype: res.Header.Get("Content-Type"), body: b, out: out, err: err}
}

// call sends fn as a GET with the pairs name, value, ….
func (c *client) call(fn string, pairs ...string) result {
	var q []string
	for i := 0; i+1 < len(pairs); i += 2 {
		q = append(q, url.QueryEscape(pairs[i])+"="+url.QueryEscape(pairs[i+1]))
	}
	return c.send(c.plain, http.MethodGet, wire.Path(fn), strings.Join(q, "&"), "")
}

// post sends fn as a POST with query and form body as written.
func (c *client) post(fn, query, body string) result {
	return c.send(c.plain, http.MethodPost, wire.Path(fn), query, body)
}

// admin calls fn as the administrator (fixtures/profile.yaml: user).
func (c *client) admin(fn string, pairs ...string) result {
	return c.call(fn, append([]string{"auth_username", "user", "auth_password", "password"}, pairs...)...)
}

// create creates line name as the administrator, with linePW and pairs.
func (c *client) create(name string, pairs ...string) string {
	return c.admin(fnCreate, append([]string{"name", name, "password", linePW}, pairs...)...).String()
}

// field is a field of line name as phones/get shows it to the
// administrator: its value, "-" when data has none, or the answer when it
// is not a 200.
func (c *client) field(name, field string, pairs ...string) string {
	r := c.admin(fnGet, append([]string{"name", name}, pairs...)...)
	if r.err != nil || r.out.Code != wire.OK {
		return r.String()
	}
	var data map[string]any
	d := json.NewDecoder(bytes.NewReader(r.out.Data))
	d.UseNumber()
	if err := d.Decode(&data); err != nil {
		return "data: " + err.Error()
	}
	v, ok := data[field]
	if !ok {
		return "-"
	}
	return fmt.Sprint(v)
}

// stored says whether the mock's store holds line name, whoever it
// belongs to (GET /_mock/lines/NAME): "customer N" or "none".
func (c *client) stored(name string) string {
	res, err := c.plain.Get(c.base + "/_mock/lines/" + url.PathEscape(name))
	if err != nil {
		c.t.Error(err)
		return err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	out, err := wire.Decode(b)
	if err != nil || out.Code != wire.OK {
		return "none"
	}
	var line struct{ Customer json.Number }
	_ = json.Unmarshal(out.Data, &line)
	return "customer " + line.Customer.String()
}

// burst sends n creates of line name at once and counts the 204s.
func (c *client) burst(name string, n int) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	start, created := make(chan struct{}), 0
	for i := range n {
		wg.Go(func() {
			<-start
			if c.create(name, "description", fmt.Sprint("writer ", i)) == "204" {
				mu.Lock()
				created++
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	return created
}

// createRead is a proof that creates line 9701 with name=value and reads
// name back: the create's outcome | the value read.
func createRead(name, value string) func(c *client) string {
	return func(c *client) string { return join(c.create("9701", name, value), c.field("9701", name)) }
}

func join(parts ...string) string { return strings.Join(parts, " | ") }
