// Package target speaks to the server under test: it sends phones/* requests
// the three ways the wire contract allows and returns the decoded answer.
// Requests and answers print themselves with secrets masked.
package target

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/enswitch-kit/phones/internal/envelope"
	"github.com/enswitch-kit/phones/internal/form"
)

// Via is how a request travels (wire-contract.md: transport).
type Via int

// The three transports every server must accept.
const (
	GetSemicolon Via = iota // GET, pairs joined by ';' (the vendor's examples)
	GetAmpersand            // GET, pairs joined by '&'
	PostForm                // POST, application/x-www-form-urlencoded body
)

// Vias lists every transport, for tables.
func Vias() []Via { return []Via{GetSemicolon, GetAmpersand, PostForm} }

func (v Via) String() string {
	switch v {
	case GetSemicolon:
		return "GET with ';'"
	case GetAmpersand:
		return "GET with '&'"
	case PostForm:
		return "POST form"
	}
	return fmt.Sprintf("Via(%d)", int(v))
}

// Request is one call: a function such as phones/create and its parameters
// in the order they are sent.
type Request struct {
	Function string
	Via      Via
	Params   []form.Pair
	// Query holds pairs sent in the query string of a POST besides the body
	// (wire-contract.md: query string parameters on a POST count too).
	Query []form.Pair
	// NoSlash drops the trailing slash from the path.
	NoSlash bool
}

// Get returns the first value of name.
func (r Request) Get(name string) (string, bool) {
	for _, p := range r.Params {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
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
	out.Params = append(out.Params, form.Pair{Name: name, Value: value})
	return out
}

// Append returns a copy with the pair added at the end, even when name is
// already present.
func (r Request) Append(name, value string) Request {
	out := r.clone()
	out.Params = append(out.Params, form.Pair{Name: name, Value: value})
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
	out.Params = append([]form.Pair(nil), r.Params...)
	out.Query = append([]form.Pair(nil), r.Query...)
	return out
}

func (r Request) path() string {
	p := "/api/json/" + strings.Trim(r.Function, "/")
	if !r.NoSlash {
		p += "/"
	}
	return p
}

// Answer is what came back for one request. Err is set when no HTTP answer
// arrived; ShapeErr when the body is not an envelope (envelope.ErrShape).
type Answer struct {
	Request     Request
	Status      int
	ContentType string
	Body        []byte
	Outcome     envelope.Outcome
	Err         error
	ShapeErr    error
	Elapsed     time.Duration
}

// Client sends requests to one target over keep-alive connections.
type Client struct {
	base    string
	http    *http.Client
	timeout time.Duration
}

// maxBody caps what is read of one answer.
const maxBody = 1 << 20

// New returns a client for baseURL (scheme://host[:port][/prefix]); each
// request gives up after timeout. conns is how many idle connections are
// kept for concurrent callers.
func New(baseURL string, timeout time.Duration, conns int) *Client {
	if conns < 2 {
		conns = 2
	}
	tr := &http.Transport{
		Proxy:               nil, // a conformance run talks to the target itself
		DialContext:         (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     90 * time.Second,
		ForceAttemptHTTP2:   true,
	}
	return &Client{
		base:    strings.TrimSuffix(baseURL, "/"),
		http:    &http.Client{Transport: tr, CheckRedirect: noRedirect},
		timeout: timeout,
	}
}

// noRedirect reports a redirect as the answer: the contract has none.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// Close drops idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// Do sends r and reads the answer; it never returns a Go error, the answer
// carries it.
func (c *Client) Do(ctx context.Context, r Request) Answer {
	ans := Answer{Request: r}
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
		ans.Err = fmt.Errorf("%s %s: %w", req.Method, r.path(), unwrapURL(err))
		return ans
	}
	defer resp.Body.Close()
	ans.Status = resp.StatusCode
	ans.ContentType = resp.Header.Get("Content-Type")
	ans.Body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
	ans.Elapsed = time.Since(start)
	if err != nil {
		ans.Err = fmt.Errorf("read answer to %s %s: %w", req.Method, r.path(), err)
		return ans
	}
	ans.Outcome, ans.ShapeErr = envelope.Decode(ans.Body)
	return ans
}

func (c *Client) build(ctx context.Context, r Request) (*http.Request, error) {
	u := c.base + r.path()
	switch r.Via {
	case GetSemicolon, GetAmpersand:
		sep := byte(';')
		if r.Via == GetAmpersand {
			sep = '&'
		}
		if q := form.Encode(r.Params, sep); q != "" {
			u += "?" + q
		}
		return http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	case PostForm:
		if len(r.Query) > 0 {
			u += "?" + form.Encode(r.Query, '&')
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode(r.Params, '&')))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return req, nil
	}
	return nil, fmt.Errorf("unknown transport %v", r.Via)
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
