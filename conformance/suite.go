package conformance

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/brianvoe/gofakeit/v6"
	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// suite is what the specs share. Everything a spec expects is computed from
// the contract before RunSpecs; nothing here changes while specs run except
// through the ledger and the report.
type suite struct {
	cfg      Config
	started  time.Time // when Run began, for the reports
	prof     profile.Profile
	contract *contract.Contract
	view     *contract.View
	history  []rules.History
	client   *target.Client
	ledger   *lines.Ledger
	values   *gofakeit.Faker // values drawn while building the specs

	lineCosts map[string]int // lines each node may create, by code location (costs)
	fuzzLines int            // creates the fuzz specs may make, after the other specs' costs

	secrets   *target.Secrets // every password of the run, masked in all output
	passwords lines.Passwords // makes the line passwords; its key is drawn per run, never printed

	mu     sync.Mutex
	report types.Report
	// cleanupFailures counts lines in a row that may exist and that the
	// cleanup function did not delete; lastCleanup is the last answer.
	cleanupFailures int
	lastCleanup     string
	aborted         string // why the run stopped early, "" while it runs
	// unanswered is the first request of the running spec that got no
	// answer (inconclusive.go).
	unanswered *target.Answer
	// runCtx ends the checks' requests when the run is interrupted;
	// cleanup has its own deadline (cleanup.go).
	runCtx      context.Context
	interrupt   context.CancelFunc
	journalMu   sync.Mutex // one write of the report's tried names at a time
	journalDone bool       // the final reports are being written
}

// --- requests --------------------------------------------------------------

func auth(a profile.Account) []wire.Pair {
	return []wire.Pair{{Name: rules.AuthUsername, Value: a.Username}, {Name: rules.AuthPassword, Value: a.Password}}
}

// linePassword is the SIP password the suite gives the line name
// (lines.Passwords: one the vendor's password policy accepts, not
// derivable from the name a report prints, since a line left behind on a
// real server keeps it). Every text of its shape is masked in all output.
func (s *suite) linePassword(name string) string { return s.password(name) }

// otherPassword is a second password for the line name, different from
// linePassword(name): what a refused create must not store.
func (s *suite) otherPassword(name string) string { return s.password(name + "\x00other") }

// password is the line password for seed: a line name and a purpose.
func (s *suite) password(seed string) string { return s.passwords.Make(seed) }

// linePasswordPrefix starts every password the suite makes.
const linePasswordPrefix = "Cf"

// createRequest is phones/create with only what the vendor requires: the
// admin's credentials, the name and a password (plus the profile's customer).
func (s *suite) createRequest(name string, extra ...wire.Pair) target.Request {
	params := append(auth(s.prof.Admin), wire.Pair{Name: rules.Name, Value: name}, wire.Pair{Name: rules.Password, Value: s.linePassword(name)})
	if s.prof.Customer != 0 {
		params = append(params, wire.Pair{Name: rules.Customer, Value: fmt.Sprint(s.prof.Customer)})
	}
	return target.Request{Function: contract.Create, Params: append(params, extra...)}
}

// validating turns r into a validation-only request (vendor page: 201 ...
// only returned if validation=1): it never creates a line.
func validating(r target.Request) target.Request { return r.With(rules.Validation, "1") }

func (s *suite) getRequest(name string, extra ...wire.Pair) target.Request {
	params := append(auth(s.prof.Admin), wire.Pair{Name: rules.Name, Value: name})
	return target.Request{Function: contract.Get, Params: append(params, extra...)}
}

// send sends r. A create that answers 204 although it carried validation=1
// made a line the suite did not book: it is deleted at once, and the spec
// still fails on the code.
func (s *suite) send(r target.Request) target.Answer {
	s.keepTried(r)
	a := s.client.Do(s.runCtx, r)
	s.noteUnanswered(a)
	if r.Function != contract.Create {
		return a
	}
	name, ok := r.Get(rules.Name)
	if !ok {
		return a
	}
	v, _ := r.Get(rules.Validation)
	s.ledger.Tried(name, lines.MadeBy(a, v == "1"))
	if v == "1" && a.Err == nil && a.Outcome.Code == wire.Created {
		s.remove(name)
	}
	return a
}

// preflight makes sure validation=1 creates nothing before hundreds of
// checks rely on it: on a real server each line is billed. It returns why
// the run must stop, or "".
func (s *suite) preflight() string {
	name := s.ledger.Name()
	a := s.untilAnswered(func() target.Answer { return s.send(validating(s.createRequest(name))) })
	switch {
	case a.Err != nil:
		return "the target does not answer phones/create with validation=1: " + a.ErrText()
	case a.ShapeErr == nil && a.Outcome.Code == wire.Created:
		return fmt.Sprintf("%s, yet it answered 204 to validation=1: every validation check would create (and bill) a line\n%s", ruleValidated, indent(a.Exchange()))
	}
	if g := s.untilAnswered(func() target.Answer { return s.send(s.getRequest(name)) }); g.Err == nil && g.ShapeErr == nil && g.Outcome.Code == wire.OK {
		s.remove(name)
		return fmt.Sprintf("%s, yet phones/get finds the line validation=1 named: every validation check would create (and bill) a line\n%s\n%s",
			ruleNothing, indent(a.Exchange()), indent(g.Exchange()))
	}
	return ""
}

// create sends a request that may create a line: it books the line against
// max_lines (skipping the spec with that reason when none is left) and
// registers the deletion first, so a failed spec cleans up too.
func (s *suite) create(r target.Request) target.Answer {
	GinkgoHelper()
	name, _ := r.Get(rules.Name)
	if err := s.ledger.Take(1); err != nil {
		s.require(needMaxLines, err.Error())
	}
	DeferCleanup(s.remove, name)
	return s.send(r)
}

