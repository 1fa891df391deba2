package report

import (
	"fmt"
	"io"
	"time"

	"github.com/enswitch-kit/phones/internal/junit"
)

// More states a check may be in, which only the JUnit report lists: the
// JSON and HTML reports count them.
const (
	NotRun      = "not run"      // selected, but the run stopped first
	NotSelected = "not selected" // left out by the label filter
)

// WriteJUnit writes r as JUnit XML, one test suite named suite whose cases
// are checks (every check of the run, those it did not run included),
// each named by its text alone: failed → <failure>, error → <error>,
// skipped, reported, not run and not selected → <skipped message>. The
// suite's properties are r's provenance and verdict, so a CI dashboard
// shows what was certified, and one property per cause of failure.
func WriteJUnit(w io.Writer, r *Report, suite string, checks []Spec) error {
	s := junit.Suite{
		Name: suite, Package: r.Provenance.Tool, Time: r.Provenance.Seconds,
		Timestamp: r.Provenance.Started.UTC().Format(time.RFC3339), Properties: junitProperties(r),
	}
	for _, c := range checks {
		tc := junit.Case{Name: c.Text, Classname: suite, Status: c.State}
		switch c.State {
		case Passed:
		case Failed:
			tc.Failure = &junit.Problem{Message: c.Rule, Type: "failed", Text: joinDetail(c)}
		case Error:
			tc.Error = &junit.Problem{Message: c.Rule, Type: "no answer", Text: joinDetail(c)}
		default:
			tc.Skipped = &junit.Skipped{Message: skipMessage(c)}
		}
		s.Cases = append(s.Cases, tc)
	}
	return junit.Write(w, s)
}

func joinDetail(c Spec) string {
	if c.Detail == "" {
		return c.Rule
	}
	return c.Rule + "\n" + c.Detail
}

// skipMessage says why a check passed no verdict.
func skipMessage(c Spec) string {
	switch c.State {
	case Skipped:
		return "skipped for want of " + c.Need + ": " + c.Rule
	case Reported:
		return "reported, not asserted: " + c.Rule
	}
	return c.Rule // not run: …, not selected by the label filter
}

// junitProperties are r's provenance and verdict.
func junitProperties(r *Report) junit.Properties {
	p := r.Provenance
	props := junit.Properties{
		{Name: "verdict", Value: r.Verdict},
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
		props = append(props, junit.Property{Name: fmt.Sprintf("cause.%d", i+1), Value: plural(c.Count, "failure") + ": " + c.Title()})
	}
	return props
}
