package report_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/report"
)

// run is sample at version against baseURL, started at hour, failing the
// given specs only.
func run(version, baseURL string, hour int, failed ...outcome.Check) *report.Report {
	r := sample(version)
	r.Provenance.BaseURL = baseURL
	r.Provenance.Started = time.Date(2026, 12, 1, hour, 0, 0, 0, time.UTC)
	r.Specs = slices.DeleteFunc(r.Specs, func(s outcome.Check) bool { return s.State == outcome.Failed })
	r.Specs = append(r.Specs, failed...)
	r.Build([]string{"acr", "cos", "name"})
	return r
}

// TestMergeRefusesDifferentTargets: runs against another base URL or
// another contract are not merged unless asked; then each target is named.
func TestMergeRefusesDifferentTargets(t *testing.T) {
	otherContract := run("4.4", "http://a", 1)
	otherContract.Provenance.ContractSHA256 = strings.Repeat("cd", 32)
	for _, tc := range []struct {
		name string
		runs []*report.Report
	}{
		{"another base URL", []*report.Report{run("4.4", "http://a", 1), run("3.13", "http://b", 1)}},
		{"another contract", []*report.Report{run("4.4", "http://a", 2), otherContract}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := report.Merge(tc.runs, false)
			var diff *report.DifferentTargetsError
			if !errors.As(err, &diff) || len(diff.Targets) != 2 {
				t.Fatalf("Merge = %v; want a DifferentTargetsError naming 2 targets", err)
			}
			m, err := report.Merge(tc.runs, true)
			if err != nil {
				t.Fatalf("Merge allowing different targets = %v", err)
			}
			doc, _ := renderMerged(t, m)
			targets := find(doc, func(n *html.Node) bool { return n.Data == "li" && attr(n, "data-target") != "" })
			if len(targets) != 2 {
				t.Errorf("targets named = %d; want 2", len(targets))
			}
			if !strings.HasPrefix(m.Title(), "phones/create conformance of 2 targets, Enswitch ") {
				t.Errorf("title = %q; want it to say 2 targets", m.Title())
			}
		})
	}
}

// TestMergeTitleNamesExactlyTheVersions: never a range for two versions.
func TestMergeTitleNamesExactlyTheVersions(t *testing.T) {
	for _, tc := range []struct {
		versions []string
		want     string
	}{
		{[]string{"4.4"}, "phones/create conformance of http://a, Enswitch 4.4"},
		{[]string{"4.4", "3.13"}, "phones/create conformance of http://a, Enswitch 3.13 and 4.4"},
		{[]string{"4.4", "3.13", "4.0"}, "phones/create conformance of http://a, Enswitch 3.13, 4.0 and 4.4"},
	} {
		var runs []*report.Report
		for _, v := range tc.versions {
			runs = append(runs, run(v, "http://a", 1))
		}
		m, err := report.Merge(runs, false)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Title(); got != tc.want {
			t.Errorf("title of %v = %q; want %q", tc.versions, got, tc.want)
		}
	}
}

// TestMergeTrendOverRuns: runs of one target at one version over time
// show each cause as fixed, new or still failing, with when it was first
// and last seen; the latest run is the column.
func TestMergeTrendOverRuns(t *testing.T) {
	refused := refused402("create → 204", "name", "204")
	acr := accepted("acr=7 → 400", "acr")
	panel := accepted("panel=2 → 400", "panel")
	runs := []*report.Report{
		run("4.4", "http://a", 3, acr, refused),
		run("4.4", "http://a", 1, panel),
		run("4.4", "http://a", 2, panel, refused),
	}
	m, err := report.Merge(runs, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Columns) != 1 || m.Columns[0] != runs[0] || m.Runs != 3 {
		t.Fatalf("columns = %d, runs %d; want the latest run alone as the column, of 3", len(m.Columns), m.Runs)
	}
	got := map[string]report.Trend{}
	for _, tr := range m.Trend {
		got[tr.Cause.Params[0]] = tr
	}
	hour := func(h int) time.Time { return time.Date(2026, 12, 1, h, 0, 0, 0, time.UTC) }
	for _, want := range []struct {
		param, status string
		first, last   time.Time
		seen          int
	}{
		{"acr", report.TrendNew, hour(3), hour(3), 1},
		{"name", report.TrendFailing, hour(2), hour(3), 2},
		{"panel", report.TrendFixed, hour(1), hour(2), 2},
	} {
		tr := got[want.param]
		if tr.Status != want.status || !tr.First.Equal(want.first) || !tr.Last.Equal(want.last) || tr.Seen != want.seen || tr.Runs != 3 {
			t.Errorf("trend of %s = %s, %s to %s, %d of %d; want %s, %s to %s, %d of 3",
				want.param, tr.Status, tr.First, tr.Last, tr.Seen, tr.Runs, want.status, want.first, want.last, want.seen)
		}
	}
	if m.Trend[0].Status != report.TrendNew || m.Trend[2].Status != report.TrendFixed {
		t.Errorf("trend order = %s, %s, %s; want new first, fixed last", m.Trend[0].Status, m.Trend[1].Status, m.Trend[2].Status)
	}
	doc, _ := renderMerged(t, m)
	rows := find(doc, func(n *html.Node) bool { return n.Data == "tr" && attr(n, "data-status") != "" })
	if len(rows) != 3 || attr(rows[0], "data-status") != report.TrendNew {
		t.Errorf("trend rows = %d; want 3, the new cause first", len(rows))
	}
	if title := m.Title(); !strings.HasSuffix(title, "Enswitch 4.4, 3 runs") {
		t.Errorf("title = %q; want it to count the runs", title)
	}
}

// TestMergeGroupsAnOldReportsFailures: a report written without causes
// gets them from its specs when merged.
func TestMergeGroupsAnOldReportsFailures(t *testing.T) {
	old := run("4.4", "http://a", 1, accepted("acr=7 → 400", "acr"))
	old.Causes = nil
	m, err := report.Merge([]*report.Report{old}, false)
	if err != nil {
		t.Fatal(err)
	}
	if c := m.Columns[0].Causes; len(c) != 1 || c[0].Count != 1 {
		t.Errorf("causes of an old report = %+v; want its one failure's", c)
	}
}
