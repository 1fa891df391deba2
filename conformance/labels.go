package conformance

import (
	"slices"
	"strconv"
	"strings"

	"github.com/enswitch-kit/phones/conformance/report"
	"github.com/enswitch-kit/phones/contract"
)

// Labels of the suite, one per kind of check, plus since:X.Y on
// version-history specs, param:NAME on per-parameter ones and settled:N
// on the checks of a settled point (docs/conformance.md: labels).
const (
	LabelCodes          = "codes"
	LabelDefaults       = "defaults"
	LabelRoundTrip      = "round-trip"
	LabelValidation     = "validation"
	LabelVersionHistory = "version-history"
	LabelTransport      = "transport"
	LabelFuzz           = "fuzz"
	LabelModel          = "model"
	LabelCleanup        = "cleanup"
)

// Labels that split the validation specs into the matrix's two columns.
const (
	LabelAccepted = "accepted"
	LabelRefused  = "refused"
)

// labelPreflight marks the one check a run that stops at its preflight
// reports.
const labelPreflight = "preflight"

// LabelNearMiss marks the values computed next to what a parameter
// accepts, before any fuzzing.
const LabelNearMiss = "near-miss"

// checkLabels are the labels that name a kind of check, in summary order.
var checkLabels = []string{LabelDefaults, LabelRoundTrip, LabelValidation, LabelCodes, LabelVersionHistory, LabelTransport, LabelFuzz, LabelModel, LabelCleanup}

func paramLabel(name string) string { return "param:" + name }

func sinceLabel(v contract.Version) string { return "since:" + v.String() }

func settledLabel(n int) string { return "settled:" + strconv.Itoa(n) }

// checkOf is the kind of check a spec's labels name: its own label first,
// then its containers'.
func checkOf(labels, own []string) string {
	for _, set := range [][]string{own, labels} {
		for _, l := range checkLabels {
			if slices.Contains(set, l) {
				return l
			}
		}
	}
	return "other"
}

// paramsOf are the parameters a spec's labels name.
func paramsOf(labels []string) []string {
	var out []string
	for _, l := range labels {
		if name, ok := strings.CutPrefix(l, "param:"); ok {
			out = append(out, name)
		}
	}
	return out
}

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
	case LabelModel:
		return report.CheckModel
	case LabelCleanup:
		return report.CheckCleanup
	}
	return report.CheckOther
}
