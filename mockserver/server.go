// Package mockserver is a stateful mock of the Enswitch JSON API's
// phones/create, phones/get and phones/delete, for one Enswitch version,
// answering over HTTP as wire-contract.md and openapi.yaml say. Where its
// lines live (store), its admin API (admin) and its data (fixture) are
// rooms of their own, handed in or built by New.
package mockserver

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/fixtures"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver/admin"
	"github.com/enswitch-kit/phones/mockserver/fixture"
	"github.com/enswitch-kit/phones/mockserver/store"
)

// Options configure a Server.
type Options struct {
	Version  contract.Version // zero value = newest version in the contract
	Fixtures []byte           // fixture YAML; nil = the embedded defaults (fixtures.Default)
	Logger   *slog.Logger     // nil = discard
	// JournalSize caps the request journal (GET /_mock/requests): nil =
	// admin.DefaultJournalSize, 0 = no journal, as enswitch-mock's
	// --journal-size; a negative size is an error.
	JournalSize *int
	// AdminToken, when set, is the bearer token every /_mock/ request must
	// carry (docs/admin-api.md); empty = the admin API is open.
	AdminToken string
	// AdminClosed, without AdminToken, answers every /_mock/ request 403:
	// a mock others can reach keeps its admin API to token holders only.
	AdminClosed bool
	// Store is where the lines live (docs/state.md): nil in memory, else a
	// durable store such as bolt.File or postgres.Database. One that
	// cannot be opened is a *StateError.
	Store store.Opener
}

// Server is the mock, an http.Handler.
type Server struct {
	version contract.Version
	table   *table
	// fixtures is the directory last loaded (New, POST /_mock/fixtures).
	fixtures    atomic.Pointer[directory]
	recordKinds map[string]bool
	// loading serialises loading fixtures and Reset.
	loading sync.Mutex
	store   store.Store
	admin   *admin.API
	// out answers, logs and journals each request (respond.go).
	out responder
	// openAPIJSON is the contract as JSON, for GET /openapi.json
	// (document.go), converted on first use.
	openAPIJSON func() ([]byte, error)
}

// defaultFixturesFile names the embedded defaults in errors.
const defaultFixturesFile = "fixtures/default.yaml"

// New builds a mock of opts.Version on opts.Fixtures. It fails on a version
// the contract does not describe, on bad fixtures (a *fixture.Error naming
// line and field) and on a store it cannot open (a *StateError).
func New(opts Options) (*Server, error) {
	c, err := contract.Load()
	if err != nil {
		return nil, fmt.Errorf("load contract: %w", err)
	}
	return newServer(c, opts)
}

// newServer is New on a loaded contract, which servers may share: it is
// only read.
func newServer(c *contract.Contract, opts Options) (*Server, error) {
	view := c.Latest()
	var err error
	if !opts.Version.IsZero() {
		if view, err = c.At(opts.Version); err != nil {
			return nil, err
		}
	}
	t, err := newTable(view)
	if err != nil {
		return nil, fmt.Errorf("emulate contract: %w", err)
	}
	data, file := opts.Fixtures, ""
	if data == nil {
		data, file = fixtures.Default, defaultFixturesFile
	}
	kinds := fixture.RecordKinds(c)
	doc, err := fixture.Parse(file, data, kinds)
	if err != nil {
		return nil, err
	}
	journalSize := admin.DefaultJournalSize
	if opts.JournalSize != nil {
		if journalSize = *opts.JournalSize; journalSize < 0 {
			return nil, fmt.Errorf("journal size %d: want 0 (no journal) or more", journalSize)
		}
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{version: view.Version(), table: t, recordKinds: kinds, out: responder{log: log, journal: admin.NewJournal(journalSize, c.Latest())}}
	s.admin = admin.New(admin.Options{Token: opts.AdminToken, Closed: opts.AdminClosed, Journal: s.out.journal, Lines: adminLines{s}, Fixtures: adminFixtures{s}})
	s.fixtures.Store(newDirectory(doc))
	s.openAPIJSON = sync.OnceValues(openAPIJSON)
	if s.store, err = s.openStore(opts.Store, data); err != nil {
		return nil, err
	}
	return s, nil
}

// Close releases the store. The server must not serve after it.
func (s *Server) Close() error { return s.store.Close() }

// Version is the Enswitch version the server emulates.
func (s *Server) Version() contract.Version { return s.version }

// The functions the mock answers under the API prefix (wire-contract.md:
// transport; reading back), and its own path.
const (
	fnCreate   = contract.Create
	fnGet      = contract.Get
	fnDelete   = contract.Delete
	pathHealth = "/healthz"
)

// ServeHTTP answers the whole mock: the functions (wire.Function), GET
// /healthz, the contract document and the admin API under /_mock/
// (docs/admin-api.md). Every answer but the document's carries the JSON
// envelope; each request is logged once, without its query or body, and
// each but the admin API's and /healthz is kept in the journal.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	c := &call{function: r.URL.Path, ctx: r.Context(), deadline: start.Add(store.Timeout)}
	defer s.out.finish(w, r, c, start)
	switch path := r.URL.Path; {
	case wire.IsAPI(path):
		c.journaled = true
		s.serveAPI(w, r, c)
	case path == pathHealth:
		s.out.answer(w, c, wire.OK, "", map[string]string{"status": "ok", "version": s.version.String()})
	case strings.HasPrefix(path, admin.Prefix):
		s.serveAdmin(w, r, c)
	case path == pathOpenAPIYAML || path == pathOpenAPIJSON:
		s.serveDocument(w, r, c)
	default:
		c.function, c.journaled = wire.Unknown, true
		s.out.fail(w, c, http.StatusNotFound, "")
	}
}

