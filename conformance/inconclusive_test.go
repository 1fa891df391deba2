package conformance

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/conformance/outcome"
)

// TestCountTargetErrors: every check in state error counts, by kind and
// by function; a pass, a failure and a skip do not.
func TestCountTargetErrors(t *testing.T) {
	reset := &outcome.TargetError{Function: "phones/create", Kind: "reset"}
	timeout := &outcome.TargetError{Function: "phones/get", Kind: "timeout"}
	run := outcome.Run{Checks: []outcome.Check{
		{State: outcome.Error, NoAnswer: reset},
		{State: outcome.Error, NoAnswer: reset},
		{State: outcome.Error, NoAnswer: reset},
		{State: outcome.Error, NoAnswer: timeout},
		{State: outcome.Skipped, Need: "accounts.restricted"},
		{State: outcome.Passed},
		{State: outcome.Failed},
	}}
	errs := countTargetErrors(run)
	if errs.total != 4 || errs.byKind["reset"] != 3 || errs.byKind["timeout"] != 1 || errs.byFunction["phones/create"] != 3 {
		t.Errorf("countTargetErrors = %+v; want 4: reset 3 (phones/create), timeout 1", errs)
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
