package conformance

import (
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
	needModelSequences    = "--model-sequences"
)

var needOrder = []string{needOtherCustomerLine, needOtherCustomer, needWholesale, needRestricted, needNoPlan, needMaxLines, needCleanup, needFuzzCases, needModelSequences}

// require skips the running spec for want of need, which the run was not
// given: the spec, and each spec its BeforeAll skips, counts as skipped
// for it and makes the run PARTIAL. why says what to set. It records the
// requirement as data (outcome.Requirement); nothing reads the message.
func require(need, why string) {
	GinkgoHelper()
	AddReportEntry(outcome.EntryRequirement, outcome.Requirement{Need: need, Why: why}, types.ReportEntryVisibilityNever)
	Skip(why)
}

// observe ends the running spec with what it saw where the contract lets
// the target decide: reported, never held against the target.
func observe(why string) {
	GinkgoHelper()
	AddReportEntry(outcome.EntryObservation, outcome.Observation{Why: why}, types.ReportEntryVisibilityNever)
	Skip(why)
}
