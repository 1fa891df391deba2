package report

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/enswitch-kit/phones/contract"
)

// Target is what a run checked: the server at BaseURL, held to the
// contract whose sha256 is ContractSHA256 (the tool's openapi.yaml).
type Target struct {
	BaseURL        string `json:"base_url"`
	ContractSHA256 string `json:"contract_sha256"`
}

func (t Target) String() string {
	sum := t.ContractSHA256
	if len(sum) > 12 {
		sum = sum[:12]
	}
	return fmt.Sprintf("%s (contract sha256 %s…)", t.BaseURL, sum)
}

// Target is the target r ran against.
func (r *Report) Target() Target {
	return Target{BaseURL: r.Provenance.BaseURL, ContractSHA256: r.Provenance.ContractSHA256}
}

// DifferentTargetsError says the reports to merge are runs against
// different targets: another server, or another contract.
type DifferentTargetsError struct {
	Targets []Target
}

func (e *DifferentTargetsError) Error() string {
	names := make([]string, len(e.Targets))
	for i, t := range e.Targets {
		names[i] = t.String()
	}
	return fmt.Sprintf("merge reports: runs against %d different targets: %s", len(e.Targets), strings.Join(names, "; "))
}

// Merged is several runs as one page: a column per target and version
// (its latest run), and, where one target ran at one version several
// times, how each cause fared over those runs.
type Merged struct {
	Columns []*Report // by target, then version, oldest first
	Targets []Target  // by base URL
	Runs    int       // every run merged, the columns' included
	Trend   []Trend
}

// Trend statuses: how a cause fared over a target's runs.
const (
	TrendNew     = "new"           // only in the latest run
	TrendFailing = "still failing" // in the latest run and an earlier one
	TrendFixed   = "fixed"         // in an earlier run, not in the latest
)

// Trend is one cause over the runs of one target at one version.
type Trend struct {
	Target  Target    `json:"target"`
	Version string    `json:"version"`
	Cause   Cause     `json:"cause"` // as last seen
	First   time.Time `json:"first"` // the start of the first run it failed in
	Last    time.Time `json:"last"`  // the start of the last run it failed in
	Seen    int       `json:"seen"`  // runs it failed in
	Runs    int       `json:"runs"`  // runs of that target and version
	Status  string    `json:"status"`
}

// Merge puts reports on one page. Reports of different targets are a
// *DifferentTargetsError unless allowDifferentTargets. The runs of one
// target at one version are its history: the latest is its column, and
// the causes of all make the trend. One run given twice is an error.
func Merge(reports []*Report, allowDifferentTargets bool) (*Merged, error) {
	if len(reports) == 0 {
		return nil, errors.New("merge reports: none given")
	}
	m := &Merged{Runs: len(reports)}
	versions := map[string]contract.Version{}
	for _, r := range reports {
		name := r.Provenance.TargetVersion
		v, err := contract.ParseVersion(name)
		if err != nil {
			return nil, fmt.Errorf("merge reports: %w", err)
		}
		versions[name] = v
		if r.Causes == nil && r.Counts.Failed > 0 { // a report written before causes were
			r.Causes = Causes(r.Specs, r.Phases, name)
		}
		if t := r.Target(); !slices.Contains(m.Targets, t) {
			m.Targets = append(m.Targets, t)
		}
	}
	slices.SortFunc(m.Targets, func(a, b Target) int {
		return cmp.Or(cmp.Compare(a.BaseURL, b.BaseURL), cmp.Compare(a.ContractSHA256, b.ContractSHA256))
	})
	if len(m.Targets) > 1 && !allowDifferentTargets {
		return nil, &DifferentTargetsError{Targets: m.Targets}
	}
	runs := slices.Clone(reports)
	slices.SortStableFunc(runs, func(a, b *Report) int {
		va, vb := versions[a.Provenance.TargetVersion], versions[b.Provenance.TargetVersion]
		return cmp.Or(
			cmp.Compare(slices.Index(m.Targets, a.Target()), slices.Index(m.Targets, b.Target())),
			cmp.Compare(va.Major, vb.Major), cmp.Compare(va.Minor, vb.Minor),
			a.Provenance.Started.Compare(b.Provenance.Started))
	})
	for i := 0; i < len(runs); {
		j := i + 1
		for j < len(runs) && sameSeries(runs[i], runs[j]) {
			if runs[j].Provenance.Started.Equal(runs[j-1].Provenance.Started) {
				return nil, fmt.Errorf("merge reports: two reports of one run (Enswitch %s at %s, started %s)",
					runs[j].Provenance.TargetVersion, runs[j].Provenance.BaseURL, runs[j].Provenance.Started.UTC().Format(time.RFC3339))
			}
			j++
		}
		m.Columns = append(m.Columns, runs[j-1])
		m.Trend = append(m.Trend, trend(runs[i:j])...)
		i = j
	}
	return m, nil
}

