package conformance

import (
	"io"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/contract"
)

// mustSummary is the summary of a run of the mock's profile on 4.4.
func mustSummary(t *testing.T) summary {
	t.Helper()
	v, err := contract.ParseVersion("4.4")
	if err != nil {
		t.Fatal(err)
	}
	h, err := newHarness(Config{Profile: profile.Profile{BaseURL: "http://127.0.0.1:1", Version: v, MaxLines: 10, Cleanup: profile.DefaultCleanup},
		Seed: 7, Getenv: func(string) string { return "" }}.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.client.Close)
	return h.summary
}

// summarize prints run as the summary does and returns the result the
// run gives.
func summarize(t *testing.T, w io.Writer, run outcome.Run) Result {
	t.Helper()
	mustSummary(t).write(w, run)
	return Result{Verdict: outcome.Judge(run), Run: run}
}

// TestSummaryCountsNoAnswerApart: a check that got no answer is neither
// passed nor failed: the summary counts and lists it apart, its cell
// shows it, and it alone does not fail the run: the run is INCONCLUSIVE
// (that verdict is the target's, not the contract's).
func TestSummaryCountsNoAnswerApart(t *testing.T) {
	acr := []string{LabelValidation, LabelRefused, paramLabel("acr")}
	run := outcome.Run{Checks: []outcome.Check{
		{Text: "acr=7 → 400 key=acr", Labels: acr, Params: []string{"acr"}, State: outcome.Passed},
		{Text: "acr=9 → 400 key=acr", Labels: acr, Params: []string{"acr"}, State: outcome.Error,
			Rule: "phones/create got no answer: timeout", Unanswered: &outcome.Unanswered{Function: contract.Create, Kind: "timeout", Count: 1}},
		{Text: "restricted account → 402", Labels: []string{LabelCodes}, State: outcome.Skipped, Need: needRestricted, Rule: "target-profile.md: set accounts.restricted"},
		{Text: "fuzz", Labels: []string{LabelFuzz}, State: outcome.NotSelected},
	}}
	var out strings.Builder
	res := summarize(t, &out, run)
	text := out.String()
	for _, want := range []string{
		"specs: 1 ran, 1 passed, 0 failed; 1 got no answer from the target; 1 not run for want of a profile field or flag; 0 reported, not asserted; 1 not selected by the label filter",
		"validation 1/1 1 no answer", "codes 1 skipped",
		"no answer from the target, neither passed nor failed (1):\n  [validation] acr=9 → 400 key=acr\n      phones/create got no answer: timeout",
		"  accounts.restricted (1): target-profile.md: set accounts.restricted\n    restricted account → 402",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
	if res.Verdict != outcome.Inconclusive {
		t.Errorf("verdict %s; want INCONCLUSIVE", res.Verdict)
	}
}

// TestSummaryListsFailuresByCause: failures that got the same refusal to
// different requests are one cause in the summary, with its parameters,
// an example and each check; another rule broken is another cause.
func TestSummaryListsFailuresByCause(t *testing.T) {
	refused := func(text, param, due string) outcome.Check {
		return outcome.Check{
			Text: text, Labels: []string{LabelValidation, paramLabel(param)}, Params: []string{param}, State: outcome.Failed,
			Rule: "vendor page: " + param, Want: "code " + due, Got: `code 402 with key ""`, Due: due,
			Detail: "  want code " + due + "; got code 402\n  request: GET /api/json/phones/create/?" + param + "=1",
			Answer: &outcome.Answer{Function: contract.Create, Status: 200, Code: "402", Message: "Your role does not allow this"},
		}
	}
	run := outcome.Run{Version: "4.4", Checks: []outcome.Check{
		refused("acr=7 → 400 key=acr", "acr", "400"),
		refused("cos=1 → 201", "cos", "201"),
		{Text: "default of ringtime", Labels: []string{LabelDefaults}, Params: []string{"ringtime"}, State: outcome.Failed,
			Rule: "vendor page: default of ringtime is 15", Want: "ringtime = 15", Got: "ringtime = 20"},
	}}
	var out strings.Builder
	summarize(t, &out, run)
	text := out.String()
	for _, want := range []string{
		"failed: 3 failures, 2 causes\n",
		`  cause 1 (2): phones/create answered 402 "Your role does not allow this" where 201 or 400 was due` + "\n    parameters: acr, cos\n    for example:\n",
		"      request: GET /api/json/phones/create/?acr=1\n    [validation] acr=7 → 400 key=acr\n        vendor page: acr\n    [validation] cos=1 → 201\n        vendor page: cos\n",
		"  cause 2 (1): vendor page: default of ringtime is 15: want ringtime = 15; got ringtime = 20\n    parameters: ringtime\n    [defaults] default of ringtime\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
}
