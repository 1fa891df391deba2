package conformance

import (
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/contract"
)

// TestSummaryListsFailuresByCause: failures that got the same refusal to
// different requests are one cause in the summary, with its parameters,
// an example and each check; another rule broken is another cause.
func TestSummaryListsFailuresByCause(t *testing.T) {
	s := mustSuite(t)
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
	s.summarize(&out, run)
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
