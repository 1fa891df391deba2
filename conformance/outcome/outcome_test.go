package outcome_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/enswitch-kit/phones/conformance/outcome"
)

// at is a code location in a spec file.
func at(line int) types.CodeLocation {
	return types.CodeLocation{FileName: "specs.go", LineNumber: line}
}

// spec is an It at line in containers, in state, with entries.
func spec(line int, state types.SpecState, containers []string, entries ...types.ReportEntry) types.SpecReport {
	return types.SpecReport{
		LeafNodeType: types.NodeTypeIt, LeafNodeText: "spec " + string(rune('a'+line%26)), LeafNodeLocation: at(line),
		ContainerHierarchyTexts: containers, State: state, ReportEntries: entries,
	}
}

func withEntry(name string, value any, order int) types.ReportEntry {
	return types.ReportEntry{Name: name, Value: types.WrapEntryValue(value), TimelineLocation: types.TimelineLocation{Order: order}}
}

// skippedBy is a spec Skip ended at line skipAt (its own line when Ginkgo
// skipped it for its ordered container).
func skippedBy(s types.SpecReport, skipAt int, message string) types.SpecReport {
	s.Failure = types.Failure{Message: message, Location: at(skipAt), FailureNodeType: types.NodeTypeIt}
	return s
}

func build(t *testing.T, specs ...types.SpecReport) outcome.Run {
	t.Helper()
	return outcome.Build(types.Report{SuiteDescription: "suite", SpecReports: specs}, outcome.Options{
		Selected: func(labels []string) bool { return !slices.Contains(labels, "left-out") },
		Stopped:  "the target stopped answering",
		Redact:   func(s string) string { return strings.ReplaceAll(s, "s3cret", "*****") },
	})
}

// TestBuildStates: each spec's state comes from Ginkgo's state and its
// typed entries, never from its message: a message that looks like a
// requirement does not make one.
func TestBuildStates(t *testing.T) {
	top := []string{"phones/create"}
	failed := spec(1, types.SpecStateFailed, top, withEntry(outcome.EntryExpectation, outcome.Expectation{Rule: "r", Want: "code 400", Got: "code 201 s3cret",
		Due: "400", Answer: &outcome.Answer{Function: "phones/create", Status: 200, Code: "201", Message: "OK s3cret"}}, 1))
	failed.Failure = types.Failure{Message: "vendor page: acr accepts 0, 1\n  want code 400; got code 201\n  request: s3cret\n", TimelineLocation: types.TimelineLocation{Order: 2}}
	aborted := spec(2, types.SpecStateAborted, top)
	aborted.Failure = types.Failure{Message: "the target refused load"}
	leftOut := spec(8, types.SpecStateSkipped, top)
	leftOut.LeafNodeLabels = []string{"left-out"}
	noAnswer := struct{ Function, Kind string }{"phones/create", "timeout"} // another package's type
	cases := []struct {
		name string
		spec types.SpecReport
		want outcome.Check
	}{
		{"passed", spec(0, types.SpecStatePassed, top), outcome.Check{State: outcome.Passed}},
		{"failed", failed, outcome.Check{State: outcome.Failed, Rule: "vendor page: acr accepts 0, 1",
			Detail: "  want code 400; got code 201\n  request: *****", Want: "code 400", Got: "code 201 *****",
			Due: "400", Answer: &outcome.Answer{Function: "phones/create", Status: 200, Code: "201", Message: "OK *****"}}},
		{"aborted", aborted, outcome.Check{State: outcome.NotRun, Rule: "not run: the target refused load"}},
		{"requirement", skippedBy(spec(3, types.SpecStateSkipped, top, withEntry(outcome.EntryRequirement,
			outcome.Requirement{Need: "accounts.no_plan", Why: "target-profile.md: set accounts.no_plan"}, 1)), 30, "target-profile.md: set accounts.no_plan"),
			outcome.Check{State: outcome.Skipped, Need: "accounts.no_plan", Rule: "target-profile.md: set accounts.no_plan"}},
		{"observation", skippedBy(spec(4, types.SpecStateSkipped, top, withEntry(outcome.EntryObservation,
			outcome.Observation{Why: "the server decides"}, 1)), 40, "the server decides"),
			outcome.Check{State: outcome.Reported, Rule: "the server decides"}},
		{"target error", skippedBy(spec(5, types.SpecStateSkipped, top, withEntry(outcome.EntryUnanswered, noAnswer, 1)), 50, "phones/create: no answer (timeout)"),
			outcome.Check{State: outcome.Error, Rule: "phones/create: no answer (timeout)", Unanswered: &outcome.Unanswered{Function: "phones/create", Kind: "timeout", Count: 1}}},
		{"a skip that declares nothing", skippedBy(spec(6, types.SpecStateSkipped, top), 60, "target-profile.md: set accounts.wholesale"),
			outcome.Check{State: outcome.Reported, Rule: "target-profile.md: set accounts.wholesale"}},
		{"left after a stop", spec(7, types.SpecStateSkipped, top), outcome.Check{State: outcome.NotRun, Rule: "not run: the target stopped answering"}},
		{"not selected", leftOut, outcome.Check{State: outcome.NotSelected, Rule: "not selected by the label filter"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			run := build(t, tc.spec)
			if len(run.Checks) != 1 {
				t.Fatalf("%d checks; want 1", len(run.Checks))
			}
			got := run.Checks[0]
			got.Text, got.Labels, got.OwnLabels = "", nil, nil
			if !equal(got, tc.want) {
				t.Errorf("check = %+v; want %+v", got, tc.want)
			}
		})
	}
}

