package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"

	"github.com/enswitch-kit/phones/internal/wire"
)

// way is how a request travels (wire-contract.md: transport).
type way string

// The ways in a server must accept.
const (
	getSemicolon  way = "GET ;"
	getAmpersand  way = "GET &"
	postForm      way = "POST &"
	postSemicolon way = "POST ;"
)

var ways = []way{getSemicolon, getAmpersand, postForm, postSemicolon}

// call is one request as the mutation layer sees it: its function, the
// way it came, and its pairs in order (query first, then body), repeats
// kept.
type call struct {
	fn    string
	way   way
	query []wire.Pair
	body  []wire.Pair
	ok    bool // the pairs could be read; an unreadable request passes as it is
}

// readCall reads r's pairs and leaves its body readable again.
func readCall(r *http.Request) *call {
	c := &call{fn: strings.Trim(strings.TrimPrefix(r.URL.Path, "/api/json/"), "/"), ok: true}
	var raw []byte
	if r.Body != nil {
		raw, _ = io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(raw))
	}
	var err1, err2 error
	c.query, err1 = splitPairs(r.URL.RawQuery)
	c.body, err2 = splitPairs(string(raw))
	c.ok = err1 == nil && err2 == nil
	switch {
	case r.Method == http.MethodPost && strings.Contains(string(raw), ";"):
		c.way = postSemicolon
	case r.Method == http.MethodPost:
		c.way = postForm
	case strings.Contains(r.URL.RawQuery, ";"):
		c.way = getSemicolon
	default:
		c.way = getAmpersand
	}
	return c
}

// splitPairs decodes every pair of s in order, repeats included.
func splitPairs(s string) ([]wire.Pair, error) {
	var out []wire.Pair
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '&' || r == ';' }) {
		name, value, _ := strings.Cut(part, "=")
		n, err := url.QueryUnescape(name)
		if err != nil {
			return nil, err
		}
		v, err := url.QueryUnescape(value)
		if err != nil {
			return nil, err
		}
		out = append(out, wire.Pair{Name: n, Value: v})
	}
	return out, nil
}

// pairs is every pair, the query's first.
func (c *call) pairs() []wire.Pair { return append(append([]wire.Pair{}, c.query...), c.body...) }

// get is the first value of name (wire-contract.md: the first value counts).
func (c *call) get(name string) (string, bool) { return wire.Get(c.pairs(), name) }

// set replaces the first value of name, or appends the pair.
func (c *call) set(name, value string) {
	for _, list := range []*[]wire.Pair{&c.query, &c.body} {
		for i, p := range *list {
			if p.Name == name {
				(*list)[i].Value = value
				return
			}
		}
	}
	if len(c.body) > 0 {
		c.body = append(c.body, wire.Pair{Name: name, Value: value})
		return
	}
	c.query = append(c.query, wire.Pair{Name: name, Value: value})
}

// drop removes every pair named name.
func (c *call) drop(name string) {
	keep := func(in []wire.Pair) []wire.Pair {
		var out []wire.Pair
		for _, p := range in {
			if p.Name != name {
				out = append(out, p)
			}
		}
		return out
	}
	c.query, c.body = keep(c.query), keep(c.body)
}

// edit applies f to the first pair of every name; f returns the new value
// and whether to keep the pair.
func (c *call) edit(f func(name, value string) (string, bool)) {
	seen := map[string]bool{}
	apply := func(in []wire.Pair) []wire.Pair {
		var out []wire.Pair
		for _, p := range in {
			if seen[p.Name] {
				out = append(out, p)
				continue
			}
			seen[p.Name] = true
			v, keep := f(p.Name, p.Value)
			if keep {
				out = append(out, wire.Pair{Name: p.Name, Value: v})
			}
		}
		return out
	}
	c.query = apply(c.query)
	c.body = apply(c.body)
}

