package conformance

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
)

// A check whose request got no answer (refused, reset, timed out, cut
// mid-answer) neither passes nor fails: it is a target error, counted
// apart from contract failures (conformance.md: target errors). An
// answer, even HTTP 500, stays evidence about the contract.

// VerdictInconclusive: no check failed, but some got no answer.
const VerdictInconclusive Verdict = VerdictFail + 1

// Unanswered is a check that got no answer: the function it asked and
// the kind of silence (target.TransportError.Kind).
type Unanswered struct{ Function, Kind string }

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
// function and kind as the report entry target-error and skips the spec
// with the masked reason. It must run on the spec's goroutine.
func (s *suite) noAnswer(a target.Answer, callerSkip int) {
	kind := "other"
	var te *target.TransportError
	if errors.As(a.Err, &te) {
		kind = te.Kind()
	}
	AddReportEntry(outcome.EntryTargetError, outcome.TargetError{Function: a.Request.Function, Kind: kind})
	Skip(s.secrets.Redact(targetErrorPrefix+a.ErrText()), callerSkip+1)
}

// targetErrorPrefix starts the skip message of a target error.
const targetErrorPrefix = "target error, not a verdict on the contract: "

// targetErrors counts the checks that got no answer, by kind and by
// function.
type targetErrors struct {
	total      int
	byKind     map[string]int
	byFunction map[string]int
}

func (t *targetErrors) add(e Unanswered, n int) {
	if t.byKind == nil {
		t.byKind, t.byFunction = map[string]int{}, map[string]int{}
	}
	t.total += n
	t.byKind[e.Kind] += n
	t.byFunction[e.Function] += n
}

// countTargetErrors counts the run's checks that got no answer (state
// error): those that recorded it, and those its ordered container's
// BeforeAll left without one (the model gives them the BeforeAll's).
func countTargetErrors(run outcome.Run) targetErrors {
	var t targetErrors
	for _, c := range run.Checks {
		if c.State == outcome.Error && c.NoAnswer != nil {
			t.add(Unanswered{Function: c.NoAnswer.Function, Kind: c.NoAnswer.Kind}, 1)
		}
	}
	return t
}

// kinds prints counts as "reset 27, timeout 4", largest first.
func kinds(counts map[string]int) string {
	names := slices.Collect(maps.Keys(counts))
	slices.SortFunc(names, func(a, b string) int {
		if d := counts[b] - counts[a]; d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s %d", n, counts[n])
	}
	return strings.Join(parts, ", ")
}

// judgeTargetErrors prints the target errors and the retries of the run,
// and makes a verdict that would pass or be partial INCONCLUSIVE when a
// check got no answer. failures is the count of contract failures.
func (s *suite) judgeTargetErrors(w io.Writer, res Result, errs targetErrors, failures int) Result {
	s.mu.Lock()
	for _, rec := range s.fuzz {
		for kind, n := range rec.TargetErrors {
			errs.add(Unanswered{Function: contract.Create, Kind: kind}, n)
		}
	}
	s.mu.Unlock()
	if r := s.client.Retried(); s.cfg.Retries > 0 || r.Sent > 0 {
		fmt.Fprintf(w, "\nretries (--retries %d): %s sent again, %d of them then answered\n", s.cfg.Retries, count(r.Sent, "request"), r.Answered)
	}
	printUnanswered(w, s.client.Tallies())
	return verdictWith(w, res, errs, failures)
}

// printUnanswered prints how many requests got no answer, by function,
// when any did: each was sent once, so each is one silence of the target
// (conformance.md: target errors).
func printUnanswered(w io.Writer, tallies map[string]target.Tally) {
	sent, byFunction := 0, map[string]int{}
	for fn, t := range tallies {
		sent += t.Sent
		if t.Unanswered > 0 {
			byFunction[fn] = t.Unanswered
		}
	}
	if len(byFunction) == 0 {
		return
	}
	fmt.Fprintf(w, "\nrequests without an answer: %d of %d sent, each sent once (%s)\n", sum(byFunction), sent, kinds(byFunction))
}

// verdictWith prints the target errors and returns the verdict they make.
func verdictWith(w io.Writer, res Result, errs targetErrors, failures int) Result {
	if errs.total == 0 {
		return res
	}
	fmt.Fprintf(w, "\ntarget errors: %s got no answer (%s), by function: %s; neither passed nor failed\n",
		count(errs.total, "check"), kinds(errs.byKind), kinds(errs.byFunction))
	line := fmt.Sprintf("%s got no answer (%s); %s", count(errs.total, "check"), kinds(errs.byKind), count(failures, "contract failure"))
	if res.Verdict == VerdictFail {
		return res
	}
	res.Verdict, res.Inconclusive = VerdictInconclusive, "INCONCLUSIVE: "+line
	return res
}

// count prints n things, in the plural unless n is 1.
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
