package conformance

import (
	"reflect"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

// TestEnabler: a skip that names a profile field or a flag is counted
// against it, the longer field name first; a skip that only reports what
// the target did is not.
func TestEnabler(t *testing.T) {
	cases := map[string]string{
		"target-profile.md: set existing.other_customer_line to check that copy_password refuses a line of another customer": "existing.other_customer_line",
		"target-profile.md: set existing.other_customer to check that create refuses a customer outside the subtree":         "existing.other_customer",
		"target-profile.md: the profile has no accounts.no_plan; set it to run this check":                                   "accounts.no_plan",
		"target-profile.md: max_lines is 5 and 5 lines were already created; this check needs 1 more":                        "max_lines",
		"target-profile.md: cleanup is none; set cleanup to the delete function to check it":                                 "cleanup",
		"--fuzz-cases is 0":                             "--fuzz-cases",
		"target-profile.md: something new\nsecond line": "target-profile.md: something new",
		"vendor page: no default documented for allowed_ua (reported, not asserted)":       "",
		"wire-contract.md: the server decides which ids exist; the suite relies only on 0": "",
	}
	for message, want := range cases {
		if got := enabler(message); got != want {
			t.Errorf("enabler(%q) = %q; want %q", message, got, want)
		}
	}
}

// TestMissingGroupsInFieldOrder: specs are grouped by what they need, the
// groups in the order the profile documents the fields, the specs sorted.
func TestMissingGroupsInFieldOrder(t *testing.T) {
	got := missing([]unmet{
		{"b spec", "accounts.no_plan", "why no_plan"},
		{"z spec", "max_lines", "why max"},
		{"a spec", "accounts.no_plan", "why no_plan again"},
		{"c spec", "accounts.wholesale", "why wholesale"},
	})
	want := []Missing{
		{Need: "accounts.wholesale", Why: "why wholesale", Specs: []string{"c spec"}},
		{Need: "accounts.no_plan", Why: "why no_plan", Specs: []string{"a spec", "b spec"}},
		{Need: "max_lines", Why: "why max", Specs: []string{"z spec"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("missing = %+v; want %+v", got, want)
	}
	r := Result{Verdict: VerdictPartial, Missing: want}
	if line := r.Line(); line != "PARTIAL: every spec that ran passed; 4 not run for want of accounts.wholesale (1), accounts.no_plan (2), max_lines (1)" {
		t.Errorf("Line = %q", line)
	}
	if line := (Result{Verdict: VerdictFail}).Line(); line != "FAIL" {
		t.Errorf("Line = %q; want FAIL", line)
	}
}

// TestSkipReasonsOfABeforeAll: specs a BeforeAll skipped take the reason a
// spec within their enclosing container was given.
func TestSkipReasonsOfABeforeAll(t *testing.T) {
	skipped := func(message string, containers ...string) types.SpecReport {
		return types.SpecReport{State: types.SpecStateSkipped, ContainerHierarchyTexts: containers, Failure: types.Failure{Message: message}}
	}
	const budget = "target-profile.md: max_lines is 5"
	reports := types.SpecReports{
		skipped(budget, "phones/create", "when only the required parameters are given", "reads back"),
		skipped(skippedInBeforeAll, "phones/create", "when only the required parameters are given", "stores the defaults"),
		skipped(skippedInBeforeAll, "elsewhere"),
	}
	reason := skipReasons(reports)
	for i, want := range []string{budget, budget, skippedInBeforeAll} {
		if got := reason(reports[i]); got != want {
			t.Errorf("reason(report %d) = %q; want %q", i, got, want)
		}
	}
}
