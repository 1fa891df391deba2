package report

import (
	"fmt"
	"io"
	"time"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/internal/junit"
	"github.com/enswitch-kit/phones/internal/words"
)

// WriteJUnit writes run as JUnit XML, one test suite named for the run
// whose cases are its selected checks (those the run did not get to
// included), each named by its text alone: failed → <failure>, error →
// <error>, skipped, reported and not run → <skipped message>. The suite's
// properties are r's provenance and verdict, so a CI dashboard shows what
// was certified, one property per cause of failure, and what the phases
// did, what got no answer and what was sent again.
func WriteJUnit(w io.Writer, r *Report, run outcome.Run) error {
	s := junit.Suite{
		Name: run.Suite, Package: r.Provenance.Tool, Time: r.Provenance.Seconds,
		Timestamp: r.Provenance.Started.UTC().Format(time.RFC3339), Properties: junitProperties(r),
	}
	for _, c := range run.Checks {
		if c.State == outcome.NotSelected {
			continue
		}
		tc := junit.Case{Name: c.Text, Classname: run.Suite, Status: string(c.State)}
		switch c.State {
		case outcome.Passed:
		case outcome.Failed:
			tc.Failure = &junit.Problem{Message: c.Rule, Type: "failed", Text: joinDetail(c)}
		case outcome.Error:
			tc.Error = &junit.Problem{Message: c.Rule, Type: "no answer", Text: joinDetail(c)}
		default:
			tc.Skipped = &junit.Skipped{Message: skipMessage(c)}
		}
		s.Cases = append(s.Cases, tc)
	}
	return junit.Write(w, s)
}

func joinDetail(c outcome.Check) string {
	if c.Detail == "" {
		return c.Rule
	}
	return c.Rule + "\n" + c.Detail
}

// skipMessage says why a check passed no verdict.
func skipMessage(c outcome.Check) string {
	switch c.State {
	case outcome.Skipped:
		return "skipped for want of " + c.Need + ": " + c.Rule
	case outcome.Reported:
		return "reported, not asserted: " + c.Rule
	}
	return c.Rule // not run: …, not selected by the label filter
}

// junitProperties are r's provenance and verdict.
func junitProperties(r *Report) junit.Properties {
	p := r.Provenance
	props := junit.Properties{
		{Name: "verdict", Value: string(r.Verdict)},
		{Name: "target.base_url", Value: p.BaseURL},
		{Name: "target.enswitch_version", Value: p.TargetVersion},
		{Name: "tool", Value: p.Tool},
		{Name: "tool.version", Value: p.ToolVersion},
		{Name: "tool.revision", Value: p.ToolRevision},
		{Name: "contract.sha256", Value: p.ContractSHA256},
		{Name: "seed", Value: fmt.Sprint(p.Seed)},
		{Name: "replay", Value: p.Replay},
		{Name: "started", Value: p.Started.UTC().Format(time.RFC3339)},
	}
	for _, w := range p.Warnings {
		props = append(props, junit.Property{Name: "warning", Value: w})
	}
	for i, c := range r.Causes {
		props = append(props, junit.Property{Name: fmt.Sprintf("cause.%d", i+1), Value: words.Plural(c.Count, "failure") + ": " + c.Title()})
	}
	for _, p := range r.Phases {
		props = append(props, junit.Property{Name: p.Name, Value: p.String()})
	}
	for _, calls := range r.UnansweredByFunction() {
		props = append(props, junit.Property{Name: "unanswered." + calls.Function, Value: calls.String()})
	}
	if sent, unanswered, by := outcome.Silences(r.Requests); unanswered > 0 {
		props = append(props, junit.Property{Name: "requests", Value: fmt.Sprintf("%d of %d sent got no answer, each sent once (%s)", unanswered, sent, by)})
	}
	if rt := r.Retries; rt != nil {
		props = append(props, junit.Property{Name: "retries", Value: rt.String()})
	}
	return props
}
