package report_test

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/report"
)

// refused402 is a check that phones/create answered 402 where due was
// due.
func refused402(text, param, due string) outcome.Check {
	return outcome.Check{
		Text: text, Kind: report.CheckRefused, Params: []string{param}, State: outcome.Failed,
		Rule: "vendor page: " + param + " is checked", Want: "code " + due, Got: `code 402 with key ""`, Due: due,
		Detail: "  want code " + due + `; got code 402 with key ""` + "\n  request: GET …" + param + "=…",
		Answer: &outcome.Answer{Function: "phones/create", Status: 200, Code: "402", Message: "Your role does not allow this"},
	}
}

// accepted is a check where phones/create accepted a value it must refuse.
func accepted(text, param string) outcome.Check {
	return outcome.Check{
		Text: text, Kind: report.CheckRefused, Params: []string{param}, State: outcome.Failed,
		Rule: "vendor page: " + param + " accepts 0, 1", Want: `code 400 with key "` + param + `"`, Got: `code 201 with key ""`, Due: "400",
		Answer: &outcome.Answer{Function: "phones/create", Status: 200, Code: "201", Message: "Input passed validation"},
	}
}

// TestCausesGroupFailuresThatShareOne: one answer to different requests
// is one cause whatever was due; one rule broken the same way is one
// cause; a rule broken for another parameter is another.
func TestCausesGroupFailuresThatShareOne(t *testing.T) {
	specs := []outcome.Check{
		refused402("b: cos=9 → 400", "cos", "400"),
		{Text: "passed", State: outcome.Passed},
		refused402("a: create → 204", "name", "204"),
		accepted("acr=7 → 400", "acr"),
		accepted("acr=9 → 400", "acr"),
		accepted("panel=2 → 400", "panel"),
		refused402("c: acr=1 → 201", "acr", "201"),
		{Text: "fuzz", Kind: report.CheckFuzz, State: outcome.Failed, Rule: "fuzz: 3 of 40 variants failed (seed 3)"},
	}
	causes := report.Causes(specs, nil, "4.4")
	var got []string
	for _, c := range causes {
		got = append(got, c.Title())
	}
	want := []string{
		`phones/create answered 402 "Your role does not allow this" where 201, 204 or 400 was due`,
		`vendor page: acr accepts 0, 1: want code 400 with key "acr"; got code 201 with key ""`,
		"fuzz: 3 of 40 variants failed (seed 3)",
		`vendor page: panel accepts 0, 1: want code 400 with key "panel"; got code 201 with key ""`,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("causes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	top := causes[0]
	if top.Count != 3 || !slices.Equal(top.Params, []string{"acr", "cos", "name"}) || !slices.Equal(top.Versions, []string{"4.4"}) {
		t.Errorf("402 cause: count %d, params %v, versions %v; want 3 on acr, cos, name at 4.4", top.Count, top.Params, top.Versions)
	}
	if !slices.Equal(top.Checks, []string{"a: create → 204", "b: cos=9 → 400", "c: acr=1 → 201"}) {
		t.Errorf("402 cause checks = %q; want the three, by text", top.Checks)
	}
	if fuzz := causes[2]; fuzz.Key != "fuzz" {
		t.Errorf("fuzz cause key = %q; want its text, which names no seed or count", fuzz.Key)
	}
	if !strings.Contains(top.Example, "request: GET") {
		t.Errorf("402 cause example = %q; want a failure's exchange", top.Example)
	}
	if got := report.Headline(9, causes, 2); !strings.HasPrefix(got, "9 failures, 4 causes: phones/create answered 402") || !strings.HasSuffix(got, "; and 2 more") {
		t.Errorf("Headline = %q; want the counts, the top 2 causes and how many more", got)
	}
	if got := report.Headline(3, causes[:1], 3); got != `3 failures, 1 cause: phones/create answered 402 "Your role does not allow this" where 201, 204 or 400 was due` {
		t.Errorf("Headline of one cause = %q", got)
	}
}

// TestCausesOfAWrongKeyAreTheRules: a 400 naming another parameter than
// the one due is the rule broken, not an answer refused.
func TestCausesOfAWrongKeyAreTheRules(t *testing.T) {
	s := accepted("acr=7 → 400", "acr")
	s.Got, s.Answer.Code, s.Answer.Key = `code 400 with key "cos"`, "400", "cos"
	causes := report.Causes([]outcome.Check{s}, nil, "4.4")
	if len(causes) != 1 || causes[0].Answer != nil || causes[0].Rule != s.Rule {
		t.Errorf("causes = %+v; want one, the rule's", causes)
	}
}

// TestHTMLBannerNamesTheTopCauses: the verdict banner names the causes,
// the target's message as text, and the page lists each cause with its
// checks.
func TestHTMLBannerNamesTheTopCauses(t *testing.T) {
	r := sample("4.4")
	r.Specs = append(r.Specs, refused402("create → 204", "name", "204"))
	r.Specs[len(r.Specs)-1].Answer.Message = hostile
	r.Build([]string{"acr", "cos", "name"})
	doc, _ := render(t, r)
	banner := find(doc, func(n *html.Node) bool { return attr(n, "data-causes") != "" })
	if len(banner) != 1 || attr(banner[0], "data-causes") != "3" {
		t.Fatalf("banner causes = %d elements; want one naming 3 causes", len(banner))
	}
	if got := text(banner[0]); !strings.HasPrefix(got, "3 failures, 3 causes: ") || !strings.Contains(got, "phones/create answered 402 "+hostile+" where 204 was due") {
		t.Errorf("banner = %q; want the counts and the 402 cause with its message", got)
	}
	causes := find(doc, func(n *html.Node) bool { return n.Data == "li" && attr(n, "data-cause") != "" })
	if len(causes) != 3 {
		t.Errorf("cause items = %d; want 3", len(causes))
	}
	if scripts := find(doc, func(n *html.Node) bool { return n.Data == "script" }); len(scripts) != 0 {
		t.Error("a target's message became a script")
	}
}

// TestPhaseFindingsAreCauses: a phase that names its findings gives each
// its own cause, with its count, in place of the phase's failed spec.
func TestPhaseFindingsAreCauses(t *testing.T) {
	specs := []outcome.Check{{Text: "model sequences", Kind: report.CheckModel, State: outcome.Failed, Rule: "model phase: 5 of 200 sequences differ"}}
	phases := []outcome.Phase{{Name: report.CheckModel, What: "sequences of calls", Findings: []outcome.Finding{
		{Cause: "model: phones/get outcome: 200 → 404", Rule: "r1", Want: "200", Got: "404", Count: 4, Example: "1. …", Replay: "--model-replay m1.x"},
		{Cause: "model: phones/get field password", Rule: "r2", Want: "absent", Got: "a password", Count: 1},
	}}}
	causes := report.Causes(specs, phases, "4.4")
	if len(causes) != 2 || causes[0].Count != 4 || causes[0].Key != phases[0].Findings[0].Cause || causes[1].Count != 1 {
		t.Fatalf("causes = %+v; want the two findings, 4 then 1", causes)
	}
	if !strings.Contains(causes[0].Example, "--model-replay m1.x") {
		t.Errorf("example %q; want the replay command", causes[0].Example)
	}
	if got := report.Causes(specs, nil, "4.4"); len(got) != 1 {
		t.Errorf("without findings: %d causes; want the failed spec's one", len(got))
	}
}
