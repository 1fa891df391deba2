// Package sendonce keeps net/http's Transport from sending a request a
// second time on its own, so that each request reaches the server at most
// once and a request without an answer is seen by the caller as such
// (conformance.md: retries, target errors).
//
// net/http's Transport sends a request again, silently, when a kept-alive
// connection it reused dies before the answer and it deems the request
// replayable: a GET, HEAD, OPTIONS or TRACE (or a request with an
// Idempotency-Key header) with no body or with GetBody set. The Enswitch
// API creates lines by GET, and a connection cut after the server acted
// looks the same to the client as one cut before: such a re-send is a
// second create. The Transport documents that it retries only a request
// that "either has no body or has its Request.GetBody defined"; a request
// from this package has a body, empty, and no GetBody.
package sendonce

import (
	"io"
	"net/http"
	"strings"
)

// Transport returns a RoundTripper that sends each request through next
// once: next never sends it again on its own (see Request). Retrying a
// request that got no answer is the caller's decision. The RoundTripper
// passes CloseIdleConnections on to next.
func Transport(next http.RoundTripper) http.RoundTripper { return transport{next} }

type transport struct{ next http.RoundTripper }

func (t transport) RoundTrip(r *http.Request) (*http.Response, error) {
	return t.next.RoundTrip(Request(r))
}

// CloseIdleConnections closes next's idle connections, for
// http.Client.CloseIdleConnections.
func (t transport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// Request returns r, or a shallow copy of it, that net/http's Transport
// does not send twice, over HTTP/1.1 or HTTP/2:
//   - a body with GetBody loses GetBody (the body is read once, as sent);
//   - no body becomes an empty body that is not http.NoBody, with the
//     transfer encoding "identity": HTTP/1.1 still sends no body, no
//     Content-Length and no chunked encoding (net/http's Request.Write:
//     no chunking when TransferEncoding is "identity"), and without first
//     probing the body for a byte on a goroutine of its own; HTTP/2 sends
//     the headers, then an empty DATA frame that ends the stream.
//
// A POST, PUT or PATCH with no body and no Idempotency-Key header is left
// as it is, with its Content-Length: 0: the Transport never replays one
// once a byte of it was written. r itself is never modified.
func Request(r *http.Request) *http.Request {
	switch {
	case r.Body == nil || r.Body == http.NoBody:
		if sentWithLength(r) {
			return r
		}
		out := *r
		// An in-memory reader: net/http neither flushes the headers
		// apart nor copies it through a 32 KiB buffer.
		out.Body, out.GetBody = io.NopCloser(strings.NewReader("")), nil
		out.ContentLength = 0
		out.TransferEncoding = []string{"identity"}
		return &out
	case r.GetBody != nil:
		out := *r
		out.GetBody = nil
		return &out
	}
	return r // a body the transport cannot read again: never re-sent
}

// sentWithLength reports whether r, with no body, is one the Transport
// does not replay after writing it and sends with Content-Length: 0.
func sentWithLength(r *http.Request) bool {
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		_, key := r.Header["Idempotency-Key"]
		_, xkey := r.Header["X-Idempotency-Key"]
		return !key && !xkey
	}
	return false
}
