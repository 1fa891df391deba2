package conformance

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/brianvoe/gofakeit/v6"
	. "github.com/onsi/ginkgo/v2"

	"github.com/enswitch-kit/phones/conformance/fuzz"
	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Fuzzing (wire-contract.md: outcome order, reading back; settled point
// 1): generated combinations of valid values are accepted and read back,
// generated faulty ones refused naming a fault; each failure is shrunk to
// its smallest input. This is the run's first phase of generated cases:
// a phase sends its cases through the sender within the line budget,
// registers its deletions with the sweeper, and records what its cases
// did as an outcome.Phase report entry, which every report renders.

// Rules the fuzz specs enforce.
const (
	ruleFuzzValid    = "wire-contract.md: outcomes — valid input answers 201 with validation=1, 204 without"
	ruleFuzzReadBack = "wire-contract.md: reading back — phones/get returns each value as it was created"
	ruleFuzzNothing  = "wire-contract.md: a 400 creates nothing (phones/get answers 404)"
)

// Limits that keep a failing fuzz run readable and cheap.
const (
	shownFailures   = 3  // failures printed, each shrunk to a different case
	maxShrinks      = 8  // failing cases shrunk at most, looking for those
	shrinkTries     = 60 // calls per shrink when shrinking is free (validation=1)
	shrinkLineTries = 12 // lines a shrink may create when it needs real creates
	faultGetEvery   = 10 // every n-th fault case also checks nothing was created
)

// phaseFuzz names the fuzz specs' phase in the run's model.
const phaseFuzz = "fuzz"

// replay sends a case that got no answer once more, the same way; a case
// that would create a line needs one more from the budget, else it stays
// unanswered and sent is false.
func (s fuzzSpecs) replay(f fuzzFailure) (_ fuzzFailure, sent bool) {
	if f.creates && s.ledger.TakeUpTo(1) == 0 {
		return f, false
	}
	f.first = f.rerun(f.c)
	return f, true
}

// trial is the result of sending one case.
type trial struct {
	problem  string   // "" when the case passed; else the rule and what broke
	exchange string   // the masked request(s) and answer(s)
	hint     []string // parameters to keep first when shrinking
	requests int
	// unanswered is the first request of the case that got no answer,
	// zero when all were answered: the case neither passed nor failed.
	unanswered outcome.Unanswered
}

// silent says the case got no answer.
func (t trial) silent() bool { return t.unanswered.Kind != "" }

// fuzzFailure is a failing case and how to reproduce it.
type fuzzFailure struct {
	index   int
	c       fuzz.Case
	first   trial
	rerun   func(fuzz.Case) trial // sends the case again the same way
	creates bool                  // rerun creates lines
	ran     bool                  // false: dropped because the run stopped
}

// fuzzSpecs are the fuzz specs and what they need: the run's line
// budget, what stops the run, and its fail handler.
type fuzzSpecs struct {
	send     *sender
	sweeper  *sweeper
	req      requests
	ledger   *lines.Ledger
	plan     *plan // what max_lines leaves the fuzz specs
	view     *contract.View
	contract *contract.Contract
	cases    int   // --fuzz-cases
	seed     int64 // the run's seed: each spec draws its cases from its own faker
	workers  int   // cases sent at once
	stop     *stopper
	fail     failer
	silence  *silence
	secrets  *target.Secrets
}

// specs: many valid combinations must be accepted and read back, and
// many single-fault variants refused with the faulty parameter as key;
// each spec records what its cases did as a phase of the run's model
// (outcome.Phase), under the top-level container of fuzzing.
func (s fuzzSpecs) specs() func() {
	n := s.cases
	// Half valid combinations; of the faulty half, a fifth carry several
	// faults (wire-contract.md: settled point 1).
	nValid, nSeveral := n-n/2, n/2/5
	nFault := n/2 - nSeveral
	space := rules.Space(s.contract)

	return func() {
		It(fmt.Sprintf("accepts %d valid combinations of optional parameters and reads each value back", nValid), func() {
			if nValid == 0 {
				require(needFuzzCases, "--fuzz-cases is 0")
			}
			gen := fuzz.New(s.view, gofakeit.New(s.seed+1), space)
			creates := s.ledger.TakeUpTo(min(nValid, s.plan.spareLines()))
			isReal := func(i int) bool { return i*creates/nValid != (i+1)*creates/nValid }
			s.runFuzz("valid combinations", nValid, creates, func(int) fuzz.Case { return gen.Valid() }, func(i int, c fuzz.Case) fuzzFailure {
				f := fuzzFailure{index: i, c: c, creates: isReal(i)}
				f.rerun = func(c fuzz.Case) trial { return s.tryValid(c, f.creates) }
				f.first = f.rerun(c)
				return f
			})
		})

		It(fmt.Sprintf("refuses %d single-fault variants with 400 naming the faulty parameter, creating nothing", nFault), func() {
			gen := fuzz.New(s.view, gofakeit.New(s.seed+2), space)
			if _, ok := gen.Fault(); !ok || nFault == 0 {
				require(needFuzzCases, "no faults to draw: --fuzz-cases is below 2 or the version has no refusable parameter")
			}
			gen = fuzz.New(s.view, gofakeit.New(s.seed+2), space)
			s.runFuzz("single-fault variants", nFault, 0, func(int) fuzz.Case { c, _ := gen.Fault(); return c }, func(i int, c fuzz.Case) fuzzFailure {
				checkGet := i%faultGetEvery == 0
				f := fuzzFailure{index: i, c: c}
				f.rerun = func(c fuzz.Case) trial { return s.tryFault(c, checkGet) }
				f.first = f.rerun(c)
				return f
			})
		})

		It(fmt.Sprintf("refuses %d variants with several faults with 400 naming one of them", nSeveral), Label(settledLabel(1)), func() {
			gen := fuzz.New(s.view, gofakeit.New(s.seed+3), space)
			if _, ok := gen.Faults(); !ok || nSeveral == 0 {
				require(needFuzzCases, "no several-fault cases to draw: --fuzz-cases is below 10 or the version has fewer than two refusable parameters")
			}
			gen = fuzz.New(s.view, gofakeit.New(s.seed+3), space)
			s.runFuzz("several-fault variants", nSeveral, 0, func(int) fuzz.Case { c, _ := gen.Faults(); return c }, func(i int, c fuzz.Case) fuzzFailure {
				f := fuzzFailure{index: i, c: c}
				f.rerun = func(c fuzz.Case) trial { return s.tryFault(c, false) }
				f.first = f.rerun(c)
				return f
			})
		})
	}
}

// runFuzz draws count cases in order (one seed, one sequence), sends them
// from the worker pool, then shrinks and reports the failures.
func (s fuzzSpecs) runFuzz(what string, count, created int, draw func(int) fuzz.Case, try func(int, fuzz.Case) fuzzFailure) {
	GinkgoHelper()
	type job struct {
		i int
		c fuzz.Case
	}
	jobs := make(chan job, s.workers*4)
	results := make([]fuzzFailure, count)
	start := time.Now()
	var wg sync.WaitGroup
	for range s.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer GinkgoRecover()
			for j := range jobs {
				// Once the run must stop, queued cases are
				// dropped; they would cost a timeout or a line each.
				if s.stop.reason() == "" {
					results[j.i] = try(j.i, j.c)
					results[j.i].ran = true
				}
			}
		}()
	}
	for i := range count {
		if s.stop.reason() != "" {
			break
		}
		jobs <- job{i, draw(i)}
	}
	close(jobs)
	wg.Wait()

	rec := outcome.Phase{Name: phaseFuzz, What: what, Created: created, Seconds: time.Since(start).Seconds()}
	var failures []fuzzFailure
	for _, r := range results {
		if !r.ran {
			continue
		}
		rec.Cases++
		rec.Requests += r.first.requests
		if r.first.silent() {
			var sent bool
			if r, sent = s.replay(r); sent { // a silence is not shrunk: it says nothing of the case
				rec.Retried++
				rec.Requests += r.first.requests
			}
		}
		switch {
		case r.first.silent():
			rec.Unanswered = append(rec.Unanswered, r.first.unanswered)
		case r.first.problem != "":
			failures = append(failures, r)
		}
	}
	rec.Unanswered = outcome.Sum(rec.Unanswered)
	rec.Failed = len(failures)
	why := s.stop.reason()
	var problem string
	switch {
	case why != "":
		problem = fmt.Sprintf("fuzz: stopped after %d of %d %s, %d of them failed: %s", rec.Cases, count, what, len(failures), why)
	case len(failures) > 0:
		problem, rec.Failures = s.fuzzReport(what, count, failures)
	}
	AddReportEntry(outcome.EntryPhase, rec)
	s.silence.forget() // the cases that got no answer are counted above
	if problem != "" {
		s.fail.fail(problem)
	}
}

