package conformance

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/report"
	"github.com/enswitch-kit/phones/contract"
)

// reports writes the JSON, HTML and JUnit reports a run was asked for
// (docs/reports.md), each a rendering of the run's one model with its
// verdict; all three carry the run's provenance.
type reports struct {
	cfg      Config
	version  string   // the Enswitch version the run holds the target to
	params   []string // the version's parameters, the matrix's rows
	started  time.Time
	warnings []string
}

// wanted says some report was asked for.
func (w reports) wanted() bool {
	return w.cfg.JSONReport != "" || w.cfg.HTMLReport != "" || w.cfg.JUnitReport != ""
}

// write writes every report asked for of run, whose verdict outcome.Judge
// gave.
func (w reports) write(run outcome.Run, verdict outcome.Verdict) error {
	if !w.wanted() {
		return nil
	}
	doc := w.document(run, verdict)
	if path := w.cfg.JSONReport; path != "" {
		if err := report.WriteJSON(path, doc); err != nil {
			return fmt.Errorf("write JSON report %s: %w", path, err)
		}
	}
	if path := w.cfg.HTMLReport; path != "" {
		if err := writePage(path, func(f io.Writer) error { return report.WriteHTML(f, doc) }); err != nil {
			return fmt.Errorf("write HTML report %s: %w", path, err)
		}
	}
	if path := w.cfg.JUnitReport; path != "" {
		if err := writePage(path, func(f io.Writer) error { return report.WriteJUnit(f, doc, run) }); err != nil {
			return fmt.Errorf("write JUnit report %s: %w", path, err)
		}
	}
	return nil
}

// document is run as the reports hold it, with its verdict and
// provenance. Every text in the model is masked already.
func (w reports) document(run outcome.Run, verdict outcome.Verdict) *report.Report {
	return report.New(w.provenance(time.Since(w.started)), run, verdict, w.params)
}

// provenance says what ran against what: the target, the tool, the
// contract's digest, the seed and the profile with its secrets masked.
func (w reports) provenance(elapsed time.Duration) report.Provenance {
	return report.Provenance{
		BaseURL:        w.cfg.Profile.BaseURL,
		TargetVersion:  w.version,
		Tool:           "enswitch-conformance",
		ToolVersion:    w.cfg.ToolVersion,
		ToolRevision:   w.cfg.ToolRevision,
		ContractSHA256: contract.Digest(),
		Seed:           w.cfg.Seed,
		Replay:         w.replayCommand(),
		Profile:        w.cfg.Profile.Masked(),
		Started:        w.started,
		Seconds:        elapsed.Seconds(),
		Warnings:       w.warnings,
	}
}

// replayCommand is the command line that sends the run's inputs again.
func (w reports) replayCommand() string {
	cmd := fmt.Sprintf("enswitch-conformance --profile PROFILE --seed %d --fuzz-cases %d --model-sequences %d", w.cfg.Seed, w.cfg.FuzzCases, w.cfg.ModelSequences)
	if w.cfg.ModelReplay != "" {
		cmd += " --model-replay " + w.cfg.ModelReplay
	}
	if w.cfg.LabelFilter != "" {
		cmd += fmt.Sprintf(" --label-filter '%s'", w.cfg.LabelFilter)
	}
	return cmd
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
