package conformance

import (
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/enswitch-kit/phones/conformance/outcome"
)

// What a spec may need and the run may not have (target-profile.md), in
// the order the summary lists them: a profile field, room under max_lines,
// or a flag.
const (
	needOtherCustomerLine = "existing.other_customer_line"
	needOtherCustomer     = "existing.other_customer"
	needWholesale         = "accounts.wholesale"
	needRestricted        = "accounts.restricted"
	needNoPlan            = "accounts.no_plan"
	needMaxLines          = "max_lines"
	needCleanup           = "cleanup"
	needFuzzCases         = "--fuzz-cases"
)

var needOrder = []string{needOtherCustomerLine, needOtherCustomer, needWholesale, needRestricted, needNoPlan, needMaxLines, needCleanup, needFuzzCases}

// require skips the spec for want of need, which the run was not given:
// the spec, and each spec its BeforeAll skips, counts as skipped for it
// and makes the run PARTIAL. why says what to set.
func (s *suite) require(need, why string) {
	GinkgoHelper()
	AddReportEntry(outcome.EntryRequirement, outcome.Requirement{Need: need, Why: why}, types.ReportEntryVisibilityNever)
	Skip(why)
}

// observe ends the spec with what it saw where the contract lets the
// target decide: reported, never held against the target.
func (s *suite) observe(why string) {
	GinkgoHelper()
	AddReportEntry(outcome.EntryObservation, outcome.Observation{Why: why}, types.ReportEntryVisibilityNever)
	Skip(why)
}

// costs decorates a spec, or a container whose BeforeAll creates for all
// its specs, with the n lines it may create. It returns the node's code
// location, where the cost is kept: planBudget reads it back from the
// plan, and no label carries it.
func (s *suite) costs(n int) types.CodeLocation {
	at := types.NewCodeLocation(1)
	key := at.String()
	if old, ok := s.lineCosts[key]; ok && old != n {
		panic(fmt.Sprintf("costs(%d) at %s: that node costs %d already", n, key, old))
	}
	s.lineCosts[key] = n
	return at
}

// costAt is the cost declared at a node's location, 0 for none.
func (s *suite) costAt(at types.CodeLocation) int { return s.lineCosts[at.String()] }

// planBudget gives the fuzz specs whatever max_lines leaves after the other
// selected specs (target-profile.md: never more than max_lines). It walks
// the tree register built, without running it: a container's cost counts
// once when any of its selected specs runs, a spec's own for each.
func (s *suite) planBudget() {
	planned := 0
	counted := map[string]bool{}
	for _, spec := range PreviewSpecs("plan").SpecReports {
		if spec.LeafNodeType != types.NodeTypeIt || !Label(spec.Labels()...).MatchesLabelFilter(s.cfg.LabelFilter) {
			continue
		}
		for i, at := range spec.ContainerHierarchyLocations {
			where := strings.Join(spec.ContainerHierarchyTexts[:i+1], "\x00")
			if n := s.costAt(at); n > 0 && !counted[where] {
				counted[where] = true
				planned += n
			}
		}
		planned += s.costAt(spec.LeafNodeLocation)
	}
	s.fuzzLines = max(0, s.prof.MaxLines-planned)
}

// outcomes builds the run's model from r, the report Ginkgo gave.
func (s *suite) outcomes(r types.Report) outcome.Run {
	selected, _ := types.ParseLabelFilter(s.cfg.LabelFilter) // checked in Run
	retried := s.client.Retried()
	run := outcome.Build(r, outcome.Options{
		Selected: selected,
		Kind:     reportCheck,
		Params:   paramsOf,
		Redact:   s.secrets.Redact,
		Stopped:  s.abortReason(),
		Version:  s.view.Version().String(),
	})
	run.Retries = outcome.Retries{Max: s.cfg.Retries, Sent: retried.Sent, Answered: retried.Answered}
	run.Lines = s.lineAccount()
	return run
}

// lineAccount is the ledger's account of the run's lines, every reason
// masked.
func (s *suite) lineAccount() outcome.Lines {
	st := s.ledger.Stats()
	l := outcome.Lines{Max: st.Max, Booked: st.Used, Created: st.Created, Deleted: st.Deleted, Unsure: st.Unsure, Tried: s.ledger.TriedNames()}
	for _, left := range st.Left {
		l.Left = append(l.Left, outcome.Left{Name: left.Name, Why: s.secrets.Redact(left.Why)})
	}
	return l
}
