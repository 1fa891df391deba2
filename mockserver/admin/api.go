// Package admin is the mock's admin API under /_mock/ (docs/admin-api.md):
// the request journal and verify, the stored lines, fixtures loaded at run
// time. The mock hands it what it reads and changes as small interfaces.
package admin

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver/fixture"
)

// Prefix is the path the admin API answers under.
const Prefix = "/_mock/"

// Lines are the mock's stored lines, each as phones/get shows it to an
// administrator, without its password.
type Lines interface {
	// List returns every line, sorted by name.
	List(ctx context.Context) ([]map[string]any, error)
	// Get returns the line called name and whether there is one.
	Get(ctx context.Context, name string) (map[string]any, bool, error)
}

// Fixtures is the mock's data while it runs.
type Fixtures interface {
	// Reset restores the lines of the fixtures loaded last.
	Reset() error
	// Load loads a fixture document in place of the fixtures, or merged
	// into them; a document refused is a *fixture.Error and changes
	// nothing.
	Load(doc []byte, merge bool) (Loaded, error)
}

// Options configure an API.
type Options struct {
	// Token, when set, is the bearer token every request must carry;
	// empty = the API is open, unless Closed.
	Token string
	// Closed, without Token, answers every request 403.
	Closed   bool
	Journal  *Journal // nil: no journal
	Lines    Lines
	Fixtures Fixtures
}

// API answers the admin API.
type API struct {
	auth     auth
	journal  *Journal
	lines    Lines
	fixtures Fixtures
}

// New is the admin API of opts.
func New(opts Options) *API {
	return &API{auth: newAuth(opts.Token, opts.Closed), journal: opts.Journal, lines: opts.Lines, fixtures: opts.Fixtures}
}

// Outcome is what the API answered, for the mock's log.
type Outcome struct {
	// Route is "_mock/" and the route, or wire.Unknown for a path the API
	// does not have: the log never names a path a client made up.
	Route  string
	Status int
	Code   wire.Code
	Key    string
	// Reason says why a request was refused; it never holds a value.
	Reason string
}

// route is one of the API's paths under Prefix, with a handler per method
// it takes. A path ending in "/" takes a name after it (lines/NAME).
type route struct {
	path    string
	methods []handler
}

type handler struct {
	method string
	serve  func(a *API, w http.ResponseWriter, r *http.Request, o *Outcome) error
}

// routes are the API's, in docs/admin-api.md's order.
var routes = []route{
	{"requests", []handler{{http.MethodGet, (*API).serveRequests}, {http.MethodDelete, (*API).serveClearRequests}}},
	{"verify", []handler{{http.MethodPost, (*API).serveVerify}}},
	{"lines", []handler{{http.MethodGet, (*API).serveLines}}},
	{"lines/", []handler{{http.MethodGet, (*API).serveLine}}},
	{"fixtures", []handler{{http.MethodPost, (*API).serveFixtures}}},
	{"reset", []handler{{http.MethodPost, (*API).serveReset}}},
}