// sameSeries says a and b are runs of one target at one version.
func sameSeries(a, b *Report) bool {
	return a.Target() == b.Target() && a.Provenance.TargetVersion == b.Provenance.TargetVersion
}

// trend is how each cause fared over runs, oldest first, of one target
// at one version: none for a single run. New causes come first, then
// those still failing, then the fixed.
func trend(runs []*Report) []Trend {
	if len(runs) < 2 {
		return nil
	}
	latest := runs[len(runs)-1]
	byKey := map[string]*Trend{}
	var out []*Trend
	for _, r := range runs {
		for _, c := range r.Causes {
			t := byKey[c.Key]
			if t == nil {
				t = &Trend{Target: r.Target(), Version: r.Provenance.TargetVersion, First: r.Provenance.Started, Runs: len(runs)}
				byKey[c.Key] = t
				out = append(out, t)
			}
			t.Cause, t.Last = c, r.Provenance.Started
			t.Seen++
		}
	}
	rank := map[string]int{TrendNew: 0, TrendFailing: 1, TrendFixed: 2}
	result := make([]Trend, len(out))
	for i, t := range out {
		switch {
		case !t.Last.Equal(latest.Provenance.Started):
			t.Status = TrendFixed
		case t.First.Equal(latest.Provenance.Started):
			t.Status = TrendNew
		default:
			t.Status = TrendFailing
		}
		result[i] = *t
	}
	slices.SortStableFunc(result, func(a, b Trend) int {
		return cmp.Or(cmp.Compare(rank[a.Status], rank[b.Status]), cmp.Compare(a.Cause.Key, b.Cause.Key))
	})
	return result
}

// Title names what the page holds: the target, or how many, and exactly
// the Enswitch versions present; and how many runs, when some are history.
func (m *Merged) Title() string {
	var names []string
	for _, r := range m.Columns {
		if !slices.Contains(names, r.Provenance.TargetVersion) {
			names = append(names, r.Provenance.TargetVersion)
		}
	}
	slices.SortFunc(names, func(a, b string) int {
		va, _ := contract.ParseVersion(a) // parsed in Merge
		vb, _ := contract.ParseVersion(b)
		return cmp.Or(cmp.Compare(va.Major, vb.Major), cmp.Compare(va.Minor, vb.Minor))
	})
	of := m.Targets[0].BaseURL
	if len(m.Targets) > 1 {
		of = fmt.Sprintf("%d targets", len(m.Targets))
	}
	title := fmt.Sprintf("phones/create conformance of %s, Enswitch %s", of, andList(names))
	if m.Runs > len(m.Columns) {
		title += fmt.Sprintf(", %d runs", m.Runs)
	}
	return title
}

// Label names r's column: its version, and its target when the page has
// several ("4.4, target 2").
func (m *Merged) Label(r *Report) string {
	if len(m.Targets) < 2 {
		return r.Provenance.TargetVersion
	}
	return fmt.Sprintf("%s, target %d", r.Provenance.TargetVersion, m.TargetNumber(r.Target()))
}

// TargetNumber is t's number on the page, from 1.
func (m *Merged) TargetNumber(t Target) int { return slices.Index(m.Targets, t) + 1 }

// andList is "a", "a and b", "a, b and c".
func andList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
