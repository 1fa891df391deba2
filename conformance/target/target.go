// Package target speaks to the server under test: it sends phones/* requests
// the three ways the wire contract allows and returns the decoded answer.
// Requests and answers print themselves with secrets masked.
package target

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/enswitch-kit/phones/internal/sendonce"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/internal/words"
)

// Via is how a request travels (wire-contract.md: transport).
type Via int

// The transports every server must accept: GET or POST, with either
// separator (wire-contract.md: transport).
const (
	GetSemicolon  Via = iota // GET, pairs joined by ';' (the vendor's examples)
	GetAmpersand             // GET, pairs joined by '&'
	PostForm                 // POST, application/x-www-form-urlencoded body joined by '&'
	PostSemicolon            // POST, form body joined by ';'
)

// Vias lists every transport, for tables.
func Vias() []Via { return []Via{GetSemicolon, GetAmpersand, PostForm, PostSemicolon} }

// IsPost reports whether v sends a form body.
func (v Via) IsPost() bool { return v == PostForm || v == PostSemicolon }

// sep is the separator v joins pairs with.
func (v Via) sep() byte {
	if v == GetAmpersand || v == PostForm {
		return '&'
	}
	return ';'
}

func (v Via) String() string {
	switch v {
	case GetSemicolon:
		return "GET with ';'"
	case GetAmpersand:
		return "GET with '&'"
	case PostForm:
		return "POST form"
	case PostSemicolon:
		return "POST form with ';'"
	}
	return fmt.Sprintf("Via(%d)", int(v))
}

// Request is one call: a function such as phones/create and its parameters
// in the order they are sent.
type Request struct {
	Function string
	Via      Via
	Params   []wire.Pair
	// Query holds pairs sent in the query string of a POST besides the body
	// (wire-contract.md: query string parameters on a POST count too).
	Query []wire.Pair
	// NoSlash drops the trailing slash from the path.
	NoSlash bool
	// Framing writes the request in one of the equivalent forms
	// (framing.go); the zero value is the plain one.
	Framing Framing
}

// Get returns the first value of name: on a POST, the query string's
// come first (wire-contract.md: transport).
func (r Request) Get(name string) (string, bool) {
	if v, ok := wire.Get(r.Query, name); ok {
		return v, true
	}
	return wire.Get(r.Params, name)
}

// With returns a copy with name set to value: the first occurrence is
// replaced, or the pair is appended.
func (r Request) With(name, value string) Request {
	out := r.clone()
	for i, p := range out.Params {
		if p.Name == name {
			out.Params[i].Value = value
			return out
		}
	}
	out.Params = append(out.Params, wire.Pair{Name: name, Value: value})
	return out
}

// Append returns a copy with the pair added at the end, even when name is
// already present.
func (r Request) Append(name, value string) Request {
	out := r.clone()
	out.Params = append(out.Params, wire.Pair{Name: name, Value: value})
	return out
}

// Without returns a copy without any pair named in names.
func (r Request) Without(names ...string) Request {
	out := r.clone()
	out.Params = out.Params[:0]
	for _, p := range r.Params {
		if !contains(names, p.Name) {
			out.Params = append(out.Params, p)
		}
	}
	return out
}

func (r Request) clone() Request {
	out := r
	out.Params = append([]wire.Pair(nil), r.Params...)
	out.Query = append([]wire.Pair(nil), r.Query...)
	return out
}

func (r Request) method() string {
	if r.Via.IsPost() {
		return http.MethodPost
	}
	return http.MethodGet
}

func (r Request) path() string {
	if r.NoSlash {
		return strings.TrimSuffix(wire.Path(r.Function), "/")
	}
	return wire.Path(r.Function)
}

