package conformance

import (
	"fmt"
	"os"
	"time"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/report"
)

// writeReports writes the JSON, HTML and JUnit reports the run was asked
// for (docs/reports.md), each a rendering of run, the run's one model. All
// three carry the run's provenance.
func (s *suite) writeReports(res Result, run outcome.Run) error {
	if s.cfg.JSONReport == "" && s.cfg.HTMLReport == "" && s.cfg.JUnitReport == "" {
		return nil
	}
	doc := s.certificate(run, res.Verdict.String(), time.Since(s.started))
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
		if err := writeJUnit(path, doc, run); err != nil {
			return fmt.Errorf("write JUnit report %s: %w", path, err)
		}
	}
	return nil
}

// writeJUnit writes every selected check of run, those it did not get to
// included, as JUnit at path, with doc's provenance.
func writeJUnit(path string, doc *report.Report, run outcome.Run) error {
	var checks []report.Spec
	for _, c := range run.Checks {
		if c.State != outcome.NotSelected {
			checks = append(checks, reportSpec(c))
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := report.WriteJUnit(f, doc, run.Suite, checks); err != nil {
		f.Close()
		return err
	}
	return f.Close()
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
