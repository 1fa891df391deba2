package conformance

import (
	"errors"
	"sync"

	. "github.com/onsi/ginkgo/v2"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/target"
)

// A check whose request got no answer (refused, reset, timed out, cut
// mid-answer) neither passes nor fails: it is a target error, counted
// apart from contract failures (conformance.md: target errors). An
// answer, even HTTP 500, stays evidence about the contract.

// silence is the first request of the running spec that got no answer,
// so that a failure of the spec is reported as a target error (failer).
// Requests of the fuzz specs are accounted by the fuzz specs.
type silence struct {
	mu    sync.Mutex
	first *target.Answer
}

// note remembers a if it got no answer and is the spec's first to.
func (s *silence) note(a target.Answer) {
	var te *target.TransportError
	if !errors.As(a.Err, &te) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.first == nil {
		s.first = &a
	}
}

// inSpec returns the first request of the running spec that got no
// answer, or nil.
func (s *silence) inSpec() *target.Answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.first
}

// forget starts a spec's account afresh.
func (s *silence) forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.first = nil
}

// failer is the suite's fail handler: Ginkgo's Fail with every secret of
// the run masked, so no failure message, console line or report carries
// one (secrets never reach an error, log or report).
//
// Once the target has refused load, nothing it answers is held against
// it: a failure then stops the run instead (never a contract failure).
// A spec one of whose requests got no answer fails as a target error,
// neither passed nor failed.
type failer struct {
	client  *target.Client
	stop    *stopper
	silence *silence
	secrets *target.Secrets
}

// fail is the handler Gomega and the specs call.
func (f failer) fail(message string, callerSkip ...int) {
	skip := 1
	if len(callerSkip) > 0 {
		skip += callerSkip[0]
	}
	if err := f.client.Refused(); err != nil {
		f.stop.stop(err.Error()+refusalAdvice, skip)
	}
	if a := f.silence.inSpec(); a != nil {
		f.noAnswer(*a, skip)
	}
	Fail(f.secrets.Redact(message), skip)
}

// noAnswer ends the running spec as a target error: it records the
// request that got no answer as the report entry outcome.EntryUnanswered
// and skips the spec with the masked reason. It must run on the spec's
// goroutine.
func (f failer) noAnswer(a target.Answer, callerSkip int) {
	u := unansweredOf(a)
	if u.Kind == "" {
		u = outcome.Unanswered{Function: a.Request.Function, Kind: "other", Count: 1}
	}
	AddReportEntry(outcome.EntryUnanswered, u)
	Skip(f.secrets.Redact(targetErrorPrefix+a.ErrText()), callerSkip+1)
}

// unansweredOf is a as a request that got no answer: the function it
// called and the kind of silence; the zero Unanswered when a got an
// answer.
func unansweredOf(a target.Answer) outcome.Unanswered {
	var te *target.TransportError
	if !errors.As(a.Err, &te) {
		return outcome.Unanswered{}
	}
	return outcome.Unanswered{Function: a.Request.Function, Kind: te.Kind(), Count: 1}
}

// targetErrorPrefix starts the skip message of a target error.
const targetErrorPrefix = "target error, not a verdict on the contract: "
