package conformance

import (
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/contract"
)

func mustSuite(t *testing.T) *suite {
	t.Helper()
	v, err := contract.ParseVersion("4.4")
	if err != nil {
		t.Fatal(err)
	}
	s, err := newSuite(Config{Profile: profile.Profile{BaseURL: "http://127.0.0.1:1", Version: v, MaxLines: 10, Cleanup: profile.DefaultCleanup},
		Seed: 7, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.client.Close)
	return s
}

// TestSummaryCountsNoAnswerApart: a check that got no answer is neither
// passed nor failed: the summary counts and lists it apart, its cell
// shows it, and it alone does not fail the run: the run is INCONCLUSIVE
// (that verdict is the target's, not the contract's).
func TestSummaryCountsNoAnswerApart(t *testing.T) {
	s := mustSuite(t)
	acr := []string{LabelValidation, LabelRefused, paramLabel("acr")}
	run := outcome.Run{Checks: []outcome.Check{
		{Text: "acr=7 → 400 key=acr", Labels: acr, Params: []string{"acr"}, State: outcome.Passed},
		{Text: "acr=9 → 400 key=acr", Labels: acr, Params: []string{"acr"}, State: outcome.Error,
			Rule: "phones/create got no answer: timeout", Unanswered: &outcome.Unanswered{Function: contract.Create, Kind: "timeout", Count: 1}},
		{Text: "restricted account → 402", Labels: []string{LabelCodes}, State: outcome.Skipped, Need: needRestricted, Rule: "target-profile.md: set accounts.restricted"},
		{Text: "fuzz", Labels: []string{LabelFuzz}, State: outcome.NotSelected},
	}}
	var out strings.Builder
	res := s.summarize(&out, run)
	text := out.String()
	for _, want := range []string{
		"specs: 1 ran, 1 passed, 0 failed; 1 got no answer from the target; 1 not run for want of a profile field or flag; 0 reported, not asserted; 1 not selected by the label filter",
		"validation 1/1 !1",
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
