package blind

// Helpers of Set2 (set2.go): reading a request once, editing its pairs,
// sending them to the wrapped mock, and editing the mock's answer.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/fixtures"
	"github.com/enswitch-kit/phones/internal/answertest"
	"github.com/enswitch-kit/phones/internal/wire"
	"gopkg.in/yaml.v3"
)

// s2Call is one request to a server of Set2, its body read once.
type s2Call struct {
	mock http.Handler
	r    *http.Request // as it came; forward sends it again with body
	body []byte
	// fn is contract.Create, contract.Get or contract.Delete.
	fn string
	// pairs are the request's values as the mock reads them: query then
	// body, the first value of a name counting (wire.Read). Nil when err.
	pairs []wire.Pair
	// err: the mock could not read the request (wire.Read).
	err error
}

// value is the first value of name in the request; "" when not given.
func (c *s2Call) value(name string) string {
	v, _ := wire.Get(c.pairs, name)
	return v
}

// given reports whether name is in the request.
func (c *s2Call) given(name string) bool {
	_, ok := wire.Get(c.pairs, name)
	return ok
}

// forward sends the request to the mock as it came.
func (c *s2Call) forward() *s2Answer {
	r := c.r.Clone(c.r.Context())
	r.Body = io.NopCloser(bytes.NewReader(c.body))
	return s2Record(c.mock, r)
}

// send sends pairs to the mock's function c.fn, as a form body.
func (c *s2Call) send(pairs []wire.Pair) *s2Answer { return s2Send(c.mock, c.fn, pairs) }

// refusal is the mock's 401, 402 or 403 to the request, nil when the
// account passes (wire-contract.md: outcome order). A create is asked with
// validation=1, so nothing is stored.
func (c *s2Call) refusal() *s2Answer {
	a := c.send(s2With(c.pairs, "validation", "1"))
	if code := a.code(); code == wire.Unauthorized || code == wire.RoleForbidden || code == wire.PlanForbidden {
		return a
	}
	return nil
}

// reread is the request read the way a broken parser reads it, sent on
// to the mock as keep leaves its pairs; nil (the mock's answer to the
// request as it came) when that parser cannot decode it. The parser
// splits at any byte of seps, decodes each side and keeps every pair in
// order, repeats too: the query's when query is true, then a POST body's.
func (c *s2Call) reread(seps string, query bool, keep func([]wire.Pair) []wire.Pair) *s2Answer {
	var pairs []wire.Pair
	if query {
		q, err := splitPairs(c.r.URL.RawQuery, seps)
		if err != nil {
			return nil
		}
		pairs = append(pairs, q...)
	}
	if c.r.Method == http.MethodPost {
		b, err := splitPairs(string(c.body), seps)
		if err != nil {
			return nil
		}
		pairs = append(pairs, b...)
	}
	return c.send(keep(pairs))
}

// s2Wrap is a server of Set2: hook answers each readable API call (GET or
// POST to a function of the contract); nil from hook forwards the call to
// the mock unchanged. Everything else (other paths and methods, requests
// the mock cannot read) goes to the mock as it came.
func s2Wrap(mock http.Handler, hook func(c *s2Call) *s2Answer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fn, api := wire.Function(r.URL.Path)
		if !api || fn == wire.Unknown || (r.Method != http.MethodGet && r.Method != http.MethodPost) {
			mock.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, wire.MaxBody+1))
		if err != nil || len(body) > wire.MaxBody {
			r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
			mock.ServeHTTP(w, r)
			return
		}
		c := &s2Call{mock: mock, r: r, body: body, fn: fn}
		read := r.Clone(r.Context())
		read.Body = io.NopCloser(bytes.NewReader(body))
		c.pairs, c.err = wire.Read(nil, read)
		var a *s2Answer
		if c.err == nil {
			a = hook(c)
		}
		if a == nil {
			a = c.forward()
		}
		a.Send(w)
	})
}

// s2Answer is an answer of the mock, kept to be edited or sent on.
type s2Answer struct{ answertest.Answer }

// s2Record is h's answer to r.
func s2Record(h http.Handler, r *http.Request) *s2Answer {
	return &s2Answer{*answertest.Record(h, r)}
}

// s2Send is h's answer to function fn with pairs in a form body.
func s2Send(h http.Handler, fn string, pairs []wire.Pair) *s2Answer {
	r := httptest.NewRequest(http.MethodPost, wire.Path(fn), strings.NewReader(wire.Encode(pairs, '&')))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s2Record(h, r)
}