func equal(a, b outcome.Check) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// TestBuildInheritsFromTheOrderedContainer: specs Ginkgo skipped because
// their ordered container's BeforeAll skipped take the requirement the
// container's first spec declared, a table's entries included; those of a
// container whose first step failed did not run; a spec elsewhere is not
// touched.
func TestBuildInheritsFromTheOrderedContainer(t *testing.T) {
	budget := outcome.Requirement{Need: "max_lines", Why: "target-profile.md: max_lines is 4"}
	defaults := []string{"phones/create", "when only the required parameters are given"}
	table := append(slices.Clone(defaults), "stores the documented default")
	broken := []string{"phones/create", "when every optional parameter is given"}
	first := skippedBy(spec(10, types.SpecStateSkipped, defaults, withEntry(outcome.EntryRequirement, budget, 1)), 99, budget.Why)
	firstFailed := spec(20, types.SpecStateFailed, broken)
	firstFailed.Failure = types.Failure{Message: "vendor page: 204 Success", Location: at(98)}
	run := build(t,
		first,
		skippedBy(spec(11, types.SpecStateSkipped, defaults), 11, "Spec skipped because Skip() was called in BeforeAll"),
		skippedBy(spec(12, types.SpecStateSkipped, table), 12, "Spec skipped because Skip() was called in BeforeAll"),
		firstFailed,
		skippedBy(spec(21, types.SpecStateSkipped, broken), 21, "Spec skipped because a BeforeAll node failed"),
		spec(30, types.SpecStatePassed, []string{"phones/create", "elsewhere"}),
	)
	want := map[int]outcome.State{10: outcome.Skipped, 11: outcome.Skipped, 12: outcome.Skipped, 20: outcome.Failed, 21: outcome.NotRun, 30: outcome.Passed}
	if r := checkAt(t, run, 21).Rule; r != "not run: its ordered container stopped before it" {
		t.Errorf("check after a failed BeforeAll: rule %q; want it to say its container stopped", r)
	}
	for line, state := range want {
		if c := checkAt(t, run, line); c.State != state {
			t.Errorf("check of line %d: state %s; want %s", line, c.State, state)
		}
	}
	for _, line := range []int{11, 12} {
		if c := checkAt(t, run, line); c.Need != "max_lines" || c.Rule != budget.Why {
			t.Errorf("check of line %d: need %q, rule %q; want the container's %q, %q", line, c.Need, c.Rule, budget.Need, budget.Why)
		}
	}
	if got := run.Count(outcome.Skipped); got != 3 {
		t.Errorf("Count(skipped) = %d; want 3", got)
	}
	if run.Suite != "suite" {
		t.Errorf("Suite = %q; want the report's description", run.Suite)
	}
}

// checkAt is the check of the spec at line (spec's text names it).
func checkAt(t *testing.T, run outcome.Run, line int) outcome.Check {
	t.Helper()
	name := "spec " + string(rune('a'+line%26))
	for _, c := range run.Checks {
		if strings.HasSuffix(c.Text, " "+name) {
			return c
		}
	}
	t.Fatalf("no check of line %d (%s)", line, name)
	return outcome.Check{}
}

// TestBuildOrdersChecksByText: the checks' order is their texts', not the
// order they ran in, so two runs with different seeds list them alike.
func TestBuildOrdersChecksByText(t *testing.T) {
	specs := []types.SpecReport{
		spec(2, types.SpecStatePassed, []string{"phones/create", "when b"}),
		spec(1, types.SpecStateFailed, []string{"phones/create", "when a"}),
		spec(3, types.SpecStatePassed, []string{"transport"}),
		spec(0, types.SpecStatePassed, []string{"phones/create", "when b"}),
	}
	want := []string{"phones/create when a spec b", "phones/create when b spec a", "phones/create when b spec c", "transport spec d"}
	for _, order := range [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {2, 0, 3, 1}} {
		var ran []types.SpecReport
		for _, i := range order {
			ran = append(ran, specs[i])
		}
		var got []string
		for _, c := range build(t, ran...).Checks {
			got = append(got, c.Text)
		}
		if !slices.Equal(got, want) {
			t.Errorf("specs run in order %v: checks %q; want %q", order, got, want)
		}
	}
}

