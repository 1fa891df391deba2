package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/enswitch-kit/phones/internal/answertest"
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
	fn, _ := wire.Function(r.URL.Path)
	c := &call{fn: fn}
	var raw []byte
	if r.Body != nil {
		raw, _ = io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(raw))
	}
	var err1, err2 error
	c.query, err1 = wire.AppendAll(nil, r.URL.RawQuery)
	c.body, err2 = wire.AppendAll(nil, string(raw))
	c.ok = err1 == nil && err2 == nil
	switch {
	case r.Method == http.MethodPost && wire.Separator(string(raw)) == ';':
		c.way = postSemicolon
	case r.Method == http.MethodPost:
		c.way = postForm
	case wire.Separator(r.URL.RawQuery) == ';':
		c.way = getSemicolon
	default:
		c.way = getAmpersand
	}
	return c
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

// ask sends fn with pairs to h as a GET and returns the answer: what a
// mutant asks the mock behind it.
func ask(h http.Handler, fn string, pairs []wire.Pair) *answertest.Answer {
	return answertest.Record(h, httptest.NewRequest(http.MethodGet, wire.Path(fn)+"?"+wire.Encode(pairs, '&'), nil))
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
		a := answertest.Record(next, r)
		if c.fn == fn {
			a.Edit(func(resp, data map[string]any) { edit(c, resp, data) })
		}
		a.Send(w)
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