// fuzzReport shrinks failures in case order and prints the first few that
// shrink to different cases; it also returns each of those, masked.
func (s fuzzSpecs) fuzzReport(what string, count int, failures []fuzzFailure) (string, []string) {
	var b strings.Builder
	fmt.Fprintf(&b, "fuzz: %d of %d %s failed (seed %d; replay with --seed %d --fuzz-cases %d)\n",
		len(failures), count, what, s.seed, s.seed, s.cases)
	seen := map[string]bool{}
	shown := 0
	var shrunk []string
	for i, f := range failures {
		if shown == shownFailures || i == maxShrinks {
			break
		}
		small, last, tries := s.shrink(f)
		sig := f.c.Fault + ":" + strings.Join(small.Names(), ",")
		if seen[sig] {
			continue
		}
		seen[sig] = true
		shown++
		fmt.Fprintf(&b, "\n[%d] case #%d, %d parameters, shrunk to %d in %d tries:\n  %s\n%s\n",
			shown, f.index, len(f.c.Params), len(small.Params), tries, last.problem, indent(last.exchange))
		shrunk = append(shrunk, s.secrets.Redact(last.problem+"\n"+last.exchange))
	}
	if rest := len(failures) - shown; rest > 0 {
		fmt.Fprintf(&b, "\n(%d more failing cases not shown)\n", rest)
	}
	return b.String(), shrunk
}

