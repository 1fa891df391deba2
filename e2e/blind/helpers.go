package blind

// Helpers of the broken servers in set1.go: a request's parameters read as
// the mock reads them, an edited request sent on to the mock, its answer
// edited on the way back, and the look-ups a real server makes in its own
// database (accounts, stored lines, every customer). Set2's helpers
// (helpers2.go) share the pair splitter, Params' edits, the stored-line
// look-up, the fixtures and the contract with them; both sets record and
// send the mock's answers with internal/answertest.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/answertest"
	"github.com/enswitch-kit/phones/internal/wire"
)

// The functions (wire-contract.md: transport).
const (
	fnCreate = "phones/create"
	fnGet    = "phones/get"
	fnDelete = "phones/delete"
)

// Params are a request's pairs in order, repeats kept: the query's first,
// then a POST body's.
type Params []wire.Pair

// Get is the first value of name (wire-contract.md: the first value counts).
func (p Params) Get(name string) (string, bool) { return wire.Get(p, name) }

// Value is the first value of name, "" when not given.
func (p Params) Value(name string) string {
	v, _ := p.Get(name)
	return v
}

// Set gives name the value: the first pair of that name, or a new one.
func (p *Params) Set(name, value string) {
	for i := range *p {
		if (*p)[i].Name == name {
			(*p)[i].Value = value
			return
		}
	}
	*p = append(*p, wire.Pair{Name: name, Value: value})
}

// Del removes every pair called name.
func (p *Params) Del(name string) {
	out := (*p)[:0]
	for _, pair := range *p {
		if pair.Name != name {
			out = append(out, pair)
		}
	}
	*p = out
}

// Encode is p as a query string or form body, '&' between pairs.
func (p Params) Encode() string { return wire.Encode(p, '&') }

// splitPairs decodes every pair of s, separated by any byte of seps,
// repeats kept; broken percent-encoding is an error. readCall splits at
// '&' and ';' as the mock does; a broken parser of Set2 (s2Call.raw) at
// its own separators.
func splitPairs(s, seps string) (Params, error) {
	var out Params
	for _, raw := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		rawName, rawValue, _ := strings.Cut(raw, "=")
		name, err := url.QueryUnescape(rawName)
		if err != nil {
			return nil, err
		}
		value, err := url.QueryUnescape(rawValue)
		if err != nil {
			return nil, err
		}
		out = append(out, wire.Pair{Name: name, Value: value})
	}
	return out, nil
}

// Call is an API request a broken server has read.
type Call struct {
	mock   http.Handler
	Fn     string // fnCreate, fnGet or fnDelete
	Method string // GET or POST
	Path   string
	Params Params
	Header http.Header
}

// Clone is a copy of c whose params may be edited apart.
func (c *Call) Clone() *Call {
	d := *c
	d.Params = append(Params(nil), c.Params...)
	return &d
}

// Send sends c to the mock, with its params as they are now (in the query
// of a GET, the body of a POST), and returns the answer.
func (c *Call) Send() *Answer {
	var r *http.Request
	if c.Method == http.MethodPost {
		r = httptest.NewRequest(http.MethodPost, c.Path, strings.NewReader(c.Params.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		r = httptest.NewRequest(http.MethodGet, c.Path+"?"+c.Params.Encode(), nil)
	}
	return record(c.mock, r)
}

// Forward sends c to the mock and writes its answer to w as it is.
func (c *Call) Forward(w http.ResponseWriter) { c.Send().Write(w) }

// Validate sends c with validation=1: what the mock says of the input,
// nothing stored.
func (c *Call) Validate() *Answer {
	v := c.Clone()
	v.Params.Set("validation", "1")
	return v.Send()
}

// Answer is an answer of the mock's, decoded when it is the envelope.
type Answer struct {
	answertest.Answer // Status, Header and Body as the mock wrote them
	// Code, Key, Message and Data are the envelope's; Data is nil when the
	// answer has none or is no object.
	Code, Key, Message string
	Data               map[string]any
	edited             bool
}

// record serves r on h and reads the answer.
func record(h http.Handler, r *http.Request) *Answer {
	a := &Answer{Answer: *answertest.Record(h, r)}
	if out, err := wire.Decode(a.Body); err == nil {
		a.Code, a.Key, a.Message = string(out.Code), out.Key, out.Message
		if len(out.Data) > 0 {
			d := json.NewDecoder(bytes.NewReader(out.Data))
			d.UseNumber()
			_ = d.Decode(&a.Data)
		}
	}
	return a
}

// Set replaces the outcome: code and key, the code's usual message, no data.
func (a *Answer) Set(code, key string) {
	a.Code, a.Key, a.Message, a.Data, a.edited = code, key, "", nil, true
}

// Edit marks the answer as changed (its Data edited in place).
func (a *Answer) Edit() { a.edited = true }

// Write sends the answer: as it came, or re-encoded when edited.
func (a *Answer) Write(w http.ResponseWriter) {
	out := a.Answer
	if a.edited {
		var data any
		if a.Data != nil {
			data = a.Data
		}
		out.Body = wire.Marshal(wire.Code(a.Code), a.Key, a.Message, data)
	}
	out.Send(w)
}

// reply writes an envelope of the server's own: HTTP 200, code and key.
func reply(w http.ResponseWriter, code, key string) {
	wire.Write(w, wire.Code(code), key, "", nil)
}

// wrap hands every API request it can read as the mock would to serve. A
// request it cannot read (another path or method, a body that is not a
// form or over the limit, broken encoding) goes to the mock as it came.
func wrap(mock http.Handler, serve func(w http.ResponseWriter, c *Call)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := readCall(mock, r)
		if !ok {
			mock.ServeHTTP(w, r)
			return
		}
		serve(w, c)
	})
}

