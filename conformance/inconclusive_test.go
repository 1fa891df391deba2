package conformance

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

// spec is a report of one It in the containers given.
func spec(state types.SpecState, message string, entry *Unanswered, containers ...string) types.SpecReport {
	sr := types.SpecReport{LeafNodeType: types.NodeTypeIt, State: state, ContainerHierarchyTexts: containers, Failure: types.Failure{Message: message}}
	if entry != nil {
		sr.ReportEntries = types.ReportEntries{{Name: targetErrorEntry, Value: types.WrapEntryValue(*entry)}}
	}
	return sr
}

// TestCountTargetErrors: a check that recorded no answer counts, and so
// does each spec its ordered container's BeforeAll skipped for it; a
// BeforeAll skip for another reason, a pass and a failure do not.
func TestCountTargetErrors(t *testing.T) {
	reset := &Unanswered{Function: "phones/create", Kind: "reset"}
	timeout := &Unanswered{Function: "phones/get", Kind: "timeout"}
	reports := types.SpecReports{
		spec(types.SpecStateSkipped, targetErrorPrefix+"…", reset, "phones/create", "when only the required parameters are given"),
		spec(types.SpecStateSkipped, skippedInBeforeAll, nil, "phones/create", "when only the required parameters are given"),
		spec(types.SpecStateSkipped, skippedInBeforeAll, nil, "phones/create", "when only the required parameters are given"),
		spec(types.SpecStateSkipped, targetErrorPrefix+"…", timeout, "the wire"),
		spec(types.SpecStateSkipped, skippedInBeforeAll, nil, "elsewhere"),
		spec(types.SpecStatePassed, "", nil, "the wire"),
		spec(types.SpecStateFailed, "wire-contract.md: …", nil, "the wire"),
	}
	errs, is := countTargetErrors(reports)
	if errs.total != 4 || errs.byKind["reset"] != 3 || errs.byKind["timeout"] != 1 || errs.byFunction["phones/create"] != 3 {
		t.Errorf("countTargetErrors = %+v; want 4: reset 3 (phones/create), timeout 1", errs)
	}
	for i, want := range []bool{true, true, true, true, false, false, false} {
		if got := is(reports[i]); got != want {
			t.Errorf("is(report %d) = %t; want %t", i, got, want)
		}
	}
}

// TestInconclusiveVerdict: target errors turn a run that would pass or be
// partial into INCONCLUSIVE with the counts by kind; a failure stays FAIL.
func TestInconclusiveVerdict(t *testing.T) {
	var errs targetErrors
	errs.add(Unanswered{Function: "phones/create", Kind: "reset"}, 27)
	errs.add(Unanswered{Function: "phones/get", Kind: "timeout"}, 4)
	cases := []struct {
		name     string
		res      Result
		failures int
		want     Verdict
		line     string
	}{
		{"would pass", Result{Verdict: VerdictPass}, 0, VerdictInconclusive, "INCONCLUSIVE: 31 checks got no answer (reset 27, timeout 4); 0 contract failures"},
		{"would be partial", Result{Verdict: VerdictPartial, Missing: []Missing{{Need: "max_lines"}}}, 0, VerdictInconclusive, "INCONCLUSIVE: 31 checks got no answer (reset 27, timeout 4); 0 contract failures"},
		{"failed", Result{Verdict: VerdictFail}, 2, VerdictFail, "FAIL"},
	}
	var one targetErrors
	one.add(Unanswered{Function: "phones/create", Kind: "reset"}, 1)
	if got := verdictWith(io.Discard, Result{Verdict: VerdictPass}, one, 0).Line(); got != "INCONCLUSIVE: 1 check got no answer (reset 1); 0 contract failures" {
		t.Errorf("one target error: %q; want the singular", got)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			got := verdictWith(&out, tc.res, errs, tc.failures)
			if got.Verdict != tc.want || got.Line() != tc.line {
				t.Errorf("verdict %s, line %q; want %s, %q", got.Verdict, got.Line(), tc.want, tc.line)
			}
			if !strings.Contains(out.String(), "target errors: 31 checks got no answer (reset 27, timeout 4), by function: phones/create 27, phones/get 4") {
				t.Errorf("summary lacks the target errors:\n%s", out.String())
			}
		})
	}
}
