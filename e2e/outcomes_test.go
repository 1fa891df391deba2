package e2e_test

import (
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

var update = flag.Bool("update", false, "rewrite e2e/testdata/outcomes from this build")

// outcomeRuns are the fixed-seed runs whose outcomes are kept in
// testdata/outcomes: a clean run, a broken server, and a profile that
// leaves specs out for want of fields and of max_lines.
func outcomeRuns(t *testing.T) []struct {
	name    string
	handler http.Handler
	profile string
} {
	return []struct {
		name    string
		handler http.Handler
		profile string
	}{
		{"mock", mustMock(t, "4.4"), mustProfile(t)},
		{"acr7", acceptsAcr7(mustMock(t, "4.4")), mustProfile(t)},
		{"partial", mustMock(t, "4.4"), mustProfile(t,
			"  restricted: {username: clerk,  password: clerk-secret}\n", "",
			"  other_customer_line: \"2001\"\n", "",
			"max_lines: 200", "max_lines: 4")},
	}
}

// TestOutcomesOfFixedRuns: each report of a fixed-seed run (text, JSON,
// JUnit, HTML) shows, per check, the state, kind, parameters and rule kept
// in testdata/outcomes; -update rewrites them from this build.
func TestOutcomesOfFixedRuns(t *testing.T) {
	for _, tc := range outcomeRuns(t) {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			r := run(t, tc.handler, "4.4", tc.profile, "--fuzz-cases", "40", "--seed", "7",
				"--html-report", filepath.Join(dir, "report.html"), "--json-report", filepath.Join(dir, "report.json"),
				"--junit-report", filepath.Join(dir, "junit.xml"))
			got := outcomeSections(t, dir, r.stdout)
			path := filepath.Join("testdata", "outcomes", tc.name+".txt")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("outcomes of %s differ from %s:\n%s", tc.name, path, lineDiff(string(want), got))
			}
		})
	}
}

// outcomeSections projects each report onto its outcomes, one section per
// format, each line one check or one cell.
func outcomeSections(t *testing.T, dir, stdout string) string {
	t.Helper()
	var b strings.Builder
	for _, s := range []struct {
		name  string
		lines []string
	}{
		{"text", textOutcomes(stdout)},
		{"json", jsonOutcomes(t, filepath.Join(dir, "report.json"))},
		{"junit", junitOutcomes(t, filepath.Join(dir, "junit.xml"))},
		{"html", htmlOutcomes(t, filepath.Join(dir, "report.html"))},
	} {
		fmt.Fprintf(&b, "== %s\n", s.name)
		for _, l := range s.lines {
			fmt.Fprintln(&b, l)
		}
	}
	return b.String()
}

// lineNames are the names the suite gives lines, unique per run: the
// profile's prefix (97), the run's tag (from the clock), a counter.
var (
	lineNames  = regexp.MustCompile(`\b[a-z]+-[0-9]{6}-[0-9]+\b`)
	digitNames = regexp.MustCompile(`\b97[0-9]{6}([0-9]{6}7?)\b`) // a name, or its kin
)

func stable(s string) string {
	return digitNames.ReplaceAllString(lineNames.ReplaceAllString(s, "LINE"), "97TAG$1")
}

// textOutcomes are the summary's lines about checks: counts, the tables,
// failures and reasons; not the phases' timings or the lines account.
func textOutcomes(stdout string) []string {
	_, summary, _ := strings.Cut(stdout, "== conformance summary")
	summary, _, _ = strings.Cut(summary, "\nlines: ")
	var out []string
	for i, l := range strings.Split(summary, "\n") {
		if i == 0 || strings.HasPrefix(l, "fuzz ") || strings.HasPrefix(l, "model ") || strings.TrimSpace(l) == "" {
			continue
		}
		out = append(out, stable(strings.TrimRight(l, " ")))
	}
	return out
}

func jsonOutcomes(t *testing.T, path string) []string {
	t.Helper()
	var doc struct {
		Verdict string         `json:"verdict"`
		Counts  map[string]int `json:"counts"`
		Specs   []struct {
			Text   string   `json:"text"`
			Check  string   `json:"check"`
			Params []string `json:"params"`
			State  string   `json:"state"`
			Rule   string   `json:"rule"`
		} `json:"specs"`
	}
	data, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(data, &doc) != nil {
		t.Fatalf("JSON report: %v\n%.300s", err, data)
	}
	out := []string{"verdict " + doc.Verdict, fmt.Sprintf("counts %v", doc.Counts)}
	var specs []string
	for _, s := range doc.Specs {
		specs = append(specs, stable(fmt.Sprintf("%s | %s | %s | %s | %s", s.Text, s.State, s.Check, strings.Join(s.Params, ","), s.Rule)))
	}
	slices.Sort(specs)
	return append(out, specs...)
}

// junitName is a test case's name without Ginkgo's node type and labels.
var junitLabels = regexp.MustCompile(` \[[^\[\]]*\]$`)

func junitOutcomes(t *testing.T, path string) []string {
	t.Helper()
	var doc struct {
		Suites []struct {
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
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
	data, err := os.ReadFile(path)
	if err != nil || xml.Unmarshal(data, &doc) != nil {
		t.Fatalf("JUnit report: %v\n%.300s", err, data)
	}
	var out []string
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			name := junitLabels.ReplaceAllString(c.Name, "")
			state := "passed"
			switch {
			case c.Failure != nil:
				state = "failure"
			case c.Error != nil:
				state = "error"
			case c.Skipped != nil:
				state = "skipped"
			}
			out = append(out, stable(name+" | "+state))
		}
	}
	slices.Sort(out)
	return out
}

func htmlOutcomes(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, data)
	var out []string
	for _, n := range elements(doc, func(n *html.Node) bool { return n.Data == "td" && attrOf(n, "data-check") != "" }) {
		out = append(out, fmt.Sprintf("cell %s %s %s", attrOf(n.Parent, "data-param"), attrOf(n, "data-check"), attrOf(n, "data-state")))
	}
	var specs []string
	for _, ul := range elements(doc, func(n *html.Node) bool { return n.Data == "ul" && attrOf(n, "data-group") != "" }) {
		for _, li := range elements(ul, func(n *html.Node) bool { return n.Data == "li" }) {
			text, _, _ := strings.Cut(strings.TrimSpace(textOf(li)), "\n")
			specs = append(specs, stable(fmt.Sprintf("%s %s %s", attrOf(ul, "data-group"), attrOf(li, "data-state"), text)))
		}
	}
	slices.Sort(specs)
	return append(out, specs...)
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for _, l := range w {
		if !slices.Contains(g, l) {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			fmt.Fprintf(&b, "+ %s\n", l)
		}
	}
	return b.String()
}