// readCall reads r as a Call; false when it is not a request of a function
// that can be read. The body, when read, is put back for the mock.
func readCall(mock http.Handler, r *http.Request) (*Call, bool) {
	fn, api := wire.Function(r.URL.Path)
	if !api || fn == wire.Unknown || (r.Method != http.MethodGet && r.Method != http.MethodPost) {
		return nil, false
	}
	var body []byte
	if r.Method == http.MethodPost && r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if len(body) > wire.MaxBody {
			return nil, false
		}
		if ct := r.Header.Get("Content-Type"); ct != "" && !wire.IsContentType(ct) {
			return nil, false
		}
	}
	if len(r.URL.RawQuery) > wire.MaxQuery || wire.MaxPairs(r.URL.RawQuery)+wire.MaxPairs(string(body)) > wire.MaxParams {
		return nil, false
	}
	query, err := splitPairs(r.URL.RawQuery, "&;")
	if err != nil {
		return nil, false
	}
	form, err := splitPairs(string(body), "&;")
	if err != nil {
		return nil, false
	}
	return &Call{mock: mock, Fn: fn, Method: r.Method, Path: r.URL.Path, Params: append(query, form...), Header: r.Header}, true
}

// ask calls fn on mock as a GET with the pairs name, value, name, value….
func ask(mock http.Handler, fn string, pairs ...string) *Answer {
	c := &Call{mock: mock, Fn: fn, Method: http.MethodGet, Path: wire.Path(fn)}
	for i := 0; i+1 < len(pairs); i += 2 {
		c.Params = append(c.Params, wire.Pair{Name: pairs[i], Value: pairs[i+1]})
	}
	return c.Send()
}

// storedLine is the line called name as the database holds it (the mock's
// GET /_mock/lines/NAME: every field, customer, no password); nil when
// there is none.
func storedLine(mock http.Handler, name string) map[string]any {
	if name == "" {
		return nil
	}
	a := record(mock, httptest.NewRequest(http.MethodGet, "/_mock/lines/"+url.PathEscape(name), nil))
	if a.Code != "200" {
		return nil
	}
	return a.Data
}

// storedNames are the names of every stored line (GET /_mock/lines).
func storedNames(mock http.Handler) []string {
	a := record(mock, httptest.NewRequest(http.MethodGet, "/_mock/lines", nil))
	lines, _ := a.Data["lines"].([]any)
	var names []string
	for _, l := range lines {
		if m, ok := l.(map[string]any); ok {
			if name, ok := m["name"].(string); ok {
				names = append(names, name)
			}
		}
	}
	return names
}

// customerOf is a stored line's customer id, 0 when unknown.
func customerOf(line map[string]any) int64 {
	n, _ := line["customer"].(json.Number)
	id, _ := n.Int64()
	return id
}

// account is an account of the fixtures, as the server's accounts table
// holds it.
type account struct {
	s2Account
	createLines bool
}

// mayProvision: the role may create and delete lines (fixtures.md).
func (a account) mayProvision() bool { return a.Role == "administrator" || a.Role == "wholesale" }

