// Package proxy is a validating reverse proxy for the Enswitch JSON API: it
// forwards each request to an upstream Enswitch unchanged, answers with the
// upstream's answer unchanged, and reports every way either side breaks the
// contract for one Enswitch version (docs/proxy.md).
package proxy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/recording"
	"github.com/enswitch-kit/phones/internal/sendonce"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/internal/words"
)

// Limits the proxy holds beside the wire's request limits (internal/wire).
const (
	// DefaultTimeout bounds one exchange with the upstream, answer read
	// included.
	DefaultTimeout = 10 * time.Second
	// MaxAnswer is the largest upstream answer the proxy reads; a longer
	// one is not passed on (the client gets an envelope). An answer of
	// phones/get is a few kilobytes.
	MaxAnswer = 1 << 20
)

// Options configure a Proxy.
type Options struct {
	Upstream *url.URL       // base URL of the upstream Enswitch; its path prefixes every request's
	View     *contract.View // the version the upstream declares
	// Latest is the newest view, which names every read-back field any
	// version may return (wire-contract.md settled point 13) and every
	// secret parameter, masked in logs and recordings; nil = View.
	Latest *contract.View
	// Strict answers a request that breaks the contract with the
	// envelope's 400 instead of forwarding it.
	Strict  bool
	Timeout time.Duration // 0 = DefaultTimeout
	Logger  *slog.Logger  // violations, one record each; nil = discard
	// Transport reaches the upstream; nil = a copy of
	// http.DefaultTransport that leaves compression to the client.
	Transport http.RoundTripper
	// Record receives each request a client sent, secrets masked
	// (record.go); nil records nothing.
	Record *recording.Writer
}

// Proxy is the validating proxy, an http.Handler.
type Proxy struct {
	upstream *url.URL
	req      *requestRules
	ans      *answerRules
	strict   bool
	timeout  time.Duration
	log      *slog.Logger
	client   *http.Client
	tally    *tally
	// recording receives each request (record.go); nil: none.
	recording *recording.Writer
}

// New builds a proxy. It fails on an upstream that is not an http or https
// URL.
func New(opts Options) (*Proxy, error) {
	u := opts.Upstream
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("upstream: want an http:// or https:// URL with a host")
	}
	if u.RawQuery != "" || u.User != nil {
		return nil, errors.New("upstream: want a base URL without query or user info")
	}
	latest := opts.Latest
	if latest == nil {
		latest = opts.View
	}
	rt := opts.Transport
	if rt == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		// The client's Accept-Encoding goes through as it is; the
		// transport adds none of its own.
		t.DisableCompression = true
		// Below the usual servers' keep-alive timeouts (the mock's is
		// 60 s), so a connection is seldom reused just as the upstream
		// closes it: the request would fail, never be sent again.
		t.IdleConnTimeout = 30 * time.Second
		rt = t
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	p := &Proxy{
		upstream: u,
		req:      newRequestRules(opts.View, latest),
		ans:      newAnswerRules(opts.View, latest),
		strict:   opts.Strict,
		timeout:  timeout,
		log:      log,
		client: &http.Client{
			// A GET phones/create is no read: the upstream sees each
			// request once, never again from net/http on its own.
			Transport: sendonce.Transport(rt),
			// The client gets the upstream's redirect as it is.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		tally:     newTally(u.Redacted(), opts.View.Version().String()),
		recording: opts.Record,
	}
	return p, nil
}

// Summary is what the proxy has seen so far. Safe for concurrent use.
func (p *Proxy) Summary() Summary { return p.tally.summary() }

// ServeHTTP checks the request, forwards it (unless Strict refuses it),
// checks the answer and passes it on as the upstream sent it.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ex := p.req.read(r)
	p.record(ex)
	p.tally.request()
	for _, v := range ex.violations {
		p.report(r.Context(), ex, v)
	}
	if ex.refusal != nil { // over a limit: never forwarded
		p.tally.refused()
		writeEnvelope(w, ex.refusal.status, ex.refusal.code, "", wire.Message(ex.refusal.code)+": "+ex.refusal.message)
		p.logExchange(r.Context(), ex, "proxy", ex.refusal.status, ex.refusal.code, 0)
		return
	}
	if p.strict && len(ex.violations) > 0 {
		p.tally.refused()
		status, code := p.refuse(w, ex)
		p.logExchange(r.Context(), ex, "proxy", status, code, 0)
		return
	}
	start := time.Now()
	ans, err := p.forward(r.Context(), r, ex)
	if err != nil && r.Context().Err() != nil {
		// The client gave up first: nobody to answer, nothing broken.
		p.logExchange(r.Context(), ex, "nobody: the client went away", 0, "", time.Since(start))
		return
	}
	if err != nil {
		p.tally.upstreamError()
		p.report(r.Context(), ex, err.violation)
		writeEnvelope(w, err.status, wire.ServerProblem, "", err.message)
		p.logExchange(r.Context(), ex, "proxy", err.status, wire.ServerProblem, time.Since(start))
		return
	}
	p.tally.forwarded()
	code, violations := p.ans.check(ex, ans)
	for _, v := range violations {
		p.report(r.Context(), ex, v)
	}
	h := w.Header()
	for name, values := range ans.header {
		if !hopByHop[http.CanonicalHeaderKey(name)] {
			h[name] = values
		}
	}
	w.WriteHeader(ans.status)
	_, _ = w.Write(ans.body)
	p.logExchange(r.Context(), ex, "upstream", ans.status, code, time.Since(start))
}