// Serve answers r, a request under Prefix: the token first, then the
// route. An error is one the mock's state gave and Serve did not answer:
// the caller answers it (HTTP 503, docs/state.md).
func (a *API) Serve(w http.ResponseWriter, r *http.Request) (Outcome, error) {
	// A route's path, with or without a trailing slash, or with a name.
	name, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, Prefix), "/")
	o := Outcome{Route: wire.Unknown}
	if slices.ContainsFunc(routes, func(rt route) bool { return rt.path == name }) {
		o.Route = "_mock/" + name
	}
	if a.auth.closed {
		refuse(w, &o, http.StatusForbidden, "", "the admin API is closed: start the mock with an admin token to open it", "")
		return o, nil
	}
	if !a.auth.allows(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="enswitch-mock admin API"`)
		refuse(w, &o, http.StatusUnauthorized, "", "the admin API needs the admin token as a bearer token", "")
		return o, nil
	}
	path := name
	if rest != "" {
		path = name + "/"
	}
	i := slices.IndexFunc(routes, func(rt route) bool { return rt.path == path })
	if i < 0 {
		o.Route = wire.Unknown
		refuse(w, &o, http.StatusNotFound, "", "", "")
		return o, nil
	}
	var allow []string
	for _, h := range routes[i].methods {
		if h.method == r.Method {
			return o, h.serve(a, w, r, &o)
		}
		allow = append(allow, h.method)
	}
	// docs/admin-api.md: a 405 says which methods the route takes.
	w.Header().Set("Allow", strings.Join(allow, ", "))
	refuse(w, &o, http.StatusMethodNotAllowed, "", "the method is not allowed here: use "+strings.Join(allow, " or "), "")
	return o, nil
}

// ok answers HTTP 200, code 200, with data.
func ok(w http.ResponseWriter, o *Outcome, data any) error {
	o.Status, o.Code = http.StatusOK, wire.OK
	wire.Write(w, wire.OK, "", "", data)
	return nil
}

// refuse answers a refused request: the HTTP status, and the envelope's
// code to match with key naming the offending field and a message saying
// why (reason, logged too: it never holds a value), then detail, for the
// client alone, which may quote what it sent.
func refuse(w http.ResponseWriter, o *Outcome, status int, key, reason, detail string) {
	code := wire.Invalid
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden:
		code = wire.Unauthorized
	case http.StatusNotFound:
		code = wire.NotFound
	}
	o.Status, o.Code, o.Key, o.Reason = status, code, key, reason
	msg := ""
	if reason != "" {
		msg = wire.Message(code) + ": " + reason
	}
	if detail != "" {
		msg += ": " + detail
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(wire.Marshal(code, key, msg, nil))
}

// auth checks the bearer token. It keeps only the token's hash, so that
// comparing takes the same time whatever its length.
type auth struct {
	hash *[sha256.Size]byte // nil: the API is open, unless closed
	// closed: no request may call the API (Options.Closed).
	closed bool
}

func newAuth(token string, closed bool) auth {
	if token == "" {
		return auth{closed: closed}
	}
	h := sha256.Sum256([]byte(token))
	return auth{hash: &h}
}

// allows reports whether r may call the API: no token is set, or r carries
// it as "Authorization: Bearer TOKEN".
func (a auth) allows(r *http.Request) bool {
	if a.hash == nil {
		return true
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	got := sha256.Sum256([]byte(token))
	match := subtle.ConstantTimeCompare(got[:], a.hash[:]) == 1
	return ok && strings.EqualFold(scheme, "Bearer") && match
}

// maxBody caps the body of a verify or a fixture document.
const maxBody = 4 << 20

// JournalPage is the data of GET /_mock/requests.
type JournalPage struct {
	Requests []JournalEntry `json:"requests"`
	// Dropped counts the entries dropped, oldest first, to keep the
	// journal within Size since it was last cleared.
	Dropped uint64 `json:"dropped"`
	Size    int    `json:"size"`
}

// serveRequests is GET /_mock/requests: the journal, oldest first, filtered
// by the query (patternOf).
func (a *API) serveRequests(w http.ResponseWriter, r *http.Request, o *Outcome) error {
	if a.journalOff(w, o) {
		return nil
	}
	p, key, reason := patternOf(r.URL.Query())
	if key != "" {
		refuse(w, o, http.StatusBadRequest, key, reason, "")
		return nil
	}
	entries, dropped := a.journal.snapshot()
	found := p.find(entries)
	if found == nil {
		found = []JournalEntry{}
	}
	return ok(w, o, JournalPage{Requests: found, Dropped: dropped, Size: a.journal.size})
}

// serveClearRequests is DELETE /_mock/requests: empties the journal.
func (a *API) serveClearRequests(w http.ResponseWriter, _ *http.Request, o *Outcome) error {
	if a.journalOff(w, o) {
		return nil
	}
	return ok(w, o, map[string]int{"cleared": a.journal.clear()})
}

// journalOff answers, and returns true, when the mock keeps no journal: a
// verify must not pass on a journal that was never kept.
func (a *API) journalOff(w http.ResponseWriter, o *Outcome) bool {
	if a.journal != nil {
		return false
	}
	refuse(w, o, http.StatusConflict, "", "the mock keeps no journal (journal size below 1)", "")
	return true
}

// patternOf reads the journal's filters from a query: function, code,
// key, since and until (RFC 3339), and param=NAME=VALUE, repeatable. It
// returns the offending filter and why, or an empty key.
func patternOf(q url.Values) (p Pattern, key, reason string) {
	for name, values := range q {
		v := values[0]
		var err error
		switch name {
		case "function":
			p.Function = v
		case "code":
			p.Code = v
		case "key":
			p.Key = &v
		case "since":
			p.Since, err = time.Parse(time.RFC3339Nano, v)
		case "until":
			p.Until, err = time.Parse(time.RFC3339Nano, v)
		case "param":
			p.Params = map[string]string{}
			for _, v := range values {
				param, value, ok := strings.Cut(v, "=")
				if !ok || param == "" {
					return p, name, "want NAME=VALUE"
				}
				p.Params[param] = value
			}
		default:
			return p, name, "not a filter (function, param, code, key, since, until)"
		}
		if err != nil {
			return p, name, "want a time as RFC 3339, e.g. 2026-01-02T15:04:05Z"
		}
	}
	return p, "", ""
}

// serveVerify is POST /_mock/verify: a JSON Verification, answered with a
// Match (HTTP 200 whether matched or not).
func (a *API) serveVerify(w http.ResponseWriter, r *http.Request, o *Outcome) error {
	if a.journalOff(w, o) {
		return nil
	}
	var v Verification
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		refuse(w, o, http.StatusBadRequest, "body", "not a JSON verification", err.Error())
		return nil
	}
	if key, reason := v.check(); key != "" {
		refuse(w, o, http.StatusBadRequest, key, reason, "")
		return nil
	}
	entries, dropped := a.journal.snapshot()
	secret := func(name string) bool { return a.journal.masker.IsSecret(v.Function, name) }
	return ok(w, o, v.verify(entries, dropped, secret))
}

// serveLines is GET /_mock/lines: every line as phones/get shows it to an
// administrator, without its password.
func (a *API) serveLines(w http.ResponseWriter, r *http.Request, o *Outcome) error {
	lines, err := a.lines.List(r.Context())
	if err != nil {
		return err
	}
	return ok(w, o, map[string]any{"lines": lines})
}

// serveLine is GET /_mock/lines/NAME: one line, as serveLines shows it.
func (a *API) serveLine(w http.ResponseWriter, r *http.Request, o *Outcome) error {
	name := strings.TrimPrefix(r.URL.Path, Prefix+"lines/")
	l, found, err := a.lines.Get(r.Context(), name)
	if err != nil {
		return err
	}
	if !found {
		refuse(w, o, http.StatusNotFound, "name", "no such line", "")
		return nil
	}
	return ok(w, o, l)
}

// Loaded is the data of POST /_mock/fixtures: what the fixtures now hold.
type Loaded struct {
	Mode      string `json:"mode"`
	Customers int    `json:"customers"`
	Accounts  int    `json:"accounts"`
	Lines     int    `json:"lines"` // the fixtures' lines
}

// The modes of POST /_mock/fixtures.
const (
	modeReplace = "replace"
	modeMerge   = "merge"
)

// serveFixtures is POST /_mock/fixtures?mode=replace|merge: a fixture
// document as the body.
func (a *API) serveFixtures(w http.ResponseWriter, r *http.Request, o *Outcome) error {
	mode := r.URL.Query().Get("mode")
	if mode == "" {
		mode = modeReplace
	}
	if mode != modeReplace && mode != modeMerge {
		refuse(w, o, http.StatusBadRequest, "mode", "want replace or merge", "")
		return nil
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		refuse(w, o, http.StatusRequestEntityTooLarge, "body", fmt.Sprintf("a fixture document of at most %d bytes", maxBody), "")
		return nil
	}
	loaded, err := a.fixtures.Load(data, mode == modeMerge)
	if fe := (*fixture.Error)(nil); errors.As(err, &fe) {
		refuse(w, o, http.StatusBadRequest, "fixtures", fe.Error(), "")
		return nil
	}
	if err != nil {
		return err
	}
	loaded.Mode = mode
	return ok(w, o, loaded)
}

// serveReset is POST /_mock/reset: the lines of the fixtures last loaded.
func (a *API) serveReset(w http.ResponseWriter, _ *http.Request, o *Outcome) error {
	if err := a.fixtures.Reset(); err != nil {
		return err
	}
	return ok(w, o, nil)
}
