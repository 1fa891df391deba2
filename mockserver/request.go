package mockserver

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/enswitch-kit/phones/internal/wire"
)

// Request limits. A request over one is refused whole,
// still with the envelope (code 400, empty key) and the HTTP status named
// here (wire-contract.md: only a request that cannot be read may leave HTTP
// 200). The http.Server limits (header size and timeouts) are in
// cmd/enswitch-mock; a request line or header over its MaxHeaderBytes never
// reaches the mock and gets net/http's own 431.
const (
	// MaxBody is the largest form body the mock reads; a longer one is
	// answered HTTP 413 without reading the rest. Every parameter of
	// phones/create together is far below it.
	MaxBody = 64 << 10
	// MaxQuery is the longest raw query string the mock parses; a longer
	// one is answered HTTP 414.
	MaxQuery = 16 << 10
	// MaxParams caps the name=value pairs of query and body together
	// (phones/create has some seventy parameters); more are answered HTTP
	// 400. Every separator counts, empty pairs too, so the cap is checked
	// before any decoding.
	MaxParams = 256
)

// The reasons logged for an unreadable request; never a value.
const (
	reasonQueryTooLong  = "the query string is over the size limit"
	reasonBodyTooLarge  = "the body is over the size limit"
	reasonTooManyParams = "too many parameters"
	reasonNotUTF8       = "not valid UTF-8"
)

// call is one API request as the mock handles it: parsed once, answered
// once, logged once.
type call struct {
	function string
	// ctx is the request's; deadline ends its store calls (StoreTimeout
	// from its start).
	ctx      context.Context
	deadline time.Time
	// pairs are the request's values, the first of each name (readValues).
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

// unreadable is a request whose parameters cannot be read at all: the one
// case that may leave HTTP 200 (wire-contract.md: transport).
type unreadable struct {
	status int
	reason string
}

func (e *unreadable) Error() string { return e.reason }

// readValues parses the query string and, for a POST, the form body into
// one list of pairs: query first, then body, the first value of a name
// counting (wire-contract.md: query parameters on a POST count too; the first
// value counts). It never reads a body beyond MaxBody, nor parses a query
// over MaxQuery or more than MaxParams pairs.
func readValues(w http.ResponseWriter, r *http.Request) ([]wire.Pair, error) {
	if len(r.URL.RawQuery) > MaxQuery {
		return nil, &unreadable{http.StatusRequestURITooLong, reasonQueryTooLong}
	}
	n := wire.MaxPairs(r.URL.RawQuery)
	if n > MaxParams {
		return nil, &unreadable{http.StatusBadRequest, reasonTooManyParams}
	}
	pairs, err := wire.AppendFirst(make([]wire.Pair, 0, 16), r.URL.RawQuery)
	if err != nil {
		return nil, &unreadable{http.StatusBadRequest, "malformed query string"}
	}
	if r.Method != http.MethodPost || r.Body == nil {
		return pairs, nil
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !wire.IsContentType(ct) {
		return nil, &unreadable{http.StatusUnsupportedMediaType, "the body must be application/x-www-form-urlencoded; multipart and JSON bodies are not read"}
	}
	if r.ContentLength > MaxBody {
		// Refuse before reading: net/http then closes the connection
		// rather than drain a body this large.
		return nil, &unreadable{http.StatusRequestEntityTooLarge, reasonBodyTooLarge}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			return nil, &unreadable{http.StatusRequestEntityTooLarge, reasonBodyTooLarge}
		}
		return nil, &unreadable{http.StatusBadRequest, "the body could not be read"}
	}
	if n+wire.MaxPairs(string(body)) > MaxParams {
		return nil, &unreadable{http.StatusBadRequest, reasonTooManyParams}
	}
	if pairs, err = wire.AppendFirst(pairs, string(body)); err != nil {
		return nil, &unreadable{http.StatusBadRequest, "malformed form body"}
	}
	return pairs, nil
}

// storeContext is the context of c's store calls: the request's, ended at
// c's deadline. The memory store never waits, so its calls get the
// request's own context: a deadline is a timer and four allocations a
// request (BenchmarkServeBenchLoad -cpu 1: 9.7 → 8.4 µs).
func (s *Server) storeContext(c *call) (context.Context, context.CancelFunc) {
	if _, inMemory := s.store.(*memStore); inMemory {
		return c.ctx, func() {}
	}
	return context.WithDeadline(c.ctx, c.deadline)
}
