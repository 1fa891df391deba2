package conformance

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	phones "github.com/enswitch-kit/phones"
	"github.com/enswitch-kit/phones/conformance/report"
)

// Labels that split the validation specs into the matrix's two columns.
const (
	LabelAccepted = "accepted"
	LabelRefused  = "refused"
)

// reportCheck is the report's kind of check for a spec, from its labels.
func reportCheck(sr types.SpecReport) string {
	labels := sr.Labels()
	has := func(l string) bool { return slices.Contains(labels, l) }
	for _, l := range labels {
		if strings.HasPrefix(l, "settled:") {
			return report.CheckSettled // also labelled codes or validation
		}
	}
	switch checkOf(sr) {
	case LabelDefaults:
		return report.CheckDefault
	case LabelRoundTrip:
		return report.CheckRoundTrip
	case LabelValidation:
		if has(LabelAccepted) {
			return report.CheckAccepted
		}
		return report.CheckRefused
	case LabelVersionHistory:
		return report.CheckHistory
	case LabelCodes:
		return report.CheckCodes
	case LabelTransport:
		return report.CheckTransport
	case LabelFuzz:
		return report.CheckFuzz
	case LabelCleanup:
		return report.CheckCleanup
	}
	return report.CheckOther
}

// reportState is a spec's state in the report's words, given why it was
// skipped: "" for specs that did not run and were not skipped with a
// reason. A skip for want of a profile field or flag is skipped; one that
// reports what the target decides is reported.
func reportState(sr types.SpecReport, why string) string {
	switch {
	case sr.State == types.SpecStatePassed:
		return report.Passed
	case sr.State == types.SpecStateAborted || sr.State == types.SpecStateInterrupted:
		return "" // cut short by a stop or a signal: not run
	case sr.State.Is(types.SpecStateFailureStates):
		return report.Failed
	case sr.State != types.SpecStateSkipped || sr.Failure.Message == "":
		return ""
	case enabler(why) != "":
		return report.Skipped
	}
	return report.Reported
}

// certificate is the run as the JSON and HTML reports hold it. Every text
// in it comes from the suite's masked failure messages or is masked here.
func (s *suite) certificate(r types.Report, verdict string, elapsed time.Duration) *report.Report {
	doc := &report.Report{
		Provenance: s.provenance(s.started, elapsed),
		Verdict:    verdict,
		Stopped:    s.abortReason(),
	}
	selected, _ := types.ParseLabelFilter(s.cfg.LabelFilter) // checked in Run
	reason := skipReasons(r.SpecReports)
	for _, sr := range r.SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt {
			continue
		}
		why := sr.Failure.Message
		if sr.State == types.SpecStateSkipped {
			why = reason(sr)
		}
		state := reportState(sr, why)
		if state == "" {
			if selected == nil || selected(sr.Labels()) {
				doc.Counts.NotRun++
			}
			continue
		}
		rule, detail, _ := strings.Cut(s.secrets.Redact(why), "\n")
		doc.Specs = append(doc.Specs, report.Spec{
			Text: s.secrets.Redact(sr.FullText()), Check: reportCheck(sr), Params: paramsOf(sr),
			State: state, Rule: rule, Detail: strings.TrimRight(detail, "\n"),
		})
	}
	var params []string
	for _, p := range s.view.Params() {
		params = append(params, p.Name)
	}
	doc.Build(params)
	s.mu.Lock()
	for _, rec := range s.fuzz {
		doc.Fuzz = append(doc.Fuzz, report.Fuzz{What: rec.What, Cases: rec.Cases, Created: rec.Created, Failed: rec.Failed,
			Requests: rec.Requests, Seconds: rec.Elapsed.Seconds(), Shrunk: rec.Shrunk})
	}
	s.mu.Unlock()
	st := s.ledger.Stats()
	doc.Lines = report.Lines{Max: st.Max, Booked: st.Used, Created: st.Created, Deleted: st.Deleted, Unsure: st.Unsure, Tried: s.ledger.TriedNames()}
	for _, l := range st.Left {
		doc.Lines.Left = append(doc.Lines.Left, report.Left{Name: l.Name, Why: s.secrets.Redact(l.Why)})
	}
	return doc
}

// provenance says what ran against what: the target, the tool, the
// contract's digest, the seed and the profile with its secrets masked.
func (s *suite) provenance(started time.Time, elapsed time.Duration) report.Provenance {
	sum := sha256.Sum256(phones.OpenAPI)
	return report.Provenance{
		BaseURL:        s.prof.BaseURL,
		TargetVersion:  s.view.Version().String(),
		Tool:           "enswitch-conformance",
		ToolVersion:    s.cfg.ToolVersion,
		ToolRevision:   s.cfg.ToolRevision,
		ContractSHA256: hex.EncodeToString(sum[:]),
		Seed:           s.cfg.Seed,
		Replay:         s.replayCommand(),
		Profile:        s.prof.Masked(),
		Started:        started,
		Seconds:        elapsed.Seconds(),
		Warnings:       s.warnings(),
	}
}

// replayCommand is the command line that sends the run's inputs again.
func (s *suite) replayCommand() string {
	cmd := fmt.Sprintf("enswitch-conformance --profile PROFILE --seed %d --fuzz-cases %d", s.cfg.Seed, s.cfg.FuzzCases)
	if s.cfg.LabelFilter != "" {
		cmd += fmt.Sprintf(" --label-filter '%s'", s.cfg.LabelFilter)
	}
	return cmd
}
