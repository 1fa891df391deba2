package conformance

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	phones "github.com/enswitch-kit/phones"
	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/report"
)

// Labels that split the validation specs into the matrix's two columns.
const (
	LabelAccepted = "accepted"
	LabelRefused  = "refused"
)

// reportCheck is the report's kind of check for a spec, from its labels
// and its own.
func reportCheck(labels, own []string) string {
	has := func(l string) bool { return slices.Contains(labels, l) }
	for _, l := range labels {
		if strings.HasPrefix(l, "settled:") {
			return report.CheckSettled // also labelled codes or validation
		}
	}
	switch checkOf(labels, own) {
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

// certificate is the run as the reports hold it, with its verdict and
// provenance. Every text in the model is masked already.
func (s *suite) certificate(run outcome.Run, verdict outcome.Verdict, elapsed time.Duration) *report.Report {
	var params []string
	for _, p := range s.view.Params() {
		params = append(params, p.Name)
	}
	return report.New(s.provenance(s.started, elapsed), run, verdict, params)
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