// refuse answers a request Strict keeps from the upstream: the envelope's
// 400 naming the first offending parameter (404 for an unknown function,
// 405 for another method), as the mock would.
func (p *Proxy) refuse(w http.ResponseWriter, ex *exchange) (int, wire.Code) {
	first := ex.violations[0]
	status, code := http.StatusOK, wire.Invalid
	switch first.Rule {
	case RuleFunctionKnown:
		status, code = http.StatusNotFound, wire.NotFound
	case RuleMethod:
		status = http.StatusMethodNotAllowed
		w.Header().Set("Allow", "GET, POST")
	case RuleReadable:
		status = http.StatusBadRequest
	}
	msg := wire.Message(code) + ": " + first.Message + " (refused by enswitch-proxy --strict)"
	writeEnvelope(w, status, code, first.Param, msg)
	return status, code
}

// writeEnvelope sends an answer the proxy makes itself.
func writeEnvelope(w http.ResponseWriter, status int, code wire.Code, key, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(wire.Marshal(code, key, message, nil))
}

// answer is the upstream's answer, read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// upstreamError is an exchange with the upstream that failed: what the
// client is sent and what the log says.
type upstreamError struct {
	status    int
	message   string
	violation Violation
}

// forward sends the request to the upstream as it came (method, path
// below the upstream's, query, headers, body) and reads the answer.
func (p *Proxy) forward(ctx context.Context, r *http.Request, ex *exchange) (*answer, *upstreamError) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	target := *p.upstream
	target.Path = strings.TrimSuffix(p.upstream.Path, "/") + r.URL.Path
	target.RawPath = ""
	if r.URL.RawPath != "" {
		target.RawPath = strings.TrimSuffix(p.upstream.EscapedPath(), "/") + r.URL.RawPath
	}
	target.RawQuery = r.URL.RawQuery
	var body io.Reader
	if ex.body != nil {
		body = bytes.NewReader(ex.body)
	}
	out, err := http.NewRequestWithContext(ctx, r.Method, target.String(), body)
	if err != nil {
		return nil, p.failed(http.StatusBadGateway, RuleUpstreamUnreachable, "the request could not be built: "+err.Error())
	}
	for name, values := range r.Header {
		if !hopByHop[http.CanonicalHeaderKey(name)] {
			out.Header[name] = values
		}
	}
	out.Host = p.upstream.Host
	resp, err := p.client.Do(out)
	if err != nil {
		return nil, p.transportError(ctx, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer+1))
	switch {
	case err != nil:
		return nil, p.transportError(ctx, err)
	case len(data) > MaxAnswer:
		return nil, p.failed(http.StatusBadGateway, RuleUpstreamTooLarge, fmt.Sprintf("the upstream's answer is over %d bytes; not passed on", MaxAnswer))
	}
	return &answer{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// transportError words a failed exchange: a timeout is HTTP 504, anything
// else 502; the client cancelling is logged as such.
func (p *Proxy) transportError(ctx context.Context, err error) *upstreamError {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return p.failed(http.StatusGatewayTimeout, RuleUpstreamTimeout, fmt.Sprintf("the upstream did not answer within %s", p.timeout))
	}
	return p.failed(http.StatusBadGateway, RuleUpstreamUnreachable, "the upstream could not be reached or broke off: "+describe(err))
}

// describe is a transport error without the URL, which holds the query
// and so may hold a password.
func describe(err error) string {
	if ue := (*url.Error)(nil); errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

func (p *Proxy) failed(status int, rule, message string) *upstreamError {
	return &upstreamError{
		status:    status,
		message:   wire.Message(wire.ServerProblem) + ": " + message,
		violation: Violation{Side: SideUpstream, Rule: rule, Message: message},
	}
}

// report logs one violation and counts it.
func (p *Proxy) report(ctx context.Context, ex *exchange, v Violation) {
	v.Time = time.Now().UTC()
	v.Function = ex.function
	v.Request = ex.excerpt()
	v.Answer = words.Cut(ex.maskAnswer(v.Answer), excerptLen)
	v.Message = words.Cut(ex.mask(v.Message), excerptLen)
	ex.reported++
	p.tally.add(v)
	attrs := []slog.Attr{
		slog.String("function", v.Function),
		slog.String("side", v.Side),
		slog.String("rule", v.Rule),
		slog.String("parameter", v.Param),
		slog.String("message", v.Message),
		slog.String("request", v.Request),
	}
	if v.Answer != "" {
		attrs = append(attrs, slog.String("answer", v.Answer))
	}
	p.log.LogAttrs(ctx, slog.LevelWarn, "violation", attrs...)
}

// logExchange logs one line per request: function, the request masked,
// who answered (the upstream, or the proxy itself), HTTP status and
// envelope code, the violations of both sides and how long the upstream
// took.
func (p *Proxy) logExchange(ctx context.Context, ex *exchange, by string, status int, code wire.Code, took time.Duration) {
	p.log.LogAttrs(ctx, slog.LevelInfo, "exchange",
		slog.String("function", ex.function),
		slog.String("request", ex.excerpt()),
		slog.String("answered_by", by),
		slog.Int("status", status),
		slog.String("code", string(code)),
		slog.Int("violations", ex.reported),
		slog.Float64("upstream_ms", float64(took.Microseconds())/1000))
}

// hopByHop are the headers that belong to one connection (RFC 9110
// section 7.6.1), never forwarded.
var hopByHop = map[string]bool{
	"Connection":          true,
	"Proxy-Connection":    true,
	"Keep-Alive":          true,
	"Proxy-Authenticate":  true,
	"Proxy-Authorization": true,
	"Te":                  true,
	"Trailer":             true,
	"Transfer-Encoding":   true,
	"Upgrade":             true,
}
