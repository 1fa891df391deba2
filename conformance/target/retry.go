package target

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Retry says when a request that got no answer is sent again
// (conformance.md: retries). A request that got an answer is never sent
// again, whatever the answer: it is the target's word.
type Retry struct {
	// Max is how many times a request may be sent again; 0 never.
	Max int
	// Safe reports whether r may be sent again: sending it twice must do
	// no more than sending it once. It may itself send requests (a create
	// is safe to repeat once phones/get shows the line does not exist).
	// nil: nothing is safe.
	Safe func(ctx context.Context, r Request) bool
	// Seed seeds the backoff's jitter; jitter changes only when requests
	// go, never what is sent.
	Seed int64
}

// Backoff bounds: the wait before the n-th retry is drawn in
// [0, min(backoffCap, backoffBase·2ⁿ⁻¹)] (full jitter), and never shorter
// than a Retry-After the target gave. A Retry-After above maxRetryAfter is
// not waited for: the refusal stands.
const (
	backoffBase   = 100 * time.Millisecond
	backoffCap    = 2 * time.Second
	maxRetryAfter = 30 * time.Second
)

// Do sends r and reads the answer within the client's timeout; it never
// returns a Go error, the answer carries it. A request that got no answer,
// or a refusal of load (HTTP 429 or 503), is sent again while
// Options.Retry allows it, after a backoff and within the rate; the
// answer is the last one. A function the client gave up on is not sent.
func (c *Client) Do(ctx context.Context, r Request) Answer {
	a := c.once(ctx, r)
	a.Tries = 1
	for a.Tries <= c.retry.Max && c.retryable(a) {
		if c.retry.Safe == nil || !c.retry.Safe(ctx, r) {
			break
		}
		if !c.backoff(ctx, a) {
			break
		}
		tries := a.Tries + 1
		a = c.once(ctx, r)
		a.Tries = tries
		c.countRetry(r.Function, a.Err == nil)
	}
	if a.RefusedLoad() {
		c.noteRefusal(a)
	}
	return a
}

// retryable reports whether a is no answer worth asking again for: not a
// request never sent, not a certificate the target will show again, and
// a refusal of load only when its Retry-After is short enough to wait.
func (c *Client) retryable(a Answer) bool {
	if a.RefusedLoad() {
		d, ok := retryWait(a.retryAfter, time.Now())
		return ok && d <= maxRetryAfter
	}
	var te *TransportError
	if !errors.As(a.Err, &te) {
		return false
	}
	return te.Problem != NotSent && te.Problem != Certificate && !errors.Is(te, context.Canceled)
}

// backoff waits before the next try; false when ctx ended first.
func (c *Client) backoff(ctx context.Context, a Answer) bool {
	d := c.jitter.draw(min(backoffCap, backoffBase<<min(a.Tries-1, 16)))
	if after, ok := retryWait(a.retryAfter, time.Now()); ok {
		d = max(d, after)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// retryWait is how long a Retry-After header asks to wait, from now.
func retryWait(h string, now time.Time) (time.Duration, bool) {
	if h == "" {
		return 0, false
	}
	if n, err := strconv.ParseUint(h, 10, 32); err == nil {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(0, t.Sub(now)), true
	}
	return 0, false
}

// jitter draws backoff waits from one seeded source.
type jitter struct {
	mu  sync.Mutex
	rnd *rand.Rand
}

func newJitter(seed int64) *jitter {
	return &jitter{rnd: rand.New(rand.NewPCG(uint64(seed), 0x6a6974746572))}
}

// draw returns a wait in [0, upTo].
func (j *jitter) draw(upTo time.Duration) time.Duration {
	j.mu.Lock()
	defer j.mu.Unlock()
	return time.Duration(j.rnd.Int64N(int64(upTo) + 1))
}

// Retried is how many requests were sent again, and how many of those
// then got an answer.
type Retried struct{ Sent, Answered int }

// Retried returns the count of requests sent again so far, over every
// function (Tallies has them by function).
func (c *Client) Retried() Retried {
	c.mu.Lock()
	defer c.mu.Unlock()
	var r Retried
	for _, t := range c.tallies {
		r.Sent += t.Retried
		r.Answered += t.RetriedAnswered
	}
	return r
}

func (c *Client) countRetry(function string, answered bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.tally(function)
	t.Retried++
	if answered {
		t.RetriedAnswered++
	}
}

// Tally counts a client's requests to one function (conformance.md:
// target errors, retries). The client's transport never sends a request
// again on its own (internal/sendonce): the target received at most Sent
// requests, and each of the Unanswered is one silence of the target.
type Tally struct {
	// Sent is how many requests were sent, retries included. A request
	// never sent (the client gave up on the function, or its caller
	// before its turn) is not counted.
	Sent int `json:"sent"`
	// Unanswered is how many of them got no complete answer (a
	// *TransportError: refused, reset, closed, cut, timed out, …). A
	// request its caller cancelled is not counted.
	Unanswered int `json:"unanswered"`
	// Retried is how many of them Options.Retry sent again after no
	// answer (or a refusal of load), and RetriedAnswered how many of
	// those got an answer.
	Retried         int `json:"retried,omitempty"`
	RetriedAnswered int `json:"retried_answered,omitempty"`
}

// Tallies returns a copy of the counts so far, by function name; a
// function the client never sent is absent.
func (c *Client) Tallies() map[string]Tally {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]Tally, len(c.tallies))
	for fn, t := range c.tallies {
		out[fn] = *t
	}
	return out
}

// NeverSent reports whether the request never left the client: the
// client gave up on its function, or the caller before its turn came. The
// target did nothing with it.
func (e *TransportError) NeverSent() bool { return e.Problem == NotSent || e.unsent }

// Kind names a Problem in one word, for counts of requests that got no
// answer: refused, unreachable, certificate, timeout, stalled, reset,
// closed (nothing answered), cut (in the middle of the answer), not sent,
// other.
func (e *TransportError) Kind() string {
	switch e.Problem {
	case Unreachable:
		if errors.Is(e.err, syscall.ECONNREFUSED) {
			return "refused"
		}
		return "unreachable"
	case Certificate:
		return "certificate"
	case TimedOut:
		return "timeout"
	case Stalled:
		return "stalled"
	case Closed:
		switch {
		case errors.Is(e.err, syscall.ECONNRESET):
			return "reset"
		case e.detail == closedMidAnswer:
			return "cut"
		}
		return "closed"
	case NotSent:
		return "not sent"
	}
	return "other"
}

// Backoff waits before the try-th repetition of a request (from 1), with
// the client's jitter; false when ctx ended first. For callers that
// repeat requests on answers Do does not retry (a cleanup answered
// HTTP 500).
func (c *Client) Backoff(ctx context.Context, try int) bool {
	return c.backoff(ctx, Answer{Tries: try})
}