// Answer is what came back for one request. Err is set when no complete
// HTTP answer arrived (a *TransportError); ShapeErr when the body is not an
// envelope (wire.ErrShape).
type Answer struct {
	Request     Request
	Status      int
	ContentType string
	Body        []byte
	Outcome     wire.Outcome
	Err         error
	ShapeErr    error
	Elapsed     time.Duration
	// Tries is how many times the request was sent: more than 1 when it
	// got no answer and was sent again (Options.Retry).
	Tries int

	retryAfter string   // the Retry-After header when it is a number of seconds or a date
	secrets    *Secrets // the run's, masked in everything the answer prints
}

// Client sends requests to one target over keep-alive connections, at
// most Options.Rate a second and Options.Workers at a time, each request
// once: only Options.Retry sends one again, never the transport. It
// counts them by function (Tallies), gives up on a function the target
// stops answering (Options.GiveUp), and remembers the first time the
// target refused load (Refused).
type Client struct {
	base      string
	host      string
	transport *http.Transport
	http      *http.Client
	timeout   time.Duration
	giveUp    int
	secrets   *Secrets
	pacer     *pacer        // nil: as fast as the target answers
	inFlight  chan struct{} // one token per request being sent; nil: no cap
	retry     Retry
	jitter    *jitter

	mu      sync.Mutex
	silent  map[string]int             // function → requests in a row without an answer
	last    map[string]*TransportError // function → the last of them
	refused *RefusedError              // the first 429 or 503
	tallies map[string]*Tally          // function → its requests so far
}

// Options tune a Client.
type Options struct {
	// Timeout bounds each request from dialling to the last byte of the
	// body; required.
	Timeout time.Duration
	// Conns is how many idle connections are kept for concurrent callers.
	Conns int
	// GiveUp is how many requests in a row to one function may get no
	// answer before the client stops sending that function and answers
	// at once with Problem NotSent; 0 never gives up.
	GiveUp int
	// Secrets are masked in everything an Answer prints; may be nil.
	Secrets *Secrets
	// TLS checks an https target (TLS.Config); nil trusts the system's
	// CAs.
	TLS *tls.Config
	// Proxy chooses each request's proxy (see Proxy); nil sends every
	// request directly.
	Proxy func(*http.Request) (*url.URL, error)
	// Rate caps requests a second over all callers; 0 does not.
	Rate float64
	// Workers caps the requests in flight at once; 0 does not.
	Workers int
	// Retry says which requests that got no answer are sent again; the
	// zero value sends none again.
	Retry Retry
}

// maxBody caps what is read of one answer.
const maxBody = 1 << 20

