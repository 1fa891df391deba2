package conformance

import (
	"encoding/xml"
	"fmt"
	"os"
	"time"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/enswitch-kit/phones/conformance/report"
)

// writeReports writes the JSON, HTML and JUnit reports the run was asked
// for (docs/reports.md), from the report the suite kept: its specs, and no
// node that is not one. All three carry the run's provenance.
func (s *suite) writeReports(res Result) error {
	if s.cfg.JSONReport == "" && s.cfg.HTMLReport == "" && s.cfg.JUnitReport == "" {
		return nil
	}
	s.mu.Lock()
	r := s.report
	s.mu.Unlock()
	doc := s.certificate(r, res.Verdict.String(), time.Since(s.started))
	if path := s.cfg.JSONReport; path != "" {
		if err := report.WriteJSON(path, doc); err != nil {
			return fmt.Errorf("write JSON report %s: %w", path, err)
		}
	}
	if path := s.cfg.HTMLReport; path != "" {
		if err := writeHTML(path, doc); err != nil {
			return fmt.Errorf("write HTML report %s: %w", path, err)
		}
	}
	if path := s.cfg.JUnitReport; path != "" {
		if err := writeJUnit(r, path, junitProperties(doc)); err != nil {
			return fmt.Errorf("write JUnit report %s: %w", path, err)
		}
	}
	return nil
}

// writeHTML writes reports as one page at path.
func writeHTML(path string, reports ...*report.Report) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := report.WriteHTML(f, reports...); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// MergeReports writes one HTML page at out from JSON reports of one target
// at several Enswitch versions (enswitch-conformance report).
func MergeReports(out string, paths ...string) error {
	var reports []*report.Report
	for _, p := range paths {
		r, err := report.ReadJSON(p)
		if err != nil {
			return err
		}
		reports = append(reports, r)
	}
	merged, err := report.Merge(reports)
	if err != nil {
		return err
	}
	if err := writeHTML(out, merged...); err != nil {
		return fmt.Errorf("write HTML report %s: %w", out, err)
	}
	return nil
}

// junitProperties are the provenance and verdict of doc, as the properties
// of every JUnit test suite, so a CI dashboard shows what was certified.
func junitProperties(doc *report.Report) []reporters.JUnitProperty {
	p := doc.Provenance
	props := []reporters.JUnitProperty{
		{Name: "verdict", Value: doc.Verdict},
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
		props = append(props, reporters.JUnitProperty{Name: "warning", Value: w})
	}
	return props
}

// writeJUnit writes Ginkgo's JUnit report of r with props first among
// each suite's properties, and counts that agree with its test cases and
// with each other: Ginkgo counts an aborted spec as an error while writing
// it as a failure, and sums skipped into the top-level disabled count.
func writeJUnit(r types.Report, path string, props []reporters.JUnitProperty) error {
	cfg := reporters.JunitReportConfig{OmitSuiteSetupNodes: true}
	if err := reporters.GenerateJUnitReportWithConfig(r, path, cfg); err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc reporters.JUnitTestSuites
	if err := xml.Unmarshal(data, &doc); err != nil {
		return err
	}
	notRunWhenAborted(&doc)
	recount(&doc)
	for i := range doc.TestSuites {
		ts := &doc.TestSuites[i]
		ts.Properties.Properties = append(append([]reporters.JUnitProperty(nil), props...), ts.Properties.Properties...)
	}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append([]byte(xml.Header), append(out, '\n')...), 0o644)
}

// notRunWhenAborted turns each spec the run's stop cut short into a
// skipped case that says why, as the summary counts it: not run, never a
// failure of the target.
func notRunWhenAborted(doc *reporters.JUnitTestSuites) {
	for i := range doc.TestSuites {
		for j := range doc.TestSuites[i].TestCases {
			tc := &doc.TestSuites[i].TestCases[j]
			if tc.Status != types.SpecStateAborted.String() {
				continue
			}
			why := "the run stopped"
			switch {
			case tc.Failure != nil:
				why = tc.Failure.Message
			case tc.Error != nil:
				why = tc.Error.Message
			}
			tc.Failure, tc.Error = nil, nil
			tc.Skipped = &reporters.JUnitSkipped{Message: "not run: " + why}
		}
	}
}

// recount sets every count from the test cases themselves.
func recount(doc *reporters.JUnitTestSuites) {
	doc.Tests, doc.Disabled, doc.Errors, doc.Failures = 0, 0, 0, 0
	for i := range doc.TestSuites {
		ts := &doc.TestSuites[i]
		ts.Tests, ts.Disabled, ts.Skipped, ts.Errors, ts.Failures = len(ts.TestCases), 0, 0, 0, 0
		for _, tc := range ts.TestCases {
			switch {
			case tc.Failure != nil:
				ts.Failures++
			case tc.Error != nil:
				ts.Errors++
			case tc.Skipped != nil && tc.Skipped.Message == "pending":
				ts.Disabled++
			case tc.Skipped != nil:
				ts.Skipped++
			}
		}
		doc.Tests += ts.Tests
		doc.Disabled += ts.Disabled
		doc.Errors += ts.Errors
		doc.Failures += ts.Failures
	}
}
