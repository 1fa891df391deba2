// Package junit writes JUnit XML reports: one document of test suites
// whose counts are computed from their cases.
package junit

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
)

// Suites is the document: its counts are the sums of its suites'.
type Suites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Disabled int      `xml:"disabled,attr"` // always 0: nothing is disabled
	Errors   int      `xml:"errors,attr"`
	Failures int      `xml:"failures,attr"`
	Time     float64  `xml:"time,attr"`
	Suites   []Suite  `xml:"testsuite"`
}

// Suite is one test suite. Write fills in its counts from Cases.
type Suite struct {
	Name       string     `xml:"name,attr"`
	Package    string     `xml:"package,attr,omitempty"`
	Tests      int        `xml:"tests,attr"`
	Disabled   int        `xml:"disabled,attr"` // always 0
	Skipped    int        `xml:"skipped,attr"`
	Errors     int        `xml:"errors,attr"`
	Failures   int        `xml:"failures,attr"`
	Time       float64    `xml:"time,attr"`
	Timestamp  string     `xml:"timestamp,attr,omitempty"` // RFC 3339
	Properties Properties `xml:"properties,omitempty"`
	Cases      []Case     `xml:"testcase"`
}

// Properties are a suite's name/value pairs; none writes no element.
type Properties []Property

// Property is one name/value pair of a suite.
type Property struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// MarshalXML writes p as <properties><property …/>…</properties>.
func (p Properties) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return e.EncodeElement(struct {
		Items []Property `xml:"property"`
	}{p}, start)
}

// Case is one test case: passed unless it holds a Failure, an Error or a
// Skipped.
type Case struct {
	Name      string   `xml:"name,attr"`
	Classname string   `xml:"classname,attr"`
	Status    string   `xml:"status,attr,omitempty"`
	Failure   *Problem `xml:"failure,omitempty"`
	Error     *Problem `xml:"error,omitempty"`
	Skipped   *Skipped `xml:"skipped,omitempty"`
	SystemOut string   `xml:"system-out,omitempty"`
}

// Problem is a case's failure or error: a one-line message, its type and
// the detail as text.
type Problem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// Skipped says why a case gave no verdict.
type Skipped struct {
	Message string `xml:"message,attr"`
}

// Write writes suites as one JUnit XML document to w, counts computed from
// the cases. encoding/xml escapes all text and writes a character XML does
// not allow (a control character, invalid UTF-8) as U+FFFD, so text from a
// target cannot break the document.
func Write(w io.Writer, suites ...Suite) error {
	data, err := encode(suites)
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("write JUnit report: %w", err)
	}
	return nil
}

// WriteFile writes suites as one JUnit XML document to the file path, as
// Write does.
func WriteFile(path string, suites ...Suite) error {
	data, err := encode(suites)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write JUnit report %s: %w", path, err)
	}
	return nil
}

func encode(suites []Suite) ([]byte, error) {
	doc := Suites{Suites: make([]Suite, len(suites))}
	for i, s := range suites {
		s.count()
		doc.Suites[i] = s
		doc.Tests += s.Tests
		doc.Errors += s.Errors
		doc.Failures += s.Failures
		doc.Time += s.Time
	}
	data, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode JUnit report: %w", err)
	}
	return append([]byte(xml.Header), append(data, '\n')...), nil
}

// count sets s's counts from its cases.
func (s *Suite) count() {
	s.Tests, s.Skipped, s.Errors, s.Failures = len(s.Cases), 0, 0, 0
	for _, c := range s.Cases {
		switch {
		case c.Failure != nil:
			s.Failures++
		case c.Error != nil:
			s.Errors++
		case c.Skipped != nil:
			s.Skipped++
		}
	}
}
