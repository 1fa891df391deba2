package conformance

import (
	"reflect"
	"strings"
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

// TestInconclusiveVerdict: requests that got no answer, in checks or in a
// phase's cases, turn a run that would pass or be partial into
// INCONCLUSIVE with the counts by kind, and the summary counts them by
// function; a failure stays FAIL.
func TestInconclusiveVerdict(t *testing.T) {
	reset := outcome.Check{Text: "reset", State: outcome.Error, Unanswered: &outcome.Unanswered{Function: "phones/create", Kind: "reset", Count: 1}}
	var checks []outcome.Check
	for range 7 {
		checks = append(checks, reset)
	}
	fuzz := outcome.Phase{Name: "fuzz", What: "valid combinations", Cases: 40, Unanswered: []outcome.Unanswered{
		{Function: "phones/create", Kind: "reset", Count: 20}, {Function: "phones/get", Kind: "timeout", Count: 4}}}
	passed := outcome.Check{Text: "passed", State: outcome.Passed}
	cases := []struct {
		name   string
		checks []outcome.Check
		want   outcome.Verdict
		line   string
	}{
		{"would pass", append([]outcome.Check{passed}, checks...), outcome.Inconclusive, "INCONCLUSIVE: 31 checks got no answer (reset 27, timeout 4); 0 contract failures"},
		{"would be partial", append([]outcome.Check{passed, {Text: "skipped", State: outcome.Skipped, Need: needMaxLines}}, checks...), outcome.Inconclusive,
			"INCONCLUSIVE: 31 checks got no answer (reset 27, timeout 4); 0 contract failures"},
		{"failed", append([]outcome.Check{passed, {Text: "failed", State: outcome.Failed}}, checks...), outcome.Fail, "FAIL"},
	}
	one := Result{Verdict: outcome.Inconclusive, Run: outcome.Run{Checks: []outcome.Check{passed, reset}}}
	if got := one.Line(); got != "INCONCLUSIVE: 1 check got no answer (reset 1); 0 contract failures" {
		t.Errorf("one target error: %q; want the singular", got)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			got := summarize(t, &out, outcome.Run{Checks: tc.checks, Phases: []outcome.Phase{fuzz}})
			if got.Verdict != tc.want || got.Line() != tc.line {
				t.Errorf("verdict %s, line %q; want %s, %q", got.Verdict, got.Line(), tc.want, tc.line)
			}
			if !strings.Contains(out.String(), "target errors: 31 checks got no answer (reset 27, timeout 4), by function: phones/create 27, phones/get 4") {
				t.Errorf("summary lacks the target errors:\n%s", out.String())
			}
		})
	}
}