// shrink reduces a failing case to the fewest parameters that still fail
// the same way, within a budget of tries (and of lines, for real creates).
// It returns the small case, the trial that last failed, and the tries.
func (s fuzzSpecs) shrink(f fuzzFailure) (fuzz.Case, trial, int) {
	tries := shrinkTries
	if f.creates {
		tries = s.ledger.TakeUpTo(shrinkLineTries)
	}
	last := f.first
	small, n := fuzz.Shrink(f.c, func(c fuzz.Case) bool {
		t := f.rerun(c)
		if !sameFailure(f.first, t) {
			return false
		}
		last = t
		return true
	}, tries, f.first.hint...)
	if f.creates {
		s.ledger.Give(tries - n) // booked but not created
	}
	return small, last, n
}

// sameFailure reports whether t fails the way first did: on one of the
// parameters first blamed, or at all when first blamed none. A try that
// got no answer does not fail.
func sameFailure(first, t trial) bool {
	if t.problem == "" || t.silent() {
		return false
	}
	if len(first.hint) == 0 {
		return true
	}
	for _, h := range t.hint {
		if slices.Contains(first.hint, h) {
			return true
		}
	}
	return false
}

// tryValid sends a valid case: validation-only, or a real create read back
// and deleted.
func (s fuzzSpecs) tryValid(c fuzz.Case, creates bool) trial {
	name := s.ledger.Name()
	r := s.req.create(name, c.Params...)
	if !creates {
		a := s.send.send(validating(r))
		return trial{problem: outcomeProblem(ruleFuzzValid, a, wire.Validated, ""), exchange: a.Exchange(), hint: keyHint(a), requests: 1, unanswered: unansweredOf(a)}
	}
	a := s.send.send(r)
	defer s.sweeper.remove(name)
	t := trial{exchange: a.Exchange(), requests: 3, unanswered: unansweredOf(a)}
	if t.silent() {
		return t
	}
	if p := outcomeProblem(ruleFuzzValid, a, wire.Created, ""); p != "" {
		t.problem, t.hint = p, keyHint(a)
		return t
	}
	g := s.send.send(s.req.get(name))
	t.exchange += "\n" + g.Exchange()
	if t.unanswered = unansweredOf(g); t.silent() {
		return t
	}
	if p := (expected{Code: wire.OK}).problem(g); p != "" {
		t.problem = ruleFuzzReadBack + ": phones/get " + p
		return t
	}
	fields, err := g.Fields()
	if err != nil {
		t.problem = ruleGetFields + ": " + err.Error()
		return t
	}
	var wrong []string
	for _, pair := range c.Params {
		p, _ := s.view.Param(pair.Name)
		got, present := fields[pair.Name]
		if present && rules.Same(p, pair.Value, got) {
			continue
		}
		if _, ok := rules.MayOmit(p, s.view.Version()); ok {
			continue // wire-contract.md: reported by the read-back specs, not failed
		}
		wrong = append(wrong, fmt.Sprintf("%s=%s read back as %s", pair.Name, showWire(pair.Value), rules.Show(got, present)))
		t.hint = append(t.hint, pair.Name)
	}
	if len(wrong) > 0 {
		t.problem = ruleFuzzReadBack + ": " + strings.Join(wrong, "; ")
	}
	return t
}

