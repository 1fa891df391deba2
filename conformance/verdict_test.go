package conformance

import (
	"reflect"
	"testing"

	"github.com/enswitch-kit/phones/conformance/outcome"
)

// TestMissingGroupsInFieldOrder: skipped checks are grouped by what they
// need, the groups in the order the profile documents the fields, the
// specs sorted; other states are not missing anything.
func TestMissingGroupsInFieldOrder(t *testing.T) {
	skipped := func(text, need, why string) outcome.Check {
		return outcome.Check{Text: text, State: outcome.Skipped, Need: need, Rule: why}
	}
	got := missing([]outcome.Check{
		skipped("b spec", needNoPlan, "why no_plan"),
		skipped("z spec", needMaxLines, "why max"),
		{Text: "reported spec", State: outcome.Reported, Rule: "the server decides"},
		skipped("a spec", needNoPlan, "why no_plan again"),
		skipped("c spec", needWholesale, "why wholesale"),
		{Text: "not run spec", State: outcome.NotRun, Rule: "not run: the run stopped"},
	})
	want := []Missing{
		{Need: "accounts.wholesale", Why: "why wholesale", Specs: []string{"c spec"}},
		{Need: "accounts.no_plan", Why: "why no_plan", Specs: []string{"a spec", "b spec"}},
		{Need: "max_lines", Why: "why max", Specs: []string{"z spec"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("missing = %+v; want %+v", got, want)
	}
	r := Result{Verdict: outcome.Partial, Run: outcome.Run{Checks: []outcome.Check{
		skipped("b spec", needNoPlan, "why no_plan"), skipped("z spec", needMaxLines, "why max"),
		skipped("a spec", needNoPlan, "why no_plan again"), skipped("c spec", needWholesale, "why wholesale"),
	}}}
	if line := r.Line(); line != "PARTIAL: every spec that ran passed; 4 not run for want of accounts.wholesale (1), accounts.no_plan (2), max_lines (1)" {
		t.Errorf("Line = %q", line)
	}
	if line := (Result{Verdict: outcome.Fail}).Line(); line != "FAIL" {
		t.Errorf("Line = %q; want FAIL", line)
	}
}
