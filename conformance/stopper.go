package conformance

import (
	"context"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/enswitch-kit/phones/conformance/target"
)

// unansweredInARow is how many requests in a row to one function may get
// no answer before the run stops: past that every request would cost a
// timeout. A flaky target that drops one request in twenty gets there
// about once in 60 million requests; a dead one after six.
const unansweredInARow = 6

// refusalAdvice follows a refusal of load: past the short Retry-After
// --retries waits out, the suite does not retry a refusal, which would
// hide an overloaded server from whoever certifies it.
const refusalAdvice = "; the run stops without retrying: lower --rate or --workers (target-profile.md), or run when the target is less busy"

// stopper knows whether the run must stop, and stops it: a signal
// interrupted it, the target refused load (HTTP 429 or 503) or stopped
// answering a function, or the cleanup function keeps failing. The spec
// in progress and the remaining ones are then reported as not run, and
// cleanups still run.
type stopper struct {
	// ctx ends the checks' requests when the run is interrupted;
	// cleanup has its own deadline (sweeper.go).
	ctx       context.Context
	interrupt context.CancelFunc
	client    *target.Client
	secrets   *target.Secrets
	sweeper   *sweeper

	mu  sync.Mutex
	why string // why the run stopped early, "" while it runs
}

// reason says why the rest of the run must not go on, "" while it may.
func (s *stopper) reason() string {
	if s.ctx.Err() != nil {
		return s.stopped() // interrupted (signals.go)
	}
	if err := s.client.Refused(); err != nil {
		return err.Error() + refusalAdvice
	}
	if err := s.client.Unresponsive(); err != nil {
		return s.secrets.Redact(err.Error())
	}
	return s.sweeper.failing()
}

// abortIfStopped ends the run, before the next spec, once reason says so.
func (s *stopper) abortIfStopped() {
	if why := s.reason(); why != "" {
		s.stop(why, 1)
	}
}

// stop ends the run with why: the spec in progress and the remaining ones
// are reported as not run, cleanups still run.
func (s *stopper) stop(why string, callerSkip int) {
	s.record(why)
	AbortSuite(why+"; the remaining specs are not run", callerSkip+1)
}

// interrupted records why a signal stopped the run, unless it had
// stopped already, and ends the checks' requests.
func (s *stopper) interrupted(why string) {
	s.record(why)
	s.interrupt()
}

// record keeps why as the reason the run stopped, unless it has one.
func (s *stopper) record(why string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.why == "" {
		s.why = why
	}
}

// stopped is why the run stopped early, or "".
func (s *stopper) stopped() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.why
}

// sweepDeadline is how long the end-of-run sweep may take.
func (s *stopper) sweepDeadline() time.Duration {
	if s.ctx.Err() != nil {
		return interruptDeadline
	}
	return sweepDeadline
}
