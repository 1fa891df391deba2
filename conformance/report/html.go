package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/internal/words"
)

//go:embed page.html.tmpl
var pageText string

// page is one HTML page: one report, or several (a column per target and
// version, oldest version first, with the version as the matrix's third
// axis).
type page struct {
	*Merged
	Title   string
	Reports []*Report
	Params  []string // every row of any report, newest version's order first
	Columns []string
	Groups  []string
	Causes  []Cause // the failures of every column, by cause
}

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"cell":      cellOf,
	"spec":      func(r *Report, i int) outcome.Check { return r.Specs[i] },
	"title":     checkTitle,
	"lower":     strings.ToLower,
	"add":       func(a, b int) int { return a + b },
	"sub":       func(a, b int) int { return a - b },
	"plural":    words.Plural,
	"top":       func(c []Cause, n int) []Cause { return c[:min(n, len(c))] },
	"hasChecks": func(r *Report, check string) bool { return len(r.InGroup(check)) > 0 },
	"silent":    outcome.ByKind,
	"phaseTitle": func(name string) string {
		if name == "" {
			return name
		}
		return strings.ToUpper(name[:1]) + name[1:]
	},
}).Parse(pageText))

// topCauses is how many causes a verdict banner names.
const topCauses = 3

// WriteHTML writes reports, in the order given, as one self-contained
// page: no script, font or file from elsewhere. All text from the target
// (messages, keys, values) goes through html/template's escaping; none is
// marked safe.
func WriteHTML(w io.Writer, reports ...*Report) error {
	if len(reports) == 0 {
		return fmt.Errorf("write HTML report: no report")
	}
	m := &Merged{Columns: reports, Runs: len(reports)}
	for _, r := range reports {
		if !slices.Contains(m.Targets, r.Target()) {
			m.Targets = append(m.Targets, r.Target())
		}
	}
	return WriteMerged(w, m)
}

// WriteMerged writes what Merge made of several runs as one page, like
// WriteHTML.
func WriteMerged(w io.Writer, m *Merged) error {
	if m == nil || len(m.Columns) == 0 {
		return fmt.Errorf("write HTML report: no report")
	}
	p := page{Merged: m, Title: m.Title(), Reports: m.Columns, Columns: Columns, Groups: Groups, Causes: MergeCauses(m.Columns)}
	for i := len(p.Reports) - 1; i >= 0; i-- {
		for _, row := range p.Reports[i].Matrix {
			if !slices.Contains(p.Params, row.Param) {
				p.Params = append(p.Params, row.Param)
			}
		}
	}
	if err := pageTemplate.Execute(w, p); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	return nil
}

// ID is r's column as an HTML id: "4.4", or "4.4-t2" when the page has
// several targets.
func (p page) ID(r *Report) string {
	if len(p.Targets) < 2 {
		return r.Provenance.TargetVersion
	}
	return fmt.Sprintf("%s-t%d", r.Provenance.TargetVersion, p.TargetNumber(r.Target()))
}

// TopCauses is how many causes a verdict banner names.
func (page) TopCauses() int { return topCauses }

// cellView is one matrix cell as the page shows it.
type cellView struct {
	OnVersion bool // the parameter exists on the report's version
	Cell
	Specs []outcome.Check // the cell's specs that failed, else those skipped
}

func cellOf(r *Report, param, check string) cellView {
	i := slices.IndexFunc(r.Matrix, func(row Row) bool { return row.Param == param })
	if i < 0 {
		return cellView{}
	}
	v := cellView{OnVersion: true, Cell: r.Matrix[i].Cells[check]}
	want := v.State // the specs behind the cell's state; passed ones need no words
	if want == outcome.Passed {
		want = outcome.Reported
	}
	for _, n := range v.Cell.Specs {
		if n >= 0 && n < len(r.Specs) && r.Specs[n].State == want {
			v.Specs = append(v.Specs, r.Specs[n])
		}
	}
	return v
}

// checkTitle is a check's heading on the page.
func checkTitle(check string) string {
	switch check {
	case CheckDefault:
		return "default read back"
	case CheckAccepted:
		return "accepted values"
	case CheckRefused:
		return "refused values"
	case CheckRoundTrip:
		return "round-trip"
	case CheckHistory:
		return "version history"
	case CheckCodes:
		return "Outcome codes and their order"
	case CheckTransport:
		return "Transport"
	case CheckSettled:
		return "Settled points of the wire contract"
	case CheckFuzz:
		return "Fuzzing"
	case CheckCleanup:
		return "Cleanup"
	}
	return "Other checks"
}
