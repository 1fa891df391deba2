// Reading a request's pairs within the limits (wire-contract.md:
// transport).
package wire

import (
	"errors"
	"io"
	"net/http"
	"strings"
)

// Request limits. A request over one is refused whole, still with the
// envelope (code 400, empty key) and the HTTP status its ReadError names
// (wire-contract.md: only a request that cannot be read may leave HTTP
// 200). Header sizes and timeouts are the http.Server's.
const (
	// MaxBody is the largest body read; a longer one is HTTP 413, the rest
	// never read. Every parameter of phones/create together is far below
	// it.
	MaxBody = 64 << 10
	// MaxQuery is the longest raw query string read; a longer one is HTTP
	// 414.
	MaxQuery = 16 << 10
	// MaxParams caps the name=value pairs of query and body together
	// (phones/create has some seventy parameters); more are HTTP 400.
	// Every separator counts, empty pairs too, so the cap is checked
	// before any decoding.
	MaxParams = 256
)

// ReadError is why a request cannot be read: the HTTP status to answer
// with and the reason, never a value.
type ReadError struct {
	Status int
	Reason string
	// Limit: the request is over MaxQuery, MaxBody or MaxParams, or its
	// body could not be read whole; a proxy cannot forward it as it came.
	Limit bool
}

func (e *ReadError) Error() string { return e.Reason }

// The reasons of a ReadError; never a value.
const (
	reasonQueryTooLong   = "the query string is over the size limit"
	reasonBodyTooLarge   = "the body is over the size limit"
	reasonTooManyParams  = "too many parameters"
	reasonBodyUnread     = "the body could not be read"
	reasonQueryMalformed = "malformed query string"
	reasonBodyMalformed  = "malformed form body"
	reasonBodyNotForm    = "the body must be application/x-www-form-urlencoded; multipart and JSON bodies are not read"
)

// Read reads r's pairs: the query's, then for a POST the form body's, the
// first value of a name counting (wire-contract.md: query parameters on a
// POST count too; the first value counts). It never reads a body beyond
// MaxBody, nor decodes a query over MaxQuery or more than MaxParams pairs.
// A request it cannot read is a *ReadError. w may be nil; with it, a body
// over MaxBody closes the connection rather than being drained.
func Read(w http.ResponseWriter, r *http.Request) ([]Pair, error) {
	pairs, _, err := ReadBody(w, r)
	return pairs, err
}

// ReadBody is Read that also returns the body as it came, for a proxy that
// forwards it: read for any method but GET and HEAD (only a POST's is
// decoded), and returned whenever it was read whole, even with a
// *ReadError; nil when none was read.
func ReadBody(w http.ResponseWriter, r *http.Request) (pairs []Pair, body []byte, err error) {
	query := r.URL.RawQuery
	if len(query) > MaxQuery {
		return nil, nil, &ReadError{http.StatusRequestURITooLong, reasonQueryTooLong, true}
	}
	n := MaxPairs(query)
	if n > MaxParams {
		return nil, nil, &ReadError{http.StatusBadRequest, reasonTooManyParams, true}
	}
	if r.Body != nil && r.Method != http.MethodGet && r.Method != http.MethodHead {
		if body, err = readBody(w, r); err != nil {
			return nil, nil, err
		}
	}
	pairs, err = AppendFirst(make([]Pair, 0, 16), query)
	if err != nil {
		return nil, body, &ReadError{http.StatusBadRequest, reasonQueryMalformed, false}
	}
	if r.Method != http.MethodPost || body == nil {
		return pairs, body, nil
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !IsContentType(ct) {
		return nil, body, &ReadError{http.StatusUnsupportedMediaType, reasonBodyNotForm, false}
	}
	if n+MaxPairs(string(body)) > MaxParams {
		return nil, body, &ReadError{http.StatusBadRequest, reasonTooManyParams, true}
	}
	if pairs, err = AppendFirst(pairs, string(body)); err != nil {
		return nil, body, &ReadError{http.StatusBadRequest, reasonBodyMalformed, false}
	}
	return pairs, body, nil
}

// readBody reads r's body whole, at most MaxBody bytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > MaxBody {
		// Refuse before reading: net/http then closes the connection
		// rather than drain a body this large.
		return nil, &ReadError{http.StatusRequestEntityTooLarge, reasonBodyTooLarge, true}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			return nil, &ReadError{http.StatusRequestEntityTooLarge, reasonBodyTooLarge, true}
		}
		return nil, &ReadError{http.StatusBadRequest, reasonBodyUnread, true}
	}
	return body, nil
}

// Split is every pair of s in order, repeats included, each side decoded
// where it decodes and left as written where not: a request printed as it
// came, even one Read refuses.
func Split(s string) []Pair {
	var pairs []Pair
	for _, raw := range strings.FieldsFunc(s, func(r rune) bool { return r == '&' || r == ';' }) {
		rawName, rawValue, _ := strings.Cut(raw, "=")
		pairs = append(pairs, Pair{Name: Unescape(rawName), Value: Unescape(rawValue)})
	}
	return pairs
}