// TestBuildReadsEntriesBackFromJSON: a report read back from JSON (its
// entries' values then decoded maps) gives the same outcome.
func TestBuildReadsEntriesBackFromJSON(t *testing.T) {
	s := skippedBy(spec(1, types.SpecStateSkipped, []string{"x"}, withEntry(outcome.EntryRequirement, outcome.Requirement{Need: "cleanup", Why: "cleanup is none"}, 1)), 9, "cleanup is none")
	data, err := json.Marshal(types.Report{SpecReports: types.SpecReports{s}})
	if err != nil {
		t.Fatal(err)
	}
	var back types.Report
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	run := outcome.Build(back, outcome.Options{})
	if c := run.Checks[0]; c.State != outcome.Skipped || c.Need != "cleanup" {
		t.Errorf("check = %+v; want skipped for want of cleanup", c)
	}
}

// TestBuildKeepsPhasesInTheOrderTheyRan: each phase a spec recorded is
// in the run, in the order the specs ran; a record read back from JSON
// too.
func TestBuildKeepsPhasesInTheOrderTheyRan(t *testing.T) {
	fuzz := []string{"phones/create under fuzzing"}
	b := spec(1, types.SpecStatePassed, fuzz, withEntry(outcome.EntryPhase, outcome.Phase{Name: "fuzz", What: "b", Cases: 2}, 1))
	a := spec(0, types.SpecStateFailed, fuzz, withEntry(outcome.EntryPhase, map[string]any{"phase": "fuzz", "what": "a", "cases": 3,
		"unanswered": []map[string]any{{"function": "phones/get", "kind": "reset", "count": 1}}}, 1))
	run := build(t, b, a)
	if len(run.Phases) != 2 || run.Phases[0].What != "b" || run.Phases[1].What != "a" {
		t.Fatalf("phases = %+v; want b then a, as they ran", run.Phases)
	}
	if got := run.Unanswered(); len(got) != 1 || got[0] != (outcome.Unanswered{Function: "phones/get", Kind: "reset", Count: 1}) {
		t.Errorf("Unanswered = %+v; want the phase's get", got)
	}
}

// TestJudge: the verdict comes from the model alone, worst first: a
// failure, a stop, a suite failed outside its checks or nothing run is
// FAIL; then a request with no answer, in a check or a phase, is
// INCONCLUSIVE; then a skip for want of something is PARTIAL.
func TestJudge(t *testing.T) {
	passed := outcome.Check{State: outcome.Passed}
	unanswered := outcome.Check{State: outcome.Error, Unanswered: &outcome.Unanswered{Function: "phones/create", Kind: "reset", Count: 1}}
	skipped := outcome.Check{State: outcome.Skipped, Need: "max_lines"}
	silentPhase := outcome.Phase{Name: "fuzz", Cases: 4, Unanswered: []outcome.Unanswered{{Function: "phones/get", Kind: "timeout", Count: 2}}}
	cases := []struct {
		name string
		run  outcome.Run
		want outcome.Verdict
	}{
		{"every check passed", outcome.Run{Checks: []outcome.Check{passed, {State: outcome.Reported}, {State: outcome.NotSelected}}}, outcome.Pass},
		{"a skip", outcome.Run{Checks: []outcome.Check{passed, skipped}}, outcome.Partial},
		{"a check with no answer", outcome.Run{Checks: []outcome.Check{passed, skipped, unanswered}}, outcome.Inconclusive},
		{"a phase's case with no answer", outcome.Run{Checks: []outcome.Check{passed}, Phases: []outcome.Phase{silentPhase}}, outcome.Inconclusive},
		{"a failure", outcome.Run{Checks: []outcome.Check{passed, unanswered, {State: outcome.Failed}}}, outcome.Fail},
		{"a stop", outcome.Run{Checks: []outcome.Check{passed}, Stopped: "interrupted by SIGINT"}, outcome.Fail},
		{"a suite failed outside its checks", outcome.Run{Checks: []outcome.Check{passed}, SuiteFailed: true}, outcome.Fail},
		{"nothing ran", outcome.Run{Checks: []outcome.Check{skipped, {State: outcome.Reported}}}, outcome.Fail},
	}
	for _, tc := range cases {
		if got := outcome.Judge(tc.run); got != tc.want {
			t.Errorf("%s: Judge = %s; want %s", tc.name, got, tc.want)
		}
	}
}

// TestTally: counts by kind and by function, printed largest first.
func TestTally(t *testing.T) {
	us := []outcome.Unanswered{
		{Function: "phones/create", Kind: "reset", Count: 20},
		{Function: "phones/get", Kind: "timeout", Count: 4},
		{Function: "phones/create", Kind: "reset", Count: 7},
	}
	if got := outcome.ByKind(us).String(); got != "reset 27, timeout 4" {
		t.Errorf("ByKind = %q; want reset 27, timeout 4", got)
	}
	if got := outcome.ByFunction(us).String(); got != "phones/create 27, phones/get 4" {
		t.Errorf("ByFunction = %q", got)
	}
	if got := outcome.Sum(us); len(got) != 2 || got[0].Count != 27 {
		t.Errorf("Sum = %+v; want phones/create reset 27 first", got)
	}
}
