package mockserver

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver/admin"
)

// responder is the mock's answering job: it writes each answer in the
// envelope, notes the outcome in the request's call, and at the end logs the
// request once and keeps it in the journal. Server holds one (Server.out).
type responder struct {
	log     *slog.Logger
	journal *admin.Journal // nil: no journal
}

// answer sends an API outcome as HTTP 200 (wire-contract.md: every answer is
// HTTP 200 with the JSON envelope).
func (o *responder) answer(w http.ResponseWriter, c *call, code wire.Code, key string, data any) {
	c.status, c.code, c.key = http.StatusOK, code, key
	wire.Write(w, code, key, "", data)
}

// reject sends a 400 whose key names the offending parameter; the message
// adds why, never the value.
func (o *responder) reject(w http.ResponseWriter, c *call, inv *wire.RequestError) {
	c.status, c.code, c.key, c.reason = http.StatusOK, wire.Invalid, inv.Param, inv.Reason
	msg := wire.Message(wire.Invalid) + ": " + inv.Reason
	if inv.Param != "" {
		msg = wire.Message(wire.Invalid) + ": " + inv.Param + ": " + inv.Reason
	}
	wire.Write(w, wire.Invalid, inv.Param, msg, nil)
}

// fail sends an answer that is no outcome of a function, with an HTTP status
// to match, still in the envelope: an unknown path (404), a method the API
// does not take (405, allow lists the methods it does), an unreadable request
// (wire-contract.md: may leave HTTP 200), or the mock failing itself (500).
func (o *responder) fail(w http.ResponseWriter, c *call, status int, allow string) {
	code := wire.Invalid
	switch {
	case status == http.StatusNotFound:
		code = wire.NotFound
	case status >= http.StatusInternalServerError:
		code = wire.ServerProblem
	}
	c.status, c.code, c.key = status, code, ""
	if allow != "" {
		w.Header().Set("Allow", allow)
	}
	// An unreadable request's message says why (c.reason never holds a
	// value), so a client need not read the mock's log.
	msg := ""
	if c.reason != "" {
		msg = wire.Message(code) + ": " + c.reason
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(wire.Marshal(code, "", msg, nil))
}

// unavailable answers a request the state store could not serve (down,
// unreachable, or past the request's store.Timeout): HTTP 503 with the
// envelope, code 500, and a message that says so (docs/state.md). The
// client may retry: a create whose outcome is unknown is refused as a name
// in use on retry, never stored twice.
func (o *responder) unavailable(w http.ResponseWriter, c *call, err error) {
	c.status, c.code, c.key, c.reason = http.StatusServiceUnavailable, wire.ServerProblem, "", reasonStoreUnavailable
	o.log.LogAttrs(c.ctx, slog.LevelWarn, "state store unavailable", slog.String("function", c.function), slog.String("error", err.Error()))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Retry-After", "1")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write(wire.Marshal(wire.ServerProblem, "", wire.Message(wire.ServerProblem)+": "+reasonStoreUnavailable, nil))
}

const reasonStoreUnavailable = "the state store is unavailable"

// finish ends every request: a panic becomes an envelope instead of a
// dropped connection, and the request is logged once — function, outcome,
// key, duration, never a password, the query or the body.
func (o *responder) finish(w http.ResponseWriter, r *http.Request, c *call, start time.Time) {
	if p := recover(); p != nil {
		if p == http.ErrAbortHandler {
			panic(p)
		}
		o.log.LogAttrs(r.Context(), slog.LevelError, "panic",
			slog.String("function", c.function), slog.String("panic", fmt.Sprint(p)),
			slog.String("stack", string(debug.Stack())))
		if c.status == 0 {
			o.fail(w, c, http.StatusInternalServerError, "")
		}
	}
	o.logRequest(r, c, start)
	if c.journaled && o.journal != nil {
		o.journal.Record(&admin.Request{Start: start, Function: c.function, Method: r.Method, Pairs: c.pairs,
			Account: c.account, Status: c.status, Code: c.code, Key: c.key})
	}
}

// logRequest logs c's one line: function, method, envelope code, account
// and duration, then what is not the usual — an HTTP status other than 200,
// a key, a reason. A 204 has five attributes, which slog holds without
// allocating (always eight would cost a create some 12%,
// BenchmarkServeBenchLoad).
func (o *responder) logRequest(r *http.Request, c *call, start time.Time) {
	ctx := r.Context()
	if !o.log.Enabled(ctx, slog.LevelInfo) {
		return
	}
	rec := slog.NewRecord(time.Now(), slog.LevelInfo, "request", 0)
	rec.AddAttrs(slog.String("function", c.function), slog.String("method", r.Method), slog.String("code", string(c.code)))
	if c.account != "" {
		rec.AddAttrs(slog.String("account", c.account))
	}
	rec.AddAttrs(slog.Duration("duration", time.Since(start)))
	if c.status != http.StatusOK {
		rec.AddAttrs(slog.Int("status", c.status))
	}
	if c.key != "" {
		rec.AddAttrs(slog.String("key", c.key))
	}
	if c.reason != "" {
		rec.AddAttrs(slog.String("reason", c.reason))
	}
	_ = o.log.Handler().Handle(ctx, rec)
}

// unreadable answers a request wire.Read refused: its status and reason,
// or a plain 400.
func (o *responder) unreadable(w http.ResponseWriter, c *call, err error) {
	status := http.StatusBadRequest
	if re := (*wire.ReadError)(nil); errors.As(err, &re) {
		status, c.reason = re.Status, re.Reason
	}
	o.fail(w, c, status, "")
}
