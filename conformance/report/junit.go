package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"time"
)

// More states a check may be in, which only the JUnit report lists: the
// JSON and HTML reports count them.
const (
	NotRun      = "not run"      // selected, but the run stopped first
	NotSelected = "not selected" // left out by the label filter
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Disabled int          `xml:"disabled,attr"`
	Errors   int          `xml:"errors,attr"`
	Failures int          `xml:"failures,attr"`
	Time     float64      `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Package    string          `xml:"package,attr"`
	Tests      int             `xml:"tests,attr"`
	Disabled   int             `xml:"disabled,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Errors     int             `xml:"errors,attr"`
	Failures   int             `xml:"failures,attr"`
	Time       float64         `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Status    string        `xml:"status,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes r as JUnit XML, one test suite named suite whose cases
// are checks (every check of the run, those it did not run included),
// each named by its text alone: failed → <failure>, error → <error>,
// skipped, reported, not run and not selected → <skipped message>. The
// suite's properties are r's provenance and verdict, so a CI dashboard
// shows what was certified, and one property per cause of failure.
func WriteJUnit(w io.Writer, r *Report, suite string, checks []Spec) error {
	s := junitSuite{
		Name: suite, Package: r.Provenance.Tool, Tests: len(checks), Time: r.Provenance.Seconds,
		Timestamp: r.Provenance.Started.UTC().Format(time.RFC3339), Properties: junitProperties(r),
	}
	for _, c := range checks {
		tc := junitCase{Name: c.Text, Classname: suite, Status: c.State}
		switch c.State {
		case Passed:
		case Failed:
			tc.Failure = &junitProblem{Message: c.Rule, Type: "failed", Text: joinDetail(c)}
			s.Failures++
		case Error:
			tc.Error = &junitProblem{Message: c.Rule, Type: "no answer", Text: joinDetail(c)}
			s.Errors++
		default:
			tc.Skipped = &junitSkipped{Message: skipMessage(c)}
			s.Skipped++
		}
		s.Cases = append(s.Cases, tc)
	}
	doc := junitSuites{Tests: s.Tests, Errors: s.Errors, Failures: s.Failures, Time: s.Time, Suites: []junitSuite{s}}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("encode JUnit report: %w", err)
	}
	if _, err := io.WriteString(w, xml.Header+string(out)+"\n"); err != nil {
		return fmt.Errorf("write JUnit report: %w", err)
	}
	return nil
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
func junitProperties(r *Report) []junitProperty {
	p := r.Provenance
	props := []junitProperty{
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
		props = append(props, junitProperty{Name: "warning", Value: w})
	}
	for i, c := range r.Causes {
		props = append(props, junitProperty{Name: fmt.Sprintf("cause.%d", i+1), Value: plural(c.Count, "failure") + ": " + c.Title()})
	}
	return props
}
