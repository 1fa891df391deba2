package conformance

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/report"
)

// writeReports writes the JSON, HTML and JUnit reports the run was asked
// for (docs/reports.md), each a rendering of run, the run's one model,
// with the verdict outcome.Judge gives it. All three carry the run's
// provenance.
func (s *suite) writeReports(run outcome.Run) error {
	if s.cfg.JSONReport == "" && s.cfg.HTMLReport == "" && s.cfg.JUnitReport == "" {
		return nil
	}
	doc := s.certificate(run, outcome.Judge(run), time.Since(s.started))
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
	return writePage(path, func(w io.Writer) error { return report.WriteJUnit(w, doc, run) })
}

// writeHTML writes reports as one page at path.
func writeHTML(path string, reports ...*report.Report) error {
	return writePage(path, func(w io.Writer) error { return report.WriteHTML(w, reports...) })
}

// writePage creates path and writes a page there with write.
func writePage(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// MergeReports writes one HTML page at out from JSON reports: one target
// at several Enswitch versions, and its runs over time (enswitch-conformance
// report). Reports of different targets are a *report.DifferentTargetsError
// unless allowDifferentTargets.
func MergeReports(out string, allowDifferentTargets bool, paths ...string) error {
	var reports []*report.Report
	for _, p := range paths {
		r, err := report.ReadJSON(p)
		if err != nil {
			return err
		}
		reports = append(reports, r)
	}
	merged, err := report.Merge(reports, allowDifferentTargets)
	if err != nil {
		return err
	}
	if err := writePage(out, func(w io.Writer) error { return report.WriteMerged(w, merged) }); err != nil {
		return fmt.Errorf("write HTML report %s: %w", out, err)
	}
	return nil
}
