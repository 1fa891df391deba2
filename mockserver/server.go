// Package mockserver is a stateful mock of the Enswitch JSON API's
// phones/create, phones/get and phones/delete, for one Enswitch version,
// answering as wire-contract.md and openapi.yaml say.
package mockserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/fixtures"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Options configure a Server.
type Options struct {
	Version  contract.Version // zero value = newest version in the contract
	Fixtures []byte           // fixture YAML; nil = the embedded defaults (fixtures.Default)
	Logger   *slog.Logger     // nil = discard
	// JournalSize caps the request journal (GET /_mock/requests): nil =
	// DefaultJournalSize, 0 = no journal, as enswitch-mock's
	// --journal-size; a negative size is an error.
	JournalSize *int
	// AdminToken, when set, is the bearer token every /_mock/ request must
	// carry (docs/admin-api.md); empty = the admin API is open.
	AdminToken string
	// AdminClosed, without AdminToken, answers every /_mock/ request 403:
	// a mock others can reach keeps its admin API to token holders only.
	AdminClosed bool
	// State is where the lines live (docs/state.md): "" in memory, a
	// postgres:// URL in PostgreSQL shared by replicas, anything else a
	// file. An unusable state is a *StateError.
	State string
	// StateWait is how long New retries a PostgreSQL it cannot reach yet
	// (refused, unresolved, starting up) before it fails: 0 =
	// DefaultStateWait, negative = one attempt.
	StateWait time.Duration
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
	store   lineStore
	journal *journal // nil: no journal
	admin   adminAuth
	log     *slog.Logger
	// openAPIJSON is the contract as JSON, for GET /openapi.json
	// (document.go), converted on first use.
	openAPIJSON func() ([]byte, error)
}

// defaultFixturesFile names the embedded defaults in errors.
const defaultFixturesFile = "fixtures/default.yaml"

// New builds a mock of opts.Version on opts.Fixtures. It fails on a version
// the contract does not describe and on bad fixtures; a fixture error is a
// *FixtureError naming line and field.
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
	kinds := recordKinds(c)
	dir, err := parseFixtures(file, data, kinds)
	if err != nil {
		return nil, err
	}
	journalSize := DefaultJournalSize
	if opts.JournalSize != nil {
		if journalSize = *opts.JournalSize; journalSize < 0 {
			return nil, fmt.Errorf("journal size %d: want 0 (no journal) or more", journalSize)
		}
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{version: view.Version(), table: t, recordKinds: kinds,
		journal: newJournal(journalSize, c.Latest()), admin: newAdminAuth(opts.AdminToken, opts.AdminClosed), log: log}
	s.fixtures.Store(dir)
	s.openAPIJSON = sync.OnceValues(openAPIJSON)
	seed, err := s.fixtureLines(dir.lines)
	if err != nil {
		return nil, err
	}
	meta := newStoreMeta(s.version.String(), data)
	if s.store, err = openStore(opts.State, t, meta, seed, opts.StateWait, log); err != nil {
		return nil, err
	}
	return s, nil
}

// Close releases the store. The server must not serve after it.
func (s *Server) Close() error { return s.store.close() }

// Version is the Enswitch version the server emulates.
func (s *Server) Version() contract.Version { return s.version }

// dir is the fixture world last loaded.
func (s *Server) dir() *directory { return s.fixtures.Load() }

// Reset restores the lines of the fixtures last loaded, dropping every line
// created since, for every replica sharing the store. Fixture lines carry
// the emulated version's defaults. It fails when a fixture line's name is
// not a valid name on this version, or when the store fails.
func (s *Server) Reset() error {
	s.loading.Lock()
	defer s.loading.Unlock()
	lines, err := s.fixtureLines(s.dir().lines)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), StoreTimeout)
	defer cancel()
	return s.store.reset(ctx, lines)
}

// fixtureLines are the stored lines of fixture lines docs, in their order.
// It fails when a line's name is not a valid name on this version.
func (s *Server) fixtureLines(docs []lineDoc) ([]line, error) {
	t := s.table
	lines := make([]line, 0, len(docs))
	for i, doc := range docs {
		if err := t.params[t.name].Check(doc.Name); err != nil {
			return nil, &FixtureError{Field: fmt.Sprintf("lines[%d].name", i), Reason: err.Error()}
		}
		lines = append(lines, line{name: doc.Name, customer: doc.Customer, password: doc.Password, fields: t.callerFields(nil, doc.Customer)})
	}
	return lines, nil
}

// ServeHTTP answers the whole mock: the functions (wire.Function), GET
// /healthz and the admin API under /_mock/ (docs/admin-api.md). Every
// answer carries the JSON envelope; each request is logged once, without
// its query or body, and each but the admin API's and /healthz is kept in
// the journal.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	c := &call{function: r.URL.Path, ctx: r.Context(), deadline: start.Add(StoreTimeout)}
	defer s.finish(w, r, c, start)
	switch path := r.URL.Path; {
	case wire.IsAPI(path):
		c.journaled = true
		s.serveAPI(w, r, c)
	case path == pathHealth:
		s.answer(w, c, wire.OK, "", map[string]string{"status": "ok", "version": s.version.String()})
	case strings.HasPrefix(path, adminPrefix):
		s.serveAdmin(w, r, c)
	case path == pathOpenAPIYAML || path == pathOpenAPIJSON:
		s.serveDocument(w, r, c)
	default:
		c.function, c.journaled = wire.Unknown, true
		s.fail(w, c, http.StatusNotFound, "")
	}
}

// serveAPI answers a function (wire.Function): it parses the request once and
// calls the function's handler.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, c *call) {
	// wire-contract.md: the function is the rest of the path, with or
	// without a trailing slash. c.function is the contract's constant, not
	// a slice of the path: the journal keeps it, and the path shares its
	// memory with the query, passwords included.
	c.function, _ = wire.Function(r.URL.Path)
	if c.function == wire.Unknown {
		s.fail(w, c, http.StatusNotFound, "")
		return
	}
	// wire-contract.md: GET with a query string, or POST with a form body.
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		s.fail(w, c, http.StatusMethodNotAllowed, "GET, POST")
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
		s.unreadable(w, c, err)
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
		s.answer(w, c, code, "", nil)
		return false
	}
	s.reject(w, c, &wire.RequestError{Param: key, Reason: wire.ErrNotUTF8.Error(), Err: wire.ErrNotUTF8})
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
	case !acct.role.mayProvision():
		return nil, wire.RoleForbidden
	case c.function == fnCreate && !acct.createLines:
		return nil, wire.PlanForbidden
	}
	return acct, ""
}

// unreadable answers a request wire.Read refused: its status and reason,
// or a plain 400.
func (s *Server) unreadable(w http.ResponseWriter, c *call, err error) {
	status := http.StatusBadRequest
	if re := (*wire.ReadError)(nil); errors.As(err, &re) {
		status, c.reason = re.Status, re.Reason
	}
	s.fail(w, c, status, "")
}
