package conformance

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	. "github.com/onsi/ginkgo/v2"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/model"
	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
)

// The model phase (docs/conformance.md: the model phase): generated
// sequences of calls, each sent to the target and to the contract's
// executable model (the mock in process, at the target's version, holding
// the profile's accounts, customers and line), every answer compared but
// for what the contract leaves to the server (leeway). A sequence that
// differs is shrunk to the shortest that still differs the same way.

// phaseModel names the model phase in the run's model.
const phaseModel = "model"

// Bounds of the model phase.
const (
	// DefaultModelSequences is how many sequences a run draws.
	DefaultModelSequences = 150
	modelShrinks          = 1  // sequences shrunk for each cause
	modelTries            = 80 // runs one shrink may spend
	// modelReserve is the share of the phase's lines kept for shrinking,
	// in percent.
	modelReserve = 20
)

// modelSpecs is the model phase and what it needs.
type modelSpecs struct {
	send      *sender
	sweeper   *sweeper
	ledger    *lines.Ledger
	plan      *plan
	contract  *contract.Contract
	view      *contract.View
	prof      profile.Profile
	req       requests
	sequences int    // --model-sequences
	replay    string // --model-replay: one sequence, instead of drawing
	seed      int64
	workers   int
	stop      *stopper
	fail      failer
	silence   *silence
	secrets   *target.Secrets
}

func (s modelSpecs) specs() func() {
	text := fmt.Sprintf("%d generated sequences of creates, reads and deletes answer as the contract's model of %s", s.sequences, s.view.Version())
	if s.replay != "" {
		text = "the sequence of --model-replay answers as the contract's model of " + s.view.Version().String()
	}
	return func() {
		It(text, func() { s.run() })
	}
}

// run draws the sequences, runs them and records what they did.
func (s modelSpecs) run() {
	GinkgoHelper()
	if s.sequences == 0 && s.replay == "" {
		require(needModelSequences, "--model-sequences is 0")
	}
	oracle, err := model.NewOracle(s.view, s.prof)
	if err != nil {
		s.fail.fail("model phase: " + err.Error())
	}
	defer oracle.Close()
	grant := s.ledger.TakeUpTo(s.plan.modelLines())
	seqs, err := s.draw(grant)
	if err != nil {
		s.fail.fail("model phase: " + err.Error())
	}
	spare := &modelLines{Ledger: s.ledger, sweeper: s.sweeper, grant: grant}
	spare.left.Store(int64(grant))
	x := &model.Runner{View: s.view, Latest: s.contract.Latest(), Model: oracle, Profile: s.prof,
		Send: func(_ context.Context, r target.Request) target.Answer { return s.send.send(r) }, Lines: spare, Passwords: s.req.password}
	phase := model.Phase{Runner: x, Workers: s.workers, Shrinks: modelShrinks, Tries: modelTries, Halt: func() bool { return s.stop.reason() != "" }}
	res := phase.Run(s.stop.ctx, seqs)
	s.ledger.Give(int(spare.left.Load())) // booked, never created

	rec := outcome.Phase{Name: phaseModel, What: "sequences of calls", Cases: res.Sequences, Created: res.Created,
		Failed: res.Failed(), Requests: res.Calls, Seconds: res.Elapsed.Seconds(), Retried: res.Retried}
	for _, a := range res.Unanswered {
		rec.Unanswered = append(rec.Unanswered, unansweredOf(a))
	}
	rec.Unanswered = outcome.Sum(rec.Unanswered)
	for _, f := range res.Failures {
		rec.Findings = append(rec.Findings, s.finding(f))
	}
	AddReportEntry(outcome.EntryPhase, rec)
	s.silence.forget() // the sequences that got no answer are counted above
	switch why := s.stop.reason(); {
	case why != "":
		s.fail.fail(fmt.Sprintf("model phase: stopped after %d of %d sequences, %d of them differed: %s", res.Sequences, len(seqs), res.Failed(), why))
	case len(res.Failures) > 0:
		s.fail.fail(s.text(res, len(seqs)))
	}
}

// draw is the phase's sequences: the one --model-replay gives, or
// --model-sequences drawn from the run's seed, within grant lines less
// what shrinking keeps.
func (s modelSpecs) draw(grant int) ([]model.Sequence, error) {
	if s.replay != "" {
		seq, err := model.ParseToken(s.replay)
		return []model.Sequence{seq}, err
	}
	gen, err := model.NewGenerator(s.contract, s.view, s.prof, s.seed+5)
	if err != nil {
		return nil, err
	}
	defer gen.Close()
	gen.Budget, gen.Sequences = grant-grant*modelReserve/100, s.sequences
	seqs := make([]model.Sequence, s.sequences)
	for i := range seqs {
		seqs[i] = gen.Sequence(i)
	}
	return seqs, nil
}

// finding is f for the reports: its cause, the rule, both answers and the
// shortest sequence, masked.
func (s modelSpecs) finding(f model.Failure) outcome.Finding {
	d := f.Outcome.Diffs[0]
	mask := s.secrets.Redact // a target's answer may echo any secret
	out := outcome.Finding{Cause: mask("model: " + d.Cause()), Rule: d.Rule, Want: mask(d.Want), Got: mask(d.Got), Count: f.Count,
		Example: mask(f.Text()), Replay: s.replayCommand(f.Sequence)}
	last := f.Outcome.Calls[len(f.Outcome.Calls)-1].Target
	if got := last.Outcome; d.Aspect == model.AspectOutcome && !strings.HasPrefix(string(got.Code), "2") {
		// a refusal the model did not give: one cause with the checks that
		// got the same answer (reports.md: failures by cause)
		out.Got = mask(fmt.Sprintf("code %s with key %q", got.Code, got.Key))
		out.Answer = &outcome.Answer{Function: last.Request.Function, Status: last.Status, Code: mask(string(got.Code)),
			Key: mask(got.Key), Message: mask(got.Message)}
	}
	return out
}

// replayCommand runs exactly seq again.
func (s modelSpecs) replayCommand(seq model.Sequence) string {
	return "enswitch-conformance --profile PROFILE --label-filter " + LabelModel + " --model-replay " + seq.Token()
}

// text is the phase's failure: each cause with its count and shortest
// sequence.
func (s modelSpecs) text(res model.Result, drawn int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "model phase: %d of %d sequences answered unlike the contract's model, %d causes (seed %d)\n",
		res.Failed(), drawn, len(res.Failures), s.seed)
	for i, f := range res.Failures {
		fmt.Fprintf(&b, "\n[%d] %s\n  replay: %s\n%s", i+1, strings.TrimRight(f.Text(), "\n"), s.replayCommand(f.Sequence), "\n")
	}
	return b.String()
}

// modelLines is the phase's share of max_lines: the ledger's names, a
// grant of lines taken up front, and the sweeper's deletes.
type modelLines struct {
	*lines.Ledger
	sweeper *sweeper
	grant   int
	left    atomic.Int64
}

// Take books n of the grant's lines.
func (m *modelLines) Take(n int) error {
	if m.left.Add(-int64(n)) < 0 {
		m.left.Add(int64(n))
		return fmt.Errorf("target-profile.md: max_lines: the model phase's %d lines are spent", m.grant)
	}
	return nil
}

// Remove deletes a line that may exist.
func (m *modelLines) Remove(name string) { m.sweeper.remove(name) }
