package junit_test

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/internal/junit"
)

// back is what a JUnit reader sees of a document.
type back struct {
	Tests    int     `xml:"tests,attr"`
	Errors   int     `xml:"errors,attr"`
	Failures int     `xml:"failures,attr"`
	Time     float64 `xml:"time,attr"`
	Suites   []struct {
		Name       string `xml:"name,attr"`
		Tests      int    `xml:"tests,attr"`
		Skipped    int    `xml:"skipped,attr"`
		Errors     int    `xml:"errors,attr"`
		Failures   int    `xml:"failures,attr"`
		Properties *struct {
			Items []junit.Property `xml:"property"`
		} `xml:"properties"`
		Cases []struct {
			Name      string         `xml:"name,attr"`
			Failure   *junit.Problem `xml:"failure"`
			Skipped   *junit.Skipped `xml:"skipped"`
			SystemOut string         `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func mustWrite(tb testing.TB, suites ...junit.Suite) (string, back) {
	tb.Helper()
	var buf bytes.Buffer
	if err := junit.Write(&buf, suites...); err != nil {
		tb.Fatal(err)
	}
	var doc back
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		tb.Fatalf("not XML: %v\n%s", err, buf.String())
	}
	return buf.String(), doc
}

// TestWriteCountsFromTheCases: each suite's counts and the document's
// totals come from the cases, whatever the caller set.
func TestWriteCountsFromTheCases(t *testing.T) {
	a := junit.Suite{Name: "a", Time: 1.5, Tests: 99, Failures: 99, Cases: []junit.Case{
		{Name: "passed"},
		{Name: "failed", Failure: &junit.Problem{Message: "m"}},
		{Name: "error", Error: &junit.Problem{Message: "m"}},
		{Name: "skipped", Skipped: &junit.Skipped{Message: "why"}},
		{Name: "skipped too", Skipped: &junit.Skipped{Message: "why"}},
	}}
	b := junit.Suite{Name: "b", Time: 2, Cases: []junit.Case{{Name: "failed", Failure: &junit.Problem{}}}}
	out, doc := mustWrite(t, a, b)
	if !strings.HasPrefix(out, xml.Header) {
		t.Errorf("document starts %.40q; want the XML header", out)
	}
	if len(doc.Suites) != 2 {
		t.Fatalf("%d suites; want 2", len(doc.Suites))
	}
	s := doc.Suites[0]
	if s.Tests != 5 || s.Failures != 1 || s.Errors != 1 || s.Skipped != 2 {
		t.Errorf("suite a: tests=%d failures=%d errors=%d skipped=%d; want 5, 1, 1, 2", s.Tests, s.Failures, s.Errors, s.Skipped)
	}
	if doc.Tests != 6 || doc.Failures != 2 || doc.Errors != 1 || doc.Time != 3.5 {
		t.Errorf("totals tests=%d failures=%d errors=%d time=%g; want 6, 2, 1, 3.5", doc.Tests, doc.Failures, doc.Errors, doc.Time)
	}
}

// TestWriteOmitsNoProperties: a suite without properties has no
// <properties> element; one with them lists each.
func TestWriteOmitsNoProperties(t *testing.T) {
	out, doc := mustWrite(t, junit.Suite{Name: "bare"}, junit.Suite{Name: "with", Properties: junit.Properties{{Name: "seed", Value: "42"}, {Name: "tool", Value: "t"}}})
	if doc.Suites[0].Properties != nil || strings.Count(out, "<properties>") != 1 {
		t.Errorf("want one <properties>, in the second suite:\n%s", out)
	}
	if p := doc.Suites[1].Properties; p == nil || len(p.Items) != 2 || p.Items[0] != (junit.Property{Name: "seed", Value: "42"}) {
		t.Errorf("properties = %+v; want seed=42 and tool=t", p)
	}
}

// TestWriteKeepsHostileTextText: markup is escaped, and characters XML
// does not allow (control characters, invalid UTF-8) become U+FFFD, in
// attributes and text alike, so the document still parses.
func TestWriteKeepsHostileTextText(t *testing.T) {
	hostile := "<script>alert(1)</script>]]>&\x00\x1b[31m\x07\xff\xfe"
	out, doc := mustWrite(t, junit.Suite{Name: hostile, Properties: junit.Properties{{Name: "p", Value: hostile}}, Cases: []junit.Case{
		{Name: hostile, Failure: &junit.Problem{Message: hostile, Text: hostile}, SystemOut: hostile},
		{Name: "s", Skipped: &junit.Skipped{Message: hostile}},
	}})
	if strings.Contains(out, "<script>") || strings.Contains(out, "\x00") || strings.Contains(out, "\x1b") || !strings.Contains(out, "&lt;script&gt;") {
		t.Errorf("hostile text not escaped:\n%q", out)
	}
	want := "<script>alert(1)</script>]]>&\uFFFD\uFFFD[31m\uFFFD\uFFFD\uFFFD"
	s := doc.Suites[0]
	for name, got := range map[string]string{
		"suite name": s.Name, "property": s.Properties.Items[0].Value, "case name": s.Cases[0].Name,
		"failure message": s.Cases[0].Failure.Message, "failure text": s.Cases[0].Failure.Text,
		"system-out": s.Cases[0].SystemOut, "skipped": s.Cases[1].Skipped.Message,
	} {
		if got != want {
			t.Errorf("%s read back %q; want %q", name, got, want)
		}
	}
}

// TestWriteFile writes the document to a file, and says which file it
// could not write.
func TestWriteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.xml")
	if err := junit.WriteFile(path, junit.Suite{Name: "s", Cases: []junit.Case{{Name: "c"}}}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(data), `<testcase name="c" classname=""></testcase>`) {
		t.Errorf("file = %s (%v); want the case", data, err)
	}
	bad := filepath.Join(t.TempDir(), "missing", "r.xml")
	if err := junit.WriteFile(bad, junit.Suite{}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("WriteFile to a missing directory: %v; want an error naming %s", err, bad)
	}
}