// createAgain sends a create for a name whose deletion is registered
// already: it books the line but registers no second deletion, which would
// remove the first line before its container is done.
func (s *suite) createAgain(r target.Request) target.Answer {
	GinkgoHelper()
	if err := s.ledger.Take(1); err != nil {
		s.require(needMaxLines, err.Error())
	}
	return s.send(r)
}

// remove deletes a line the suite created with the profile's cleanup
// function, sent again until it answers 204 or 404 (deleteLine). It
// touches no name the ledger did not issue and never fails a spec: what
// it cannot delete and may exist is listed at the end
// (target-profile.md), and a cleanup that keeps failing stops the run
// (see stopReason).
func (s *suite) remove(name string) {
	if !s.ledger.Owns(name) {
		return
	}
	if s.prof.Cleanup == profile.CleanupNone {
		g := s.client.Do(context.Background(), s.getRequest(name))
		switch {
		case g.Err == nil && g.Outcome.Code == wire.OK:
			s.ledger.Leave(name, leftByCleanupNone)
		case answerProblem(g) != "" && s.ledger.MayExist(name):
			s.ledger.Leave(name, oneLine("cleanup: none, and phones/get could not tell whether it exists: "+g.String(), 300))
		}
		return
	}
	a := s.deleteLine(context.Background(), name)
	clean := answerProblem(a) == ""
	switch {
	case clean && a.Outcome.Code == wire.Created:
		s.ledger.Deleted(name)
		s.cleanupDone("")
	case clean && a.Outcome.Code == wire.NotFound:
		s.ledger.Absent(name) // never created
		s.cleanupDone("")
	case s.ledger.MayExist(name):
		why := s.prof.Cleanup + " answered " + a.String()
		if a.Err != nil {
			why = s.prof.Cleanup + ": " + a.ErrText()
		}
		why = oneLine(why, 300)
		s.cleanupDone(why)
		if !s.ledger.Confirmed(name) {
			why = "the create got no clear answer, so it may exist; " + why
		}
		s.ledger.Leave(name, why)
	}
}

// leftByCleanupNone is why a line is left when the profile's cleanup is
// none.
const leftByCleanupNone = "cleanup: none"

// oneLine folds text to one line of at most n bytes, for the summary.
func oneLine(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if len(text) <= n {
		return text
	}
	for n > 0 && !utf8.RuneStart(text[n]) {
		n--
	}
	return text[:n] + "…"
}

// giveUpAfter is how many lines in a row the cleanup function may fail to
// delete before the run stops: past that every create would leave a line
// behind.
const giveUpAfter = 3

// unansweredInARow is how many requests in a row to one function may get
// no answer before the run stops: past that every request would cost a
// timeout. A flaky target that drops one request in twenty gets there
// about once in 60 million requests; a dead one after six.
const unansweredInARow = 6

// cleanupDone counts a cleanup that failed (why) or worked ("").
func (s *suite) cleanupDone(why string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if why == "" {
		s.cleanupFailures = 0
		return
	}
	s.cleanupFailures++
	s.lastCleanup = why
}

// stopReason says why the rest of the run must not go on: a signal
// interrupted it, the target refused load (HTTP 429 or 503) or stopped
// answering a function, or the cleanup function failed on giveUpAfter
// lines in a row. "" while the run may go on.
func (s *suite) stopReason() string {
	if s.runCtx.Err() != nil {
		return s.abortReason() // interrupted (signals.go)
	}
	if err := s.client.Refused(); err != nil {
		return err.Error() + refusalAdvice
	}
	if err := s.client.Unresponsive(); err != nil {
		return s.secrets.Redact(err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cleanupFailures >= giveUpAfter {
		return fmt.Sprintf("cleanup failing: %s did not delete %d lines in a row (last: %s); stopping so that no more lines are left behind",
			s.prof.Cleanup, s.cleanupFailures, firstLine(s.lastCleanup))
	}
	return ""
}

// refusalAdvice follows a refusal of load: past the short Retry-After
// --retries waits out, the suite does not retry a refusal, which would
// hide an overloaded server from whoever certifies it.
const refusalAdvice = "; the run stops without retrying: lower --rate or --workers (target-profile.md), or run when the target is less busy"

// abortIfStopped ends the run, before the next spec, once stopReason says
// so: the remaining specs are reported as not run, cleanups still run.
func (s *suite) abortIfStopped() {
	if why := s.stopReason(); why != "" {
		s.stop(why, 1)
	}
}

// stop ends the run with why: the spec in progress and the remaining ones
// are reported as not run, cleanups still run.
func (s *suite) stop(why string, callerSkip int) {
	s.mu.Lock()
	if s.aborted == "" {
		s.aborted = why
	}
	s.mu.Unlock()
	AbortSuite(why+"; the remaining specs are not run", callerSkip+1)
}

// Line is a line the suite created and read back.
type Line struct {
	Name   string
	Create target.Answer
	Read   target.Answer
}

// GomegaString prints both exchanges, masked.
func (l Line) GomegaString() string {
	return "created by\n" + indent(l.Create.Exchange()) + "\nread back by\n" + indent(l.Read.Exchange())
}

// createAndRead creates a line with r, expects 204, and reads it back.
func (s *suite) createAndRead(r target.Request, rule string) Line {
	GinkgoHelper()
	name, _ := r.Get(rules.Name)
	l := Line{Name: name, Create: s.create(r)}
	Expect(l.Create).To(HaveOutcome(rule, wire.Created, ""))
	l.Read = s.send(s.getRequest(name))
	Expect(l.Read).To(HaveOutcome("wire-contract.md: phones/get answers 200 with the line in data", wire.OK, ""))
	return l
}