// directory is what the default fixtures (fixtures/default.yaml, as
// s2Default reads them) hold beside lines: every broken server is built on
// them.
var directory = sync.OnceValue(func() (d struct {
	accounts  map[string]account
	customers []int64
	plan      int64          // a rate plan that may create lines
	plans     map[int64]bool // whether each rate plan may create lines
}) {
	doc := s2Default()
	d.plans = map[int64]bool{}
	for _, p := range doc.RatePlans {
		d.plans[p.ID] = p.CreateLines
		if p.CreateLines && d.plan == 0 {
			d.plan = p.ID
		}
	}
	d.accounts = map[string]account{}
	for _, a := range doc.Accounts {
		d.accounts[a.Username] = account{a, d.plans[a.RatePlan]}
	}
	for _, c := range doc.Customers {
		d.customers = append(d.customers, c.ID)
	}
	return d
})

// login is the account params authenticate as, and whether they do.
func login(p Params) (account, bool) {
	a, ok := directory().accounts[p.Value("auth_username")]
	if !ok || a.Password != p.Value("auth_password") {
		return account{}, false
	}
	return a, true
}

// addStaff gives the server accounts of its own on the mock: an
// administrator in every customer of the fixtures, on a plan that may create
// lines, for the look-ups and writes a real server makes straight in its
// database, past any account's scope (staffAuth names them).
func addStaff(mock http.Handler) {
	var doc strings.Builder
	doc.WriteString("accounts:\n")
	for _, id := range directory().customers {
		user, pass := staffAuth(id)
		fmt.Fprintf(&doc, "  - {username: %s, password: %s, role: administrator, customer: %d, rate_plan: %d}\n", user, pass, id, directory().plan)
	}
	r := httptest.NewRequest(http.MethodPost, "/_mock/fixtures?mode=merge", strings.NewReader(doc.String()))
	if a := record(mock, r); a.Code != "200" {
		panic("blind: add staff accounts: " + string(a.Body))
	}
}

// staffAuth are the credentials of the staff account of customer.
func staffAuth(customer int64) (user, pass string) {
	return fmt.Sprintf("zz-staff-%d", customer), fmt.Sprintf("staff-%d-secret", customer)
}

// asStaff is c sent as the staff account of customer.
func asStaff(c *Call, customer int64) *Call {
	s := c.Clone()
	user, pass := staffAuth(customer)
	s.Params.Set("auth_username", user)
	s.Params.Set("auth_password", pass)
	return s
}

// freeName is a name like name that no stored line has.
func freeName(mock http.Handler, name string) string {
	for n := name + "0"; ; n += "0" {
		if storedLine(mock, n) == nil {
			return n
		}
	}
}

// loadContract is openapi.yaml's contract, loaded once.
var loadContract = sync.OnceValue(contract.MustLoad)

// createParams are phones/create's parameters on version.
func createParams(version string) []contract.Param {
	v, err := contract.ParseVersion(version)
	if err != nil {
		panic(err)
	}
	view, err := loadContract().At(v)
	if err != nil {
		panic(err)
	}
	return view.Params()
}

// extras keeps, by line name, fields a server stores beside the mock's line
// (a column the mock does not have on the server's version).
type extras struct {
	mu     sync.Mutex
	fields map[string]map[string]any
}

func (e *extras) set(name, field string, v any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.fields == nil {
		e.fields = map[string]map[string]any{}
	}
	if e.fields[name] == nil {
		e.fields[name] = map[string]any{}
	}
	e.fields[name][field] = v
}

func (e *extras) drop(name string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.fields, name)
}

// addTo copies the fields kept for name into data; false when none are kept.
func (e *extras) addTo(name string, data map[string]any) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	for k, v := range e.fields[name] {
		data[k] = v
	}
	return len(e.fields[name]) > 0
}

// readBody reads r's body whole. A handler that answers without the mock
// reads it too: net/http must not find it unread once the handler is done.
func readBody(r *http.Request) string {
	if r.Body == nil {
		return ""
	}
	b, _ := io.ReadAll(r.Body)
	return string(b)
}

// setBody gives r the body s.
func setBody(r *http.Request, s string) {
	r.Body = io.NopCloser(strings.NewReader(s))
	r.ContentLength = int64(len(s))
}

// escapeInBody is mock reading a POST body with every old in it escaped
// as esc: a reader that does not take old for what the contract says.
func escapeInBody(mock http.Handler, old, esc string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			setBody(r, strings.ReplaceAll(readBody(r), old, esc))
		}
		mock.ServeHTTP(w, r)
	})
}

// only is c with the first value of each of names and nothing else.
func only(c *Call, names ...string) *Call {
	d := c.Clone()
	d.Params = nil
	for _, n := range names {
		if v, ok := c.Params.Get(n); ok {
			d.Params = append(d.Params, wire.Pair{Name: n, Value: v})
		}
	}
	return d
}
