package conformance

import (
	"errors"

	. "github.com/onsi/ginkgo/v2"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/target"
)

// A check whose request got no answer (refused, reset, timed out, cut
// mid-answer) neither passes nor fails: it is a target error, counted
// apart from contract failures (conformance.md: target errors). An
// answer, even HTTP 500, stays evidence about the contract.

// noteUnanswered remembers that the running spec sent a request that got
// no answer, so that a failure of the spec is reported as a target error
// (see fail). Requests of the fuzz specs are accounted by the fuzz specs.
func (s *suite) noteUnanswered(a target.Answer) {
	var te *target.TransportError
	if !errors.As(a.Err, &te) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.unanswered == nil {
		s.unanswered = &a
	}
}

// unansweredInSpec returns the first request of the running spec that got
// no answer, or nil.
func (s *suite) unansweredInSpec() *target.Answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.unanswered
}

// forgetUnanswered starts a spec's account afresh.
func (s *suite) forgetUnanswered() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unanswered = nil
}

// noAnswer ends the running spec as a target error: it records the
// request that got no answer as the report entry outcome.EntryUnanswered
// and skips the spec with the masked reason. It must run on the spec's
// goroutine.
func (s *suite) noAnswer(a target.Answer, callerSkip int) {
	u := unansweredOf(a)
	if u.Kind == "" {
		u = outcome.Unanswered{Function: a.Request.Function, Kind: "other", Count: 1}
	}
	AddReportEntry(outcome.EntryUnanswered, u)
	Skip(s.secrets.Redact(targetErrorPrefix+a.ErrText()), callerSkip+1)
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