// s2Reply is an answer the broken server makes itself: HTTP 200 with the
// envelope, the code's usual message.
func s2Reply(code wire.Code, key string, data any) *s2Answer {
	return &s2Answer{answertest.Answer{Status: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}, Body: wire.Marshal(code, key, "", data)}}
}

func (a *s2Answer) code() wire.Code { return a.Outcome().Code }

// is reports whether the answer is code with key.
func (a *s2Answer) is(code wire.Code, key string) bool {
	o := a.Outcome()
	return o.Code == code && o.Key == key
}

// data is the answer's data object, numbers kept as json.Number; nil when
// there is none.
func (a *s2Answer) data() map[string]any {
	var data map[string]any
	dec := json.NewDecoder(bytes.NewReader(a.Outcome().Data))
	dec.UseNumber()
	if dec.Decode(&data) != nil {
		return nil
	}
	return data
}

// withData is the answer with its data object edited by edit; the answer
// itself when it has none.
func (a *s2Answer) withData(edit func(data map[string]any)) *s2Answer {
	data := a.data()
	if data == nil {
		return a
	}
	edit(data)
	o := a.Outcome()
	return &s2Answer{answertest.Answer{Status: a.Status, Header: a.Header.Clone(), Body: wire.Marshal(o.Code, o.Key, o.Message, data)}}
}

// s2With is pairs with the first value of name set to value (appended
// when name is not given); pairs itself is left alone.
func s2With(pairs []wire.Pair, name, value string) []wire.Pair {
	out := append(Params(nil), pairs...)
	out.Set(name, value)
	return out
}

// s2Without is pairs without any pair called one of names; pairs itself
// is left alone.
func s2Without(pairs []wire.Pair, names ...string) []wire.Pair {
	out := append(Params(nil), pairs...)
	for _, n := range names {
		out.Del(n)
	}
	return out
}

// s2Auth is pairs sent as account user.
func s2Auth(pairs []wire.Pair, user, password string) []wire.Pair {
	return s2With(s2With(pairs, "auth_username", user), "auth_password", password)
}

// s2First keeps the first value of each name, as the contract reads
// repeats (wire-contract.md: transport).
func s2First(pairs []wire.Pair) []wire.Pair {
	var out []wire.Pair
	for _, p := range pairs {
		if _, held := wire.Get(out, p.Name); !held {
			out = append(out, p)
		}
	}
	return out
}

// s2Last keeps the last value of each name, where its first stood: how
// PHP's $_REQUEST reads repeats.
func s2Last(pairs []wire.Pair) []wire.Pair {
	out := s2First(pairs)
	for _, p := range pairs {
		out = s2With(out, p.Name, p.Value)
	}
	return out
}

// s2PHPDecode is PHP's urldecode: '+' is a space and a valid %XX its byte;
// anything else stays as written.
func s2PHPDecode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '+':
			b.WriteByte(' ')
		case s[i] == '%' && i+2 < len(s) && s2IsHex(s[i+1]) && s2IsHex(s[i+2]):
			n, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			b.WriteByte(byte(n))
			i += 2
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func s2IsHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// s2Latin1 is s's UTF-8 bytes read as Latin-1 and written back as UTF-8:
// what a latin1 MySQL connection makes of UTF-8 text ("é" becomes "Ã©").
func s2Latin1(s string) string {
	r := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		r[i] = rune(s[i])
	}
	return string(r)
}