// call is one request as the mock handles it: parsed once, answered once,
// logged once.
type call struct {
	function string
	// ctx is the request's; deadline ends its store calls (store.Timeout
	// from its start).
	ctx      context.Context
	deadline time.Time
	// pairs are the request's values, the first of each name (wire.Read).
	pairs []wire.Pair
	// account is the authenticated username, for the log; empty before
	// authentication succeeds.
	account string
	// status is the HTTP status sent; code and key the envelope's.
	status int
	code   wire.Code
	key    string
	// reason explains a 400 (never a value), for the log.
	reason string
	// journaled: the request goes into the journal (an API request, not
	// the admin API's).
	journaled bool
}

// serveAPI answers a function (wire.Function): it reads the request once
// and calls the function's handler (create.go, read.go).
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, c *call) {
	// wire-contract.md: the function is the rest of the path, with or
	// without a trailing slash. c.function is the contract's constant, not
	// a slice of the path: the journal keeps it, and the path shares its
	// memory with the query, passwords included.
	c.function, _ = wire.Function(r.URL.Path)
	if c.function == wire.Unknown {
		s.out.fail(w, c, http.StatusNotFound, "")
		return
	}
	// wire-contract.md: GET with a query string, or POST with a form body.
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		s.out.fail(w, c, http.StatusMethodNotAllowed, "GET, POST")
		return
	}
	if !s.readCall(w, r, c) {
		return
	}
	switch c.function {
	case fnCreate:
		s.create(w, c)
	case fnGet:
		s.read(w, c)
	default:
		s.remove(w, c)
	}
}

// readCall reads the request's values into c. It answers, and returns
// false, when the request cannot be read or a value of the function's is not
// UTF-8.
func (s *Server) readCall(w http.ResponseWriter, r *http.Request, c *call) bool {
	pairs, err := wire.Read(w, r)
	if err != nil {
		s.out.unreadable(w, c, err)
		return false
	}
	c.pairs = pairs
	key := firstNotUTF8(s.operation(c.function), pairs)
	if key == "" {
		return true
	}
	// Stored text would come back altered (JSON has no invalid UTF-8):
	// refuse it, after the outcomes that come first (wire-contract.md:
	// outcome order).
	if _, code := s.admit(c); code != "" {
		s.out.answer(w, c, code, "", nil)
		return false
	}
	s.out.reject(w, c, &wire.RequestError{Param: key, Reason: wire.ErrNotUTF8.Error(), Err: wire.ErrNotUTF8})
	return false
}

// operation is the parameters of function, which is fnCreate, fnGet or
// fnDelete.
func (s *Server) operation(function string) []contract.Param {
	switch function {
	case fnCreate:
		return s.table.params
	case fnGet:
		return s.table.get
	default:
		return s.table.del
	}
}

// firstNotUTF8 names the first parameter of params whose value in pairs
// is not valid UTF-8, or returns "".
func firstNotUTF8(params []contract.Param, pairs []wire.Pair) string {
	if allUTF8(pairs) {
		return "" // one pass over the few values given, not a lookup per parameter
	}
	for i := range params {
		if raw, ok := wire.Get(pairs, params[i].Name); ok && !utf8.ValidString(raw) {
			return params[i].Name
		}
	}
	return ""
}

// allUTF8 reports whether every value in pairs is valid UTF-8.
func allUTF8(pairs []wire.Pair) bool {
	for _, p := range pairs {
		if !utf8.ValidString(p.Value) {
			return false
		}
	}
	return true
}

// admit authenticates c and applies the outcome order's first steps
// (wire-contract.md: outcome order): 401, then for phones/create and
// phones/delete 402, then for phones/create 403. It returns the account, or
// the code that refuses the call.
func (s *Server) admit(c *call) (*account, wire.Code) {
	acct := s.dir().authenticate(valueOf(c.pairs, s.table.authUsername), valueOf(c.pairs, s.table.authPassword))
	if acct == nil {
		return nil, wire.Unauthorized
	}
	c.account = acct.username
	switch {
	case c.function == fnGet: // any authenticated role may read
	case !acct.mayProvision():
		return nil, wire.RoleForbidden
	case c.function == fnCreate && !acct.createLines:
		return nil, wire.PlanForbidden
	}
	return acct, ""
}

// valueOf is the value of name in pairs; "" when not given.
func valueOf(pairs []wire.Pair, name string) string {
	v, _ := wire.Get(pairs, name)
	return v
}

// storeContext is the context of c's store calls: the request's, ended at
// c's deadline. The memory store never waits, so its calls get the
// request's own context: a deadline is a timer and four allocations a
// request, some 13% of a create (BenchmarkServeBenchLoad -cpu 1).
func (s *Server) storeContext(c *call) (context.Context, context.CancelFunc) {
	if _, inMemory := s.store.(*store.Memory); inMemory {
		return c.ctx, func() {}
	}
	return context.WithDeadline(c.ctx, c.deadline)
}