// tryFault sends a single-fault case with validation=1; checkGet also asks
// phones/get whether anything was created.
func (s fuzzSpecs) tryFault(c fuzz.Case, checkGet bool) trial {
	name := s.ledger.Name()
	a := s.send.send(validating(s.req.create(name, c.Params...)))
	var shown []string
	for _, f := range c.Faults() {
		v, _ := c.Get(f)
		shown = append(shown, f+"="+showWire(v))
	}
	rule := fmt.Sprintf("%s (%s)", c.Rule, strings.Join(shown, ", "))
	want := expected{Code: wire.Invalid, Key: c.Fault}
	if len(c.Others) > 0 {
		rule = ruleSeveralFaults + ": " + rule
		want.OneOf = c.Faults()
	}
	t := trial{exchange: a.Exchange(), requests: 1, unanswered: unansweredOf(a)}
	if p := want.problem(a); p != "" {
		t.problem = rule + ": " + p
	}
	if t.problem != "" || !checkGet {
		return t
	}
	g := s.send.send(s.req.get(name))
	t.requests++
	t.unanswered = unansweredOf(g)
	if p := (expected{Code: wire.NotFound}).problem(g); p != "" {
		t.problem, t.exchange = ruleFuzzNothing+": "+p, t.exchange+"\n"+g.Exchange()
		s.sweeper.remove(name)
	}
	return t
}

func outcomeProblem(rule string, a target.Answer, code wire.Code, key string) string {
	if p := (expected{Code: code, Key: key}).problem(a); p != "" {
		return rule + ": " + p
	}
	return ""
}

// keyHint is the parameter a 400 blamed, to try alone first when shrinking.
func keyHint(a target.Answer) []string {
	if a.Err == nil && a.ShapeErr == nil && a.Outcome.Code == wire.Invalid && a.Outcome.Key != "" {
		return []string{a.Outcome.Key}
	}
	return nil
}
