package conformance

import (
	"encoding/xml"
	"fmt"
	"os"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"
)

// writeReports writes the JSON and JUnit reports the run was asked for,
// from the report the suite kept: its specs, and no node that is not one.
func (s *suite) writeReports() error {
	s.mu.Lock()
	r := s.report
	s.mu.Unlock()
	if path := s.cfg.JSONReport; path != "" {
		if err := reporters.GenerateJSONReport(r, path); err != nil {
			return fmt.Errorf("write JSON report %s: %w", path, err)
		}
	}
	if path := s.cfg.JUnitReport; path != "" {
		if err := writeJUnit(r, path); err != nil {
			return fmt.Errorf("write JUnit report %s: %w", path, err)
		}
	}
	return nil
}

// writeJUnit writes Ginkgo's JUnit report of r with counts that agree with
// its test cases and with each other: Ginkgo counts an aborted spec as an
// error while writing it as a failure, and sums skipped into the
// top-level disabled count.
func writeJUnit(r types.Report, path string) error {
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
	recount(&doc)
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append([]byte(xml.Header), append(out, '\n')...), 0o644)
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
