package admin

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/internal/words"
)

// DefaultJournalSize is how many requests the journal keeps unless told
// otherwise (enswitch-mock's --journal-size).
const DefaultJournalSize = 5000

// Masked stands in for the value of a secret parameter (openapi.yaml:
// x-enswitch-secret) in the journal: the journal never holds a secret, so
// no answer of the admin API can show one. It is the wire's token, here
// for tests that use mocktest.
const Masked = wire.Masked

// Bounds on what one journal entry keeps, so that a full journal stays
// small whatever the clients send: a value over maxJournalValue bytes is
// cut, and once an entry's values reach maxJournalEntry bytes the rest are
// cut to nothing. A cut value ends in truncatedMark.
const (
	maxJournalValue = 1 << 10
	maxJournalEntry = 8 << 10
	truncatedMark   = "…"
)

// JournalEntry is one request as the journal keeps it (docs/admin-api.md).
type JournalEntry struct {
	// ID numbers the requests from 1 in the order they were answered.
	ID   uint64    `json:"id"`
	Time time.Time `json:"time"` // when the request arrived
	// Function is phones/create, phones/get, phones/delete, or unknown for
	// any other path (the path itself is never kept).
	Function string `json:"function"`
	Method   string `json:"method"`
	// Params are the values of the function's parameters (those of the
	// newest version the contract describes), secrets as Masked.
	Params map[string]string `json:"params"`
	// Ignored counts the other names the request carried; they are never
	// shown, as a client may have put anything in them.
	Ignored int `json:"ignored,omitempty"`
	// Account is the authenticated username; empty when authentication
	// failed or never happened.
	Account string `json:"account,omitempty"`
	// Status is the HTTP status the mock sent; Code and Key the envelope's.
	Status int    `json:"status"`
	Code   string `json:"code"`
	Key    string `json:"key"`
}

// Journal keeps the latest requests in a ring: when full, each new entry
// replaces the oldest, which is counted as dropped.
type Journal struct {
	// params maps each function to its parameters by name; it is only
	// read.
	params map[string]map[string]journalParam
	masker wire.Masker

	mu      sync.Mutex
	size    int
	entries []record // oldest at head once full
	head    int
	dropped uint64
	lastID  uint64
}

// journalParam is a parameter as the journal keeps it: the contract's
// name, and whether its value is masked.
type journalParam struct {
	name   string
	secret bool
}

// NewJournal is a journal of size entries, or nil for size 0 (no
// journal). view is the newest version's: parameters are only ever added,
// so it names them all.
func NewJournal(size int, view *contract.View) *Journal {
	if size == 0 {
		return nil
	}
	j := &Journal{size: size, params: map[string]map[string]journalParam{}, masker: wire.NewMasker(view)}
	for _, function := range contract.Functions() {
		params, _ := view.Operation(wire.Path(function))
		byName := make(map[string]journalParam, len(params))
		for _, p := range params {
			byName[p.Name] = journalParam{name: p.Name, secret: j.masker.IsSecret(function, p.Name)}
		}
		j.params[function] = byName
	}
	return j
}

// record is an entry as the journal keeps it: its params as pairs, made
// into JournalEntry's map only when the journal is read (a map per request
// would cost a third of recording one, BenchmarkJournalRecord).
type record struct {
	entry  JournalEntry // without Params
	params []wire.Pair
}

// journalEntry is the entry r keeps.
func (r record) journalEntry() JournalEntry {
	e := r.entry
	e.Params = make(map[string]string, len(r.params))
	for _, p := range r.params {
		e.Params[p.Name] = p.Value
	}
	return e
}

// Request is an answered request, as the mock hands it to the journal.
type Request struct {
	Start    time.Time // when it arrived
	Function string    // a contract's function, or wire.Unknown
	Method   string
	Pairs    []wire.Pair // the request's values (wire.Read)
	Account  string      // the authenticated username; "" for none
	Status   int         // the HTTP status sent
	Code     wire.Code   // the envelope's
	Key      string      // the envelope's
}

// Record keeps r, dropping the oldest entry when the journal is full.
func (j *Journal) Record(r *Request) { j.add(j.recordOf(r)) }

// recordOf is the journal record of an answered request; ID is set by add.
// Names are the contract's strings and values copies, so a record keeps
// none of the request's text alive.
func (j *Journal) recordOf(q *Request) record {
	r := record{entry: JournalEntry{
		Time: q.Start, Function: q.Function, Method: journalMethod(q.Method),
		Account: q.Account, Status: q.Status, Code: string(q.Code), Key: q.Key,
	}, params: make([]wire.Pair, 0, len(q.Pairs))}
	known := j.params[q.Function]
	budget := maxJournalEntry
	for _, pair := range q.Pairs {
		p, ok := known[pair.Name]
		value := pair.Value
		switch {
		case !ok:
			r.entry.Ignored++
		case p.secret && value != "":
			r.params = append(r.params, wire.Pair{Name: p.name, Value: wire.Masked})
		default:
			kept := cut(value, min(maxJournalValue, budget))
			budget -= len(kept)
			r.params = append(r.params, wire.Pair{Name: p.name, Value: kept})
		}
	}
	return r
}

// journalMethod is method as the journal keeps it: a constant for GET and
// POST, else a copy cut to maxJournalValue. net/http's method is a slice of
// the request line, which holds the query and its passwords.
func journalMethod(method string) string {
	switch method {
	case http.MethodGet:
		return http.MethodGet
	case http.MethodPost:
		return http.MethodPost
	}
	return cut(method, maxJournalValue)
}

// cut is a copy of s (the journal must not keep the request's text alive)
// of at most n bytes, ending in truncatedMark when cut, on a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return strings.Clone(s)
	}
	return words.Prefix(s, n-len(truncatedMark)) + truncatedMark // a new string: the request's is not kept
}

// add appends r, dropping the oldest entry when the journal is full.
func (j *Journal) add(r record) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.lastID++
	r.entry.ID = j.lastID
	if len(j.entries) < j.size {
		j.entries = append(j.entries, r)
		return
	}
	j.entries[j.head] = r
	j.head = (j.head + 1) % j.size
	j.dropped++
}

// snapshot is the entries, oldest first, and how many were dropped.
func (j *Journal) snapshot() ([]JournalEntry, uint64) {
	j.mu.Lock()
	records := make([]record, 0, len(j.entries))
	records = append(records, j.entries[j.head:]...)
	records = append(records, j.entries[:j.head]...)
	dropped := j.dropped
	j.mu.Unlock()
	// Records are never changed once added: their maps are made unlocked.
	out := make([]JournalEntry, len(records))
	for i, r := range records {
		out[i] = r.journalEntry()
	}
	return out, dropped
}

// clear empties the journal and its dropped count; it returns how many
// entries it held. IDs go on from where they were.
func (j *Journal) clear() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := len(j.entries)
	j.entries, j.head, j.dropped = nil, 0, 0
	return n
}
