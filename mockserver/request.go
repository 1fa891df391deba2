package mockserver

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/enswitch-kit/phones/internal/envelope"
	"github.com/enswitch-kit/phones/internal/form"
)

// maxBody is the largest form body the mock reads. Every parameter of
// phones/create together is far below it.
const maxBody = 64 << 10

// call is one API request as the mock handles it: parsed once, answered
// once, logged once.
type call struct {
	function string
	values   form.Values
	// account is the authenticated username, for the log; empty before
	// authentication succeeds.
	account string
	// status is the HTTP status sent; code and key the envelope's.
	status int
	code   envelope.Code
	key    string
	// reason explains a 400 (never a value), for the log.
	reason string
}

type callKey struct{}

// withCall stores c in r's context for the ServerInterface methods.
func withCall(r *http.Request, c *call) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), callKey{}, c))
}

// unreadable is a request whose parameters cannot be read at all: the one
// case that may leave HTTP 200 (wire-contract.md: transport).
type unreadable struct {
	status int
	reason string
}

func (e *unreadable) Error() string { return e.reason }

// readValues parses the query string and, for a POST, the form body into
// one set of values: query first, then body, the first value of a name
// counting (wire-contract.md: query parameters on a POST count too; the first
// value counts). It never reads a body beyond maxBody.
func readValues(w http.ResponseWriter, r *http.Request) (form.Values, error) {
	vals, err := form.Parse(r.URL.RawQuery, nil)
	if err != nil {
		return nil, &unreadable{http.StatusBadRequest, "malformed query string"}
	}
	if r.Method != http.MethodPost || r.Body == nil {
		return vals, nil
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !isForm(ct) {
		return nil, &unreadable{http.StatusUnsupportedMediaType, "the body must be application/x-www-form-urlencoded"}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			return nil, &unreadable{http.StatusRequestEntityTooLarge, "the body is over the size limit"}
		}
		return nil, &unreadable{http.StatusBadRequest, "the body could not be read"}
	}
	if _, err := form.Parse(string(body), vals); err != nil {
		return nil, &unreadable{http.StatusBadRequest, "malformed form body"}
	}
	return vals, nil
}

// isForm reports whether a Content-Type is a URL-encoded form (parameters
// such as charset allowed).
func isForm(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.EqualFold(strings.TrimSpace(mt), "application/x-www-form-urlencoded")
}
