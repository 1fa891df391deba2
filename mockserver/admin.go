package mockserver

import (
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
)

// The admin API's paths, under adminPrefix (docs/admin-api.md).
const (
	adminReset    = "reset"
	adminRequests = "requests"
	adminVerify   = "verify"
	adminLines    = "lines"
	adminFixtures = "fixtures"
)

// maxAdminBody caps the body of a verify or a fixture document.
const maxAdminBody = 4 << 20

// adminAuth checks the admin API's bearer token. It keeps only the token's
// hash, so that comparing takes the same time whatever its length.
type adminAuth struct {
	hash *[sha256.Size]byte // nil: the admin API is open, unless closed
	// closed: no request may call the admin API (Options.AdminClosed).
	closed bool
}

func newAdminAuth(token string, closed bool) adminAuth {
	if token == "" {
		return adminAuth{closed: closed}
	}
	h := sha256.Sum256([]byte(token))
	return adminAuth{hash: &h}
}

// allows reports whether r may call the admin API: no token is set, or r
// carries it as "Authorization: Bearer TOKEN".
func (a adminAuth) allows(r *http.Request) bool {
	if a.hash == nil {
		return true
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	got := sha256.Sum256([]byte(token))
	match := subtle.ConstantTimeCompare(got[:], a.hash[:]) == 1
	return ok && strings.EqualFold(scheme, "Bearer") && match
}

// serveAdmin answers the admin API: the token first, then the route.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request, c *call) {
	route, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, adminPrefix), "/")
	// The log names a route, never a path a client made up.
	c.function = wire.Unknown
	if slices.Contains([]string{adminReset, adminRequests, adminVerify, adminLines, adminFixtures}, route) {
		c.function = "_mock/" + route
	}
	if s.admin.closed {
		s.adminError(w, c, http.StatusForbidden, "", "the admin API is closed: start the mock with an admin token to open it")
		return
	}
	if !s.admin.allows(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="enswitch-mock admin API"`)
		s.adminError(w, c, http.StatusUnauthorized, "", "the admin API needs the admin token as a bearer token")
		return
	}
	type handler struct {
		method string
		serve  func(http.ResponseWriter, *http.Request, *call)
	}
	var routes []handler
	switch {
	case route == adminReset && rest == "":
		routes = []handler{{http.MethodPost, s.serveReset}}
	case route == adminRequests && rest == "":
		routes = []handler{{http.MethodGet, s.serveRequests}, {http.MethodDelete, s.serveClearRequests}}
	case route == adminVerify && rest == "":
		routes = []handler{{http.MethodPost, s.serveVerify}}
	case route == adminLines && rest == "":
		routes = []handler{{http.MethodGet, s.serveLines}}
	case route == adminLines:
		routes = []handler{{http.MethodGet, func(w http.ResponseWriter, _ *http.Request, c *call) { s.serveLine(w, c, rest) }}}
	case route == adminFixtures && rest == "":
		routes = []handler{{http.MethodPost, s.serveFixtures}}
	default:
		c.function = wire.Unknown
		s.fail(w, c, http.StatusNotFound, "")
		return
	}
	var allow []string
	for _, h := range routes {
		if h.method == r.Method {
			h.serve(w, r, c)
			return
		}
		allow = append(allow, h.method)
	}
	s.fail(w, c, http.StatusMethodNotAllowed, strings.Join(allow, ", "))
}

// adminError answers a refused admin request: the HTTP status, and the
// envelope's code to match with key naming the offending field and a
// message saying why. The reason is logged too: it never holds a value.
func (s *Server) adminError(w http.ResponseWriter, c *call, status int, key, reason string) {
	s.adminErrorDetail(w, c, status, key, reason, "")
}

// adminErrorDetail is adminError with a detail for the client alone, which
// may quote what it sent.
func (s *Server) adminErrorDetail(w http.ResponseWriter, c *call, status int, key, reason, detail string) {
	code := wire.Invalid
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden:
		code = wire.Unauthorized
	case http.StatusNotFound:
		code = wire.NotFound
	}
	c.status, c.code, c.key, c.reason = status, code, key, reason
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	msg := wire.Message(code) + ": " + reason
	if detail != "" {
		msg += ": " + detail
	}
	_, _ = w.Write(wire.Marshal(code, key, msg, nil))
}

// serveReset is POST /_mock/reset: the lines of the fixtures last loaded.
func (s *Server) serveReset(w http.ResponseWriter, _ *http.Request, c *call) {
	if err := s.Reset(); err != nil {
		s.unavailable(w, c, err)
		return
	}
	s.answer(w, c, wire.OK, "", nil)
}

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
func (s *Server) serveRequests(w http.ResponseWriter, r *http.Request, c *call) {
	if s.journalOff(w, c) {
		return
	}
	p, key, reason := patternOf(r.URL.Query())
	if key != "" {
		s.adminError(w, c, http.StatusBadRequest, key, reason)
		return
	}
	entries, dropped := s.journal.snapshot()
	found := p.find(entries)
	if found == nil {
		found = []JournalEntry{}
	}
	s.answer(w, c, wire.OK, "", JournalPage{Requests: found, Dropped: dropped, Size: s.journal.size})
}

// serveClearRequests is DELETE /_mock/requests: empties the journal.
func (s *Server) serveClearRequests(w http.ResponseWriter, _ *http.Request, c *call) {
	if s.journalOff(w, c) {
		return
	}
	s.answer(w, c, wire.OK, "", map[string]int{"cleared": s.journal.clear()})
}

// journalOff answers, and returns true, when the mock keeps no journal: a
// verify must not pass on a journal that was never kept.
func (s *Server) journalOff(w http.ResponseWriter, c *call) bool {
	if s.journal != nil {
		return false
	}
	s.adminError(w, c, http.StatusConflict, "", "the mock keeps no journal (journal size below 1)")
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
// Verdict (HTTP 200 whether matched or not).
func (s *Server) serveVerify(w http.ResponseWriter, r *http.Request, c *call) {
	if s.journalOff(w, c) {
		return
	}
	var v Verification
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAdminBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		s.adminErrorDetail(w, c, http.StatusBadRequest, "body", "not a JSON verification", err.Error())
		return
	}
	if key, reason := v.check(); key != "" {
		s.adminError(w, c, http.StatusBadRequest, key, reason)
		return
	}
	entries, dropped := s.journal.snapshot()
	secret := func(name string) bool { return s.journal.masker.IsSecret(v.Function, name) }
	s.answer(w, c, wire.OK, "", v.verify(entries, dropped, secret))
}

// serveLines is GET /_mock/lines: every line as phones/get shows it to an
// administrator, without its password.
func (s *Server) serveLines(w http.ResponseWriter, _ *http.Request, c *call) {
	ctx, cancel := s.storeContext(c)
	defer cancel()
	lines, err := s.store.list(ctx)
	if err != nil {
		s.unavailable(w, c, err)
		return
	}
	data := make([]map[string]any, len(lines))
	for i, l := range lines {
		data[i] = s.table.render(l, false)
	}
	s.answer(w, c, wire.OK, "", map[string]any{"lines": data})
}

// serveLine is GET /_mock/lines/NAME: one line, as serveLines shows it.
func (s *Server) serveLine(w http.ResponseWriter, c *call, name string) {
	ctx, cancel := s.storeContext(c)
	defer cancel()
	l, ok, err := s.store.get(ctx, name)
	if err != nil {
		s.unavailable(w, c, err)
		return
	}
	if !ok {
		s.adminError(w, c, http.StatusNotFound, "name", "no such line")
		return
	}
	s.answer(w, c, wire.OK, "", s.table.render(l, false))
}

// FixturesLoaded is the data of POST /_mock/fixtures: what the fixtures
// now hold.
type FixturesLoaded struct {
	Mode      string `json:"mode"`
	Customers int    `json:"customers"`
	Accounts  int    `json:"accounts"`
	Lines     int    `json:"lines"` // the fixtures' lines
}

// serveFixtures is POST /_mock/fixtures?mode=replace|merge: a fixture
// document as the body.
func (s *Server) serveFixtures(w http.ResponseWriter, r *http.Request, c *call) {
	mode := r.URL.Query().Get("mode")
	if mode == "" {
		mode = modeReplace
	}
	if mode != modeReplace && mode != modeMerge {
		s.adminError(w, c, http.StatusBadRequest, "mode", "want replace or merge")
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAdminBody))
	if err != nil {
		s.adminError(w, c, http.StatusRequestEntityTooLarge, "body", fmt.Sprintf("a fixture document of at most %d bytes", maxAdminBody))
		return
	}
	if err := s.LoadFixtures(data, mode == modeMerge); err != nil {
		fe := (*FixtureError)(nil)
		if !errors.As(err, &fe) {
			s.unavailable(w, c, err)
			return
		}
		s.adminError(w, c, http.StatusBadRequest, "fixtures", fe.Error())
		return
	}
	d := s.dir()
	s.answer(w, c, wire.OK, "", FixturesLoaded{Mode: mode, Customers: len(d.source.Customers), Accounts: len(d.source.Accounts), Lines: len(d.lines)})
}

// The modes of POST /_mock/fixtures.
const (
	modeReplace = "replace"
	modeMerge   = "merge"
)
