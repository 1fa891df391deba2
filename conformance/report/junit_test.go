package report_test

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/report"
)

type junitDoc struct {
	Tests    int `xml:"tests,attr"`
	Errors   int `xml:"errors,attr"`
	Failures int `xml:"failures,attr"`
	Suites   []struct {
		Name       string `xml:"name,attr"`
		Tests      int    `xml:"tests,attr"`
		Skipped    int    `xml:"skipped,attr"`
		Errors     int    `xml:"errors,attr"`
		Failures   int    `xml:"failures,attr"`
		Properties []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []struct {
			Name    string `xml:"name,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
			} `xml:"error"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// TestJUnitWritesEachStateAsItsElement: failed → <failure> with the rule
// and the detail, error → <error>, skipped, reported and not run →
// <skipped> saying why; the counts agree with the cases; the provenance
// and the causes are in the properties; no case carries Ginkgo's terms;
// hostile text stays text.
func TestJUnitWritesEachStateAsItsElement(t *testing.T) {
	r := sample("4.4")
	checks := append(r.Specs,
		outcome.Check{Text: "create with acr=1", State: outcome.Error, Rule: "phones/create: no answer (timeout)"},
		outcome.Check{Text: "copy_password of another customer", State: outcome.Skipped, Need: "existing.other_customer_line", Rule: "target-profile.md: set it"},
		outcome.Check{Text: "default of customer", State: outcome.Reported, Rule: "the server decides"},
		outcome.Check{Text: "fuzz", State: outcome.NotRun, Rule: "not run: the target refused load"},
		outcome.Check{Text: "transport", State: outcome.NotSelected, Rule: "not selected by the label filter"},
	)
	var buf bytes.Buffer
	if err := report.WriteJUnit(&buf, r, outcome.Run{Suite: "phones/create conformance", Checks: checks}); err != nil {
		t.Fatal(err)
	}
	var doc junitDoc
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if len(doc.Suites) != 1 {
		t.Fatalf("%d suites; want 1", len(doc.Suites))
	}
	s := doc.Suites[0]
	if s.Tests != len(checks)-1 || s.Failures != 2 || s.Errors != 1 || s.Skipped != 4 || doc.Tests != s.Tests || doc.Failures != 2 || doc.Errors != 1 {
		t.Errorf("counts tests=%d failures=%d errors=%d skipped=%d (all: %d, %d, %d); want %d, 2, 1, 4", s.Tests, s.Failures, s.Errors, s.Skipped,
			doc.Tests, doc.Failures, doc.Errors, len(checks)-1)
	}
	byName := map[string]int{}
	for i, c := range s.Cases {
		if c.Name == "transport" {
			t.Errorf("a check the label filter left out is a case")
		}
		byName[c.Name] = i
		if strings.Contains(c.Name, "[It]") {
			t.Errorf("case %q carries Ginkgo's node type", c.Name)
		}
	}
	acr := s.Cases[byName["acr=7 → 400 key=acr"]]
	if acr.Failure == nil || acr.Failure.Message != "vendor page: acr is 0 or 1" || !strings.Contains(acr.Failure.Text, hostile) {
		t.Errorf("failed case = %+v; want a failure with the rule as message and the detail, text kept", acr.Failure)
	}
	if c := s.Cases[byName["create with acr=1"]]; c.Error == nil || c.Failure != nil {
		t.Errorf("error case = %+v; want <error> only", c)
	}
	for name, want := range map[string]string{
		"copy_password of another customer": "skipped for want of existing.other_customer_line: target-profile.md: set it",
		"default of customer":               "reported, not asserted: the server decides",
		"fuzz":                              "not run: the target refused load",
	} {
		if c := s.Cases[byName[name]]; c.Skipped == nil || c.Skipped.Message != want {
			t.Errorf("%s: skipped %+v; want message %q", name, c.Skipped, want)
		}
	}
	props := map[string]string{}
	for _, p := range s.Properties {
		props[p.Name] = p.Value
	}
	if props["verdict"] != string(report.Fail) || props["target.enswitch_version"] != "4.4" || props["seed"] != "42" {
		t.Errorf("properties %v; want the verdict, version and seed", props)
	}
	if props["cause.1"] != "1 failure: "+hostile || props["cause.2"] != "1 failure: vendor page: acr is 0 or 1" || props["cause.3"] != "" {
		t.Errorf("cause properties %q, %q, %q; want one per cause, most failures first, then by key", props["cause.1"], props["cause.2"], props["cause.3"])
	}
	if strings.Contains(buf.String(), "<script>") {
		t.Errorf("the XML holds a raw <script>: text from the target was not escaped")
	}
}

// TestBuildCountsErrorsApart: a spec that got no answer is counted as an
// error, not a failure, and its cell says so unless one failed.
func TestBuildCountsErrorsApart(t *testing.T) {
	r := &report.Report{Specs: []outcome.Check{
		{Text: "a", Kind: report.CheckDefault, Params: []string{"acr"}, State: outcome.Passed},
		{Text: "b", Kind: report.CheckDefault, Params: []string{"acr"}, State: outcome.Error, Rule: "no answer"},
		{Text: "c", Kind: report.CheckRefused, Params: []string{"acr"}, State: outcome.Error},
		{Text: "d", Kind: report.CheckRefused, Params: []string{"acr"}, State: outcome.Failed},
	}}
	r.Build([]string{"acr"})
	if r.Counts != (report.Counts{Passed: 1, Failed: 1, Errors: 2}) {
		t.Errorf("counts = %+v; want 1 passed, 1 failed, 2 errors", r.Counts)
	}
	cells := r.Matrix[0].Cells
	if cells[report.CheckDefault].State != outcome.Error || cells[report.CheckRefused].State != outcome.Failed {
		t.Errorf("cells default=%s refused=%s; want error, failed", cells[report.CheckDefault].State, cells[report.CheckRefused].State)
	}
	page, _ := render(t, r)
	errs := find(page, func(n *html.Node) bool { return n.Data == "td" && attr(n, "data-state") == string(outcome.Error) })
	if len(errs) != 1 || !strings.Contains(text(errs[0]), "no answer") {
		t.Errorf("%d error cells on the page; want one saying no answer", len(errs))
	}
}