// New returns a client for baseURL (scheme://host[:port][/prefix]).
func New(baseURL string, o Options) *Client {
	conns := max(o.Conns, 2)
	tr := &http.Transport{
		Proxy:               o.Proxy,
		TLSClientConfig:     o.TLS,
		DialContext:         (&net.Dialer{Timeout: o.Timeout, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     90 * time.Second,
		ForceAttemptHTTP2:   true,
	}
	// Send-once, not DisableKeepAlives (a TLS handshake per request): a GET create never reaches the target twice behind --retries' back (conformance.md: retries).
	hc := &http.Client{Transport: sendonce.Transport(tr), CheckRedirect: noRedirect}
	host := baseURL
	if u, err := url.Parse(baseURL); err == nil {
		host = u.Host
	}
	c := &Client{
		base:      strings.TrimSuffix(baseURL, "/"),
		host:      host,
		transport: tr,
		http:      hc,
		timeout:   o.Timeout,
		giveUp:    o.GiveUp,
		secrets:   o.Secrets,
		pacer:     newPacer(o.Rate),
		retry:     o.Retry,
		jitter:    newJitter(o.Retry.Seed),
		silent:    map[string]int{},
		last:      map[string]*TransportError{},
		tallies:   map[string]*Tally{},
	}
	if o.Workers > 0 {
		c.inFlight = make(chan struct{}, o.Workers)
	}
	return c
}

// noRedirect reports a redirect as the answer: the contract has none.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// Close drops idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// once sends r and reads the answer within the client's timeout; it never
// returns a Go error, the answer carries it. A function the client gave up
// on is not sent.
func (c *Client) once(ctx context.Context, r Request) Answer {
	ans := Answer{Request: r, secrets: c.secrets}
	if err := c.stopped(r); err != nil {
		ans.Err = err
		return ans
	}
	// Waiting for a turn is not part of the request's timeout.
	release, err := c.turn(ctx)
	if err != nil {
		ans.Err = &TransportError{Method: r.method(), Path: r.path(), Problem: OtherProblem, Timeout: c.timeout, detail: "not sent: " + err.Error(), err: err, unsent: true}
		return ans
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := c.build(ctx, r)
	if err != nil {
		ans.Err = fmt.Errorf("build %s request: %w", r.Function, unwrapURL(err))
		return ans
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		te := c.transportError(r, req.Method, false, err)
		ans.Err, ans.Elapsed = te, time.Since(start)
		c.note(r.Function, te)
		return ans
	}
	defer resp.Body.Close()
	ans.Status = resp.StatusCode
	ans.ContentType = resp.Header.Get("Content-Type")
	ans.Body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
	ans.Elapsed = time.Since(start)
	if err != nil {
		te := c.transportError(r, req.Method, true, err)
		ans.Err = te
		c.note(r.Function, te)
		return ans
	}
	c.note(r.Function, nil)
	ans.retryAfter = retryAfter(resp.Header.Get("Retry-After"))
	ans.Outcome, ans.ShapeErr = wire.Decode(ans.Body)
	return ans
}

// turn waits until the request may go: a free worker, then the pacer's
// next slot. release frees the worker.
func (c *Client) turn(ctx context.Context) (release func(), err error) {
	release = func() {}
	if c.inFlight != nil {
		select {
		case c.inFlight <- struct{}{}:
			release = func() { <-c.inFlight }
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if err := c.pacer.wait(ctx); err != nil {
		release()
		return nil, err
	}
	return release, nil
}

// JSON reports whether the answer's Content-Type is application/json,
// whatever its parameters (wire-contract.md: transport).
func (a Answer) JSON() bool {
	mt, _, err := mime.ParseMediaType(a.ContentType)
	return err == nil && mt == "application/json"
}

// RefusedLoad reports whether the target refused the request for load:
// HTTP 429 or 503, with which it did nothing.
func (a Answer) RefusedLoad() bool {
	return a.Err == nil && (a.Status == http.StatusTooManyRequests || a.Status == http.StatusServiceUnavailable)
}

// RefusedError is the target refusing load: it answered HTTP 429 or 503,
// which the contract never does (wire-contract.md: every answer is HTTP
// 200). It is not a verdict on the contract.
type RefusedError struct {
	Function   string
	Status     int
	RetryAfter string // the Retry-After header when it is a number of seconds or a date, else ""
}

func (e *RefusedError) Error() string {
	s := fmt.Sprintf("the target refused load: HTTP %d %s to %s", e.Status, http.StatusText(e.Status), e.Function)
	if e.RetryAfter != "" {
		s += " (Retry-After: " + e.RetryAfter + ")"
	}
	return s
}

// retryAfter is a Retry-After header when it is a number of seconds or a
// date, else "": the target's free text is not printed.
func retryAfter(h string) string {
	if _, err := strconv.ParseUint(h, 10, 32); err != nil {
		if _, err := http.ParseTime(h); err != nil {
			return ""
		}
	}
	return h
}

// noteRefusal keeps the first refusal of load.
func (c *Client) noteRefusal(a Answer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.refused == nil {
		c.refused = &RefusedError{Function: a.Request.Function, Status: a.Status, RetryAfter: a.retryAfter}
	}
}

// Refused returns a *RefusedError when the target has answered 429 or 503
// (the first such answer), else nil.
func (c *Client) Refused() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.refused == nil {
		return nil
	}
	return c.refused
}

// Problem is why a request got no complete answer.
type Problem int

// The ways a request can get no answer.
const (
	OtherProblem Problem = iota // net/http's own words, masked
	Unreachable                 // nothing to connect to: refused, no such host
	Certificate                 // the TLS handshake failed: an untrusted certificate, or one refused
	TimedOut                    // no answer within the timeout
	Stalled                     // headers came, the body did not finish in time
	Closed                      // the target closed the connection
	NotSent                     // the client gave up on the function earlier
)

// TransportError is a request that got no complete HTTP answer. Its text
// names the request by method and path only (never the query string, which
// carries secrets) and masks what the target sent back.
type TransportError struct {
	Method, Path string
	Problem      Problem
	Timeout      time.Duration
	// Failures and Last say why the function was given up on (NotSent).
	Failures int
	Last     *TransportError
	detail   string // masked; why, in net/http's words
	err      error
	unsent   bool // the caller gave up before the request got its turn
}

func (e *TransportError) Error() string {
	req := e.Method + " " + e.Path
	switch e.Problem {
	case Unreachable:
		return fmt.Sprintf("target unreachable: %s: %s", req, e.detail)
	case Certificate:
		return fmt.Sprintf("%s: %s", req, e.detail)
	case TimedOut:
		return fmt.Sprintf("no answer within %s to %s", e.Timeout, req)
	case Stalled:
		return fmt.Sprintf("the answer to %s stalled: headers came, the body did not finish within %s", req, e.Timeout)
	case Closed:
		return fmt.Sprintf("the target closed the connection before the answer to %s was complete (%s)", req, e.detail)
	case NotSent:
		return fmt.Sprintf("%s not sent: the target gave no answer to %d requests in a row (last: %s)", req, e.Failures, e.Last)
	}
	return fmt.Sprintf("no answer to %s: %s", req, e.detail)
}

// Unwrap returns the net/http error (for errors.Is); its text may carry
// what the target sent and is never printed.
func (e *TransportError) Unwrap() error { return e.err }

// closedMidAnswer is the detail of a connection closed while the answer
// was coming.
const closedMidAnswer = "in the middle of the answer"

// maxDetail caps how much of net/http's text an error keeps.
const maxDetail = 200

func (c *Client) transportError(r Request, method string, inBody bool, err error) *TransportError {
	err = unwrapURL(err)
	e := &TransportError{Method: method, Path: r.path(), Timeout: c.timeout, err: err}
	var dns *net.DNSError
	var ne net.Error
	var op *net.OpError
	tlsProblem, isTLS := certificateProblem(c.host, err)
	switch {
	case isTLS:
		e.Problem, e.detail = Certificate, tlsProblem
	case errors.As(err, &op) && op.Op == "proxyconnect":
		e.Problem, e.detail = Unreachable, "cannot reach the proxy: "+proxyProblem(op.Err)
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		e.Problem = TimedOut
		if inBody {
			e.Problem = Stalled
		}
	case errors.Is(err, syscall.ECONNREFUSED):
		e.Problem, e.detail = Unreachable, "connection to "+c.host+" refused"
	case errors.As(err, &dns):
		e.Problem, e.detail = Unreachable, "cannot resolve "+dns.Name
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		e.Problem = Closed
		switch {
		case errors.Is(err, syscall.ECONNRESET):
			e.detail = "connection reset"
		case inBody || errors.Is(err, io.ErrUnexpectedEOF):
			e.detail = closedMidAnswer
		default:
			e.detail = "nothing was answered"
		}
	default:
		// net/http quotes what a target sent when it is not HTTP: mask
		// whatever of the request it echoed.
		d := c.secrets.Redact(r.maskEchoes(err.Error()))
		e.detail = words.Cut(d, maxDetail)
	}
	return e
}

// proxyProblem says why the proxy could not be reached, without its
// address (a proxy URL may carry a password).
func proxyProblem(err error) string {
	var dns *net.DNSError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.As(err, &dns):
		return "cannot resolve its host"
	case errors.Is(err, context.DeadlineExceeded):
		return "no answer in time"
	}
	return "connection failed"
}

// stopped returns the error for a function the client gave up on, or nil.
func (c *Client) stopped(r Request) *TransportError {
	if c.giveUp <= 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.silent[r.Function] < c.giveUp {
		return nil
	}
	last := c.last[r.Function]
	return &TransportError{Method: r.method(), Path: r.path(), Problem: NotSent, Timeout: c.timeout, Failures: c.silent[r.Function], Last: last}
}

// note counts a request to function that was sent and got no answer (err
// non-nil) or one that did. A request its caller cancelled (an
// interrupted run) says nothing of the target: it counts as sent only.
func (c *Client) note(function string, err *TransportError) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.tally(function)
	t.Sent++
	if err != nil && errors.Is(err, context.Canceled) {
		return
	}
	if err == nil {
		c.silent[function] = 0
		return
	}
	t.Unanswered++
	c.silent[function]++
	c.last[function] = err
}

// tally is function's count; the caller holds c.mu.
func (c *Client) tally(function string) *Tally {
	t := c.tallies[function]
	if t == nil {
		t = &Tally{}
		c.tallies[function] = t
	}
	return t
}

// UnresponsiveError says the client gave up on a function.
type UnresponsiveError struct {
	Function string
	Failures int
	Last     *TransportError
}

func (e *UnresponsiveError) Error() string {
	return fmt.Sprintf("target unresponsive: %s got no answer %d times in a row (last: %s)", e.Function, e.Failures, e.Last)
}

// Unresponsive returns an *UnresponsiveError when the client has given up
// on any function (the first by name), else nil.
func (c *Client) Unresponsive() error {
	if c.giveUp <= 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var fns []string
	for fn, n := range c.silent {
		if n >= c.giveUp {
			fns = append(fns, fn)
		}
	}
	if len(fns) == 0 {
		return nil
	}
	slices.Sort(fns)
	return &UnresponsiveError{Function: fns[0], Failures: c.silent[fns[0]], Last: c.last[fns[0]]}
}

func (c *Client) build(ctx context.Context, r Request) (*http.Request, error) {
	req, err := NewHTTPRequest(ctx, c.base, r)
	if err != nil {
		return nil, err
	}
	return req, nil
}

// NewHTTPRequest is r as an HTTP request to the target at base
// (scheme://host[:port][/prefix]), in r's way and framing.
func NewHTTPRequest(ctx context.Context, base string, r Request) (*http.Request, error) {
	u := base + r.path()
	sep := r.Via.sep()
	var req *http.Request
	var err error
	switch r.Via {
	case GetSemicolon, GetAmpersand:
		if q := r.Framing.encode(r.Params, sep); q != "" {
			u += "?" + q
		}
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	case PostForm, PostSemicolon:
		if len(r.Query) > 0 {
			u += "?" + r.Framing.encode(r.Query, sep)
		}
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(r.Framing.encode(r.Params, sep)))
		if err == nil {
			req.Header.Set("Content-Type", r.Framing.formType())
		}
	default:
		return nil, fmt.Errorf("unknown transport %v", r.Via)
	}
	if err != nil {
		return nil, err
	}
	r.Framing.dress(req)
	return req, nil
}

// unwrapURL drops url.Error's copy of the full URL, whose query string
// carries secrets.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Fields decodes the answer's data as an object (phones/get's line).
func (a Answer) Fields() (map[string]json.RawMessage, error) {
	if len(a.Outcome.Data) == 0 || string(a.Outcome.Data) == "null" {
		return nil, errors.New("the answer has no data")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(a.Outcome.Data, &fields); err != nil {
		return nil, fmt.Errorf("data is not an object: %w", err)
	}
	return fields, nil
}

// Path is the URL path r is sent to, below the base URL.
func (r Request) Path() string { return r.path() }