// s2View is the contract's view of the version mock emulates (its
// /healthz says which).
func s2View(mock http.Handler) *contract.View {
	a := s2Record(mock, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	version, _ := a.data()["version"].(string)
	v, err := contract.ParseVersion(version)
	if err == nil {
		var view *contract.View
		if view, err = loadContract().At(v); err == nil {
			return view
		}
	}
	panic(fmt.Sprintf("blind: the mock's version %q: %v", version, err))
}

// s2Names are the names of view's phones/create parameters that keep.
func s2Names(view *contract.View, keep func(p contract.Param) bool) map[string]bool {
	names := map[string]bool{}
	for _, p := range view.Params() {
		if keep(p) {
			names[p.Name] = true
		}
	}
	return names
}

// s2Fixtures is what Set2 reads of the mock's default data
// (fixtures/default.yaml).
type s2Fixtures struct {
	Customers []s2Customer `yaml:"customers"`
	RatePlans []struct {
		ID          int64 `yaml:"id"`
		CreateLines bool  `yaml:"create_lines"`
	} `yaml:"rate_plans"`
	Accounts []s2Account `yaml:"accounts"`
}

type s2Customer struct {
	ID     int64  `yaml:"id"`
	Name   string `yaml:"name"`
	Parent int64  `yaml:"parent,omitempty"`
}

type s2Account struct {
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	Role     string `yaml:"role"`
	Customer int64  `yaml:"customer"`
	RatePlan int64  `yaml:"rate_plan"`
}

var s2Default = sync.OnceValue(func() s2Fixtures {
	var f s2Fixtures
	if err := yaml.Unmarshal(fixtures.Default, &f); err != nil {
		panic(fmt.Sprintf("blind: default fixtures: %v", err))
	}
	return f
})

// s2Accounts are the default fixtures' accounts by username.
func s2Accounts() map[string]s2Account {
	m := map[string]s2Account{}
	for _, a := range s2Default().Accounts {
		m[a.Username] = a
	}
	return m
}

// s2Customers are the default fixtures' customer ids.
func s2Customers() map[int64]bool {
	m := map[int64]bool{}
	for _, c := range s2Default().Customers {
		m[c.ID] = true
	}
	return m
}

// The accounts s2System adds to the mock: s2Root sees every customer, as a
// query without a customer filter does; s2AdminOf(id) is an administrator
// of customer id, to act as an account of that customer would.
const (
	s2Root       = "s2-root"
	s2SysPass    = "s2-system-secret"
	s2RootCustID = 900000
)

func s2AdminOf(customer int64) string { return "s2-admin-" + strconv.FormatInt(customer, 10) }

// s2AsRoot is pairs sent as s2Root.
func s2AsRoot(pairs []wire.Pair) []wire.Pair { return s2Auth(pairs, s2Root, s2SysPass) }

// s2System merges s2Root (administrator of a new customer above every
// top-level customer) and an administrator of each customer into mock's
// data (docs/admin-api.md: fixtures at run time). It changes nothing any
// account of the fixtures sees.
func s2System(mock http.Handler) {
	f, plan := s2Default(), directory().plan
	doc := s2Fixtures{Customers: []s2Customer{{ID: s2RootCustID, Name: "s2 root"}}}
	doc.Accounts = append(doc.Accounts, s2Account{s2Root, s2SysPass, "administrator", s2RootCustID, plan})
	for _, c := range f.Customers {
		if c.Parent == 0 {
			c.Parent = s2RootCustID
			doc.Customers = append(doc.Customers, c)
		}
		doc.Accounts = append(doc.Accounts, s2Account{s2AdminOf(c.ID), s2SysPass, "administrator", c.ID, plan})
	}
	body, err := yaml.Marshal(doc)
	if err == nil {
		r := httptest.NewRequest(http.MethodPost, "/_mock/fixtures?mode=merge", bytes.NewReader(body))
		if a := s2Record(mock, r); a.Status != http.StatusOK {
			err = fmt.Errorf("HTTP %d: %s", a.Status, a.Body)
		}
	}
	if err != nil {
		panic(fmt.Sprintf("blind: merge the system accounts: %v", err))
	}
}

// s2PastCustomer is a server whose function fn finds a line by name
// alone: where the mock answers 404 to the account, the line as s2Root
// finds it in any customer, when that answers ok.
func s2PastCustomer(mock http.Handler, fn string, ok wire.Code) http.Handler {
	s2System(mock)
	return s2Wrap(mock, func(c *s2Call) *s2Answer {
		if c.fn != fn {
			return nil
		}
		a := c.forward()
		if a.code() == wire.NotFound {
			if b := c.send(s2AsRoot(c.pairs)); b.code() == ok {
				return b
			}
		}
		return a
	})
}

// s2Overlay is a server that stores some fields of a create other than
// the mock does: edit returns the pairs the mock gets and the fields the
// broken server keeps instead; phones/get shows those in place of the
// mock's, until the line is deleted.
func s2Overlay(mock http.Handler, edit func(c *s2Call) ([]wire.Pair, map[string]any)) http.Handler {
	var mu sync.Mutex
	kept := map[string]map[string]any{}
	return s2Wrap(mock, func(c *s2Call) *s2Answer {
		name := c.value("name")
		switch c.fn {
		case contract.Create:
			pairs, fields := edit(c)
			a := c.send(pairs)
			if a.code() == wire.Created {
				mu.Lock()
				kept[name] = fields
				mu.Unlock()
			}
			return a
		case contract.Get:
			a := c.forward()
			mu.Lock()
			fields := kept[name]
			mu.Unlock()
			if a.code() != wire.OK || len(fields) == 0 {
				return a
			}
			return a.withData(func(data map[string]any) { maps.Copy(data, fields) })
		default:
			a := c.forward()
			if a.code() == wire.Created {
				mu.Lock()
				delete(kept, name)
				mu.Unlock()
			}
			return a
		}
	})
}