// request rebuilds r with c's pairs, '&' between them, the way kept.
func (c *call) request(r *http.Request) *http.Request {
	out := r.Clone(r.Context())
	out.URL.RawQuery = wire.Encode(c.query, '&')
	body := wire.Encode(c.body, '&')
	out.Body = io.NopCloser(strings.NewReader(body))
	out.ContentLength = int64(len(body))
	return out
}

// answer is the mock's answer, captured to edit.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func record(h http.Handler, r *http.Request) *answer {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return &answer{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

func (a *answer) writeTo(w http.ResponseWriter) {
	for k, v := range a.header {
		if k != "Content-Length" {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// outcome decodes the answer's code and key.
func (a *answer) outcome() wire.Outcome {
	o, _ := wire.Decode(a.body)
	return o
}

// edit decodes the envelope, lets f change its first response and its
// data, and encodes it again.
func (a *answer) edit(f func(resp, data map[string]any)) {
	var env map[string]any
	dec := json.NewDecoder(bytes.NewReader(a.body))
	dec.UseNumber()
	if dec.Decode(&env) != nil {
		return
	}
	responses, _ := env["responses"].([]any)
	if len(responses) == 0 {
		return
	}
	resp, _ := responses[0].(map[string]any)
	data, _ := env["data"].(map[string]any)
	f(resp, data)
	if out, err := json.Marshal(env); err == nil {
		a.body = out
	}
}

// envelope is an answer with code and key and no data.
func envelope(code wire.Code, key string) *answer {
	return &answer{status: http.StatusOK, header: http.Header{"Content-Type": {"application/json"}}, body: wire.Marshal(code, key, wire.Message(code), nil)}
}

// ask sends fn with pairs to h as a GET and returns the answer: what a
// mutant asks the mock behind it.
func ask(h http.Handler, fn string, pairs []wire.Pair) *answer {
	return record(h, httptest.NewRequest(http.MethodGet, "/api/json/"+fn+"/?"+wire.Encode(pairs, '&'), nil))
}

// handler is a mutant's middleware: it sees each call and its request,
// and answers through next (the mock) or by itself.
type handler func(w http.ResponseWriter, r *http.Request, c *call, next http.Handler)

// wrap puts h in front of next; an unreadable request goes straight to next.
func wrap(next http.Handler, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := readCall(r)
		if !c.ok {
			next.ServeHTTP(w, r)
			return
		}
		h(w, r, c, next)
	})
}

// onRequest edits the calls of fn before the mock sees them.
func onRequest(fn string, edit func(c *call)) handler {
	return func(w http.ResponseWriter, r *http.Request, c *call, next http.Handler) {
		if c.fn == fn {
			edit(c)
			r = c.request(r)
		}
		next.ServeHTTP(w, r)
	}
}

// onAnswer edits the mock's answers to fn.
func onAnswer(fn string, edit func(c *call, resp, data map[string]any)) handler {
	return func(w http.ResponseWriter, r *http.Request, c *call, next http.Handler) {
		a := record(next, r)
		if c.fn == fn {
			a.edit(func(resp, data map[string]any) { edit(c, resp, data) })
		}
		a.writeTo(w)
	}
}

// memo is what a stateful mutant remembers between requests.
type memo struct {
	mu   sync.Mutex
	byID map[string]map[string]string
}

func newMemo() *memo { return &memo{byID: map[string]map[string]string{}} }

func (m *memo) put(id string, fields map[string]string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.byID[id] = fields
}

func (m *memo) take(id string) (map[string]string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.byID[id]
	return f, ok
}

func (m *memo) ids() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for id := range m.byID {
		out = append(out, id)
	}
	return out
}

func (m *memo) forget(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.byID, id)
}

// given maps each name of pairs to its first value.
func given(pairs []wire.Pair) map[string]string {
	out := map[string]string{}
	for _, p := range pairs {
		if _, ok := out[p.Name]; !ok {
			out[p.Name] = p.Value
		}
	}
	return out
}
